import type { Queryable } from '@hub/store';
// The oracle answers with the readers' own types.
import type { AgencyStats } from '../../src/ops/sql/agency-stats.js';
import { LATE } from '../../src/ops/sql/request-summary.js';
import { openSql } from '../../src/sql/request-status.js';

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
