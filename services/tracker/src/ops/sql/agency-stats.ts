import type { Queryable } from '@hub/store';
import { exactPercentiles, type HistRow } from '../../reports/percentiles.js';
import { grainParts, histRowsSql, nextShanghaiMidnight } from '../../reports/rollups.js';
import { LATE } from './request-summary.js';

export interface AgencyStats {
  agency: string;
  institution: string;
  /** Requests waiting for an answer now. */
  backlog: number;
  /** Of those, how many the detector has stamped as breached. */
  openBreaches: number;
  /** Answers (done, partial, cannot-assist, refused) within the window; hub failures are not answers. */
  answered: number;
  /** Answer time (answered − dispatched, hub seconds) of those answers; null when there are none. */
  p50Seconds: number | null;
  p95Seconds: number | null;
  refusals: number;
  late: number;
}

// The window [since, ∞) is the answers from `since` to the next Shanghai midnight, read live ($1, $2: partial index
// requests_answered_live, covering), then whole days from the rollups of migration 1013 ($3 on). The backlog is as of now.
const COUNTS_SQL = `
SELECT COALESCE(b.agency, w.agency) AS agency, COALESCE(b.institution, w.institution) AS institution,
       COALESCE(b.open, 0)::int AS "backlog", COALESCE(b.open_breached, 0)::int AS "openBreaches",
       COALESCE(w.answered, 0)::int AS "answered", COALESCE(w.refusals, 0)::int AS "refusals",
       COALESCE(w.late, 0)::int AS "late"
FROM (SELECT agency, institution, open, open_breached FROM rollup_backlog WHERE open > 0) b
FULL JOIN (
  SELECT agency, institution, sum(answered) AS answered, sum(refusals) AS refusals, sum(late) AS late
  FROM (
    SELECT agency, institution, count(*) AS answered, count(*) FILTER (WHERE outcome = 'refused') AS refusals,
           count(*) FILTER (WHERE ${LATE}) AS late
    FROM requests r WHERE outcome IS NOT NULL AND answered_at >= $1 AND answered_at < $2
    GROUP BY agency, institution
    UNION ALL
    SELECT agency, institution, answered, refusals, late FROM rollup_answers_daily WHERE day >= $3::date
  ) x
  GROUP BY agency, institution HAVING sum(answered) > 0
) w ON w.agency = b.agency AND w.institution = b.institution
ORDER BY 1, 2`;

// The whole days from $3 on as the fewest histogram grains (rollups.ts grainParts): the current year, months, 旬.
const histSql = (rows: string) => `
SELECT agency, institution, bucket, sum(count)::int AS count, sum(seconds)::float8 AS seconds
FROM (
  SELECT agency, institution, tracker_answer_bucket(s) AS bucket, count(*) AS count, sum(s) AS seconds
  FROM (SELECT agency, institution, extract(epoch FROM answered_at - dispatched_at) AS s FROM requests
        WHERE outcome IS NOT NULL AND answered_at >= $1 AND answered_at < $2) live
  WHERE s IS NOT NULL
  GROUP BY 1, 2, 3
  UNION ALL
  SELECT agency, institution, bucket, count, seconds FROM ${rows} h
) x
GROUP BY agency, institution, bucket
HAVING sum(count) > 0`;

/** Per agency and institution: the backlog now and answers since `since`. */
export async function agencyStats(db: Queryable, since: Date): Promise<AgencyStats[]> {
  const midnight = nextShanghaiMidnight(since);
  const { rows } = await db.query<Omit<AgencyStats, 'p50Seconds' | 'p95Seconds'>>(COUNTS_SQL, [
    since,
    midnight.at,
    midnight.day,
  ]);
  const grains = histRowsSql('a', grainParts(midnight.day, null), 3);
  const hist = await db.query<HistRow>(histSql(grains.sql), [since, midnight.at, ...grains.args]);
  const groups = new Map<string, HistRow[]>();
  for (const h of hist.rows) {
    const key = `${h.agency}\u0000${h.institution}`;
    const list = groups.get(key);
    if (list) list.push(h);
    else groups.set(key, [h]);
  }
  const percentiles = await exactPercentiles(
    db,
    { basis: 'a', start: since, end: null },
    groups,
    [0.5, 0.95],
  );
  return rows.map((r) => {
    const [p50, p95] = percentiles.get(`${r.agency}\u0000${r.institution}`) ?? [];
    return { ...r, p50Seconds: p50 ?? null, p95Seconds: p95 ?? null };
  });
}
