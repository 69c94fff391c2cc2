import type { Queryable } from '@hub/store';
import { LATE } from '../../src/ops/sql/request-summary.js';
import { openSql } from '../../src/sql/request-status.js';

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

/** Per agency and institution, in one pass over the read model: the backlog now and answers since `since`. */
export async function agencyStats(db: Queryable, since: Date): Promise<AgencyStats[]> {
  const { rows } = await db.query<AgencyStats>(
    `SELECT agency, institution,
            count(*) FILTER (WHERE ${openSql('')})::int AS "backlog",
            count(*) FILTER (WHERE ${openSql('')} AND breached_at IS NOT NULL)::int AS "openBreaches",
            count(*) FILTER (WHERE answered)::int AS "answered",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE answered) AS "p50Seconds",
            percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE answered) AS "p95Seconds",
            count(*) FILTER (WHERE answered AND outcome = 'refused')::int AS "refusals",
            count(*) FILTER (WHERE answered AND ${LATE})::int AS "late"
     FROM (SELECT *,
                  outcome IS NOT NULL AND answered_at >= $1 AS answered,
                  extract(epoch FROM answered_at - dispatched_at)::float8 AS seconds
           FROM requests) r
     WHERE ${openSql('')} OR answered
     GROUP BY agency, institution
     ORDER BY agency, institution`,
    [since],
  );
  return rows;
}
