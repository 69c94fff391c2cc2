/**
 * Interceptions (拦截) counted for the reports, from the daily rollup the interception consumer keeps in the
 * same transaction as each report (interceptions/interception-events.ts): a range of Shanghai days reads the
 * rollup's primary key, never the reports themselves.
 */
import type { Queryable } from '@hub/store';

export interface InterceptionCount {
  measure: string;
  agency: string;
  count: number;
}

export interface YearlyInterceptions {
  total: number;
  /** Per measure × agency kind, by measure then agency kind (code-point order). */
  byMeasureAndAgency: InterceptionCount[];
}

export interface ReportInterceptions {
  /** Per agency kind, institution and measure. */
  rows: (InterceptionCount & { institution: string })[];
  /** Per agency kind and measure. */
  agencies: InterceptionCount[];
  total: number;
}

export const BY_MEASURE_AND_AGENCY = `
  SELECT measure, agency, sum(count)::int AS count FROM interception_counts
  WHERE day >= $1::date AND day < $2::date AND ($3::text IS NULL OR court_code = $3)
  GROUP BY measure, agency
  ORDER BY measure COLLATE "C", agency COLLATE "C"`;

/** Interceptions on the days [from, until) (YYYY-MM-DD), of one court or (null) of all. */
export async function yearlyInterceptions(
  db: Queryable,
  q: { from: string; until: string; court: string | null },
): Promise<YearlyInterceptions> {
  const { rows } = await db.query<InterceptionCount>(BY_MEASURE_AND_AGENCY, [q.from, q.until, q.court]);
  return { total: rows.reduce((sum, r) => sum + r.count, 0), byMeasureAndAgency: rows };
}

export const BY_INSTITUTION = `
  SELECT GROUPING(institution)::int AS level, agency, institution, measure, sum(count)::int AS count
  FROM interception_counts
  WHERE day >= $1::date AND day <= $2::date
  GROUP BY GROUPING SETS ((agency, institution, measure), (agency, measure))
  ORDER BY level, agency COLLATE "C", institution COLLATE "C", measure COLLATE "C"`;

/** Interceptions on the days from..to, both inclusive (the agency report's period). */
export async function reportInterceptions(
  db: Queryable,
  period: { from: string; to: string },
): Promise<ReportInterceptions> {
  const { rows } = await db.query<InterceptionCount & { level: number; institution: string | null }>(
    BY_INSTITUTION,
    [period.from, period.to],
  );
  const out: ReportInterceptions = { rows: [], agencies: [], total: 0 };
  for (const { level, institution, ...r } of rows) {
    if (level === 0)
      out.rows.push({ agency: r.agency, institution: institution!, measure: r.measure, count: r.count });
    else {
      out.agencies.push({ agency: r.agency, measure: r.measure, count: r.count });
      out.total += r.count;
    }
  }
  return out;
}
