/**
 * 协助执行单位通报 — the periodic agency report (DESIGN §2 ops staff, §4 non-cooperation as evidence): for
 * the requests dispatched in a period, how each agency kind and institution received, acknowledged and
 * answered them against their SLA. One statement; GROUPING SETS give institution rows, agency-kind
 * subtotals and the total, each with its own percentiles (a median of medians would be wrong).
 */
import { PUNISHMENT_MEASURES, RENEWAL_OF } from '@hub/domain';
import type { Queryable } from '@hub/store';
// The oracle answers with the readers' own types.
import type {
  AgencyFigures,
  AgencyReport,
  PunishmentConfirmations,
} from '../../src/reports/agency-report.js';
import { reportInterceptions } from '../../src/reports/interception-counts.js';
import { instantRange, type Period } from '../../src/reports/period.js';
import { breachedSql, closedSql, openSql } from '../../src/sql/request-status.js';

interface FiguresRow {
  level: number;
  agency: string | null;
  institution: string | null;
  received: number;
  acknowledged_on_time: number;
  answered: number;
  answered_on_time: number;
  median_answer_seconds: number | null;
  p95_answer_seconds: number | null;
  refused: number;
  cannot_assist: number;
  breached: number;
  open: number;
  renewals: number;
}

// `outcome IS NOT NULL` means the agency answered; a hub-side delivery failure ('failed') is terminal but
// is no answer. The breach test is the notice view's (notice-view.ts isBreached) plus the detector's stamp.
const SQL = `
SELECT GROUPING(agency, institution)::int AS level, agency, institution,
  count(*)::int AS received,
  count(*) FILTER (WHERE COALESCE(acknowledged_at, CASE WHEN outcome IS NOT NULL THEN answered_at END)
                         <= ack_due_at)::int AS acknowledged_on_time,
  count(*) FILTER (WHERE answered)::int AS answered,
  count(*) FILTER (WHERE answered AND answered_at <= due_at)::int AS answered_on_time,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY answer_seconds) FILTER (WHERE answered) AS median_answer_seconds,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY answer_seconds) FILTER (WHERE answered) AS p95_answer_seconds,
  count(*) FILTER (WHERE status = 'refused')::int AS refused,
  count(*) FILTER (WHERE status = 'cannot-assist')::int AS cannot_assist,
  count(*) FILTER (WHERE breached_at IS NOT NULL OR ${breachedSql('', '$3')})::int AS breached,
  count(*) FILTER (WHERE ${openSql('')})::int AS open,
  count(*) FILTER (WHERE measure = ANY($4::text[]))::int AS renewals
FROM (
  SELECT r.*, (${closedSql('r')} AND r.outcome IS NOT NULL AND r.answered_at IS NOT NULL) AS answered,
         extract(epoch FROM r.answered_at - r.dispatched_at)::float8 AS answer_seconds
  FROM requests r
  WHERE r.dispatched_at >= $1 AND r.dispatched_at < $2
) AS r
GROUP BY GROUPING SETS ((agency, institution), (agency), ())
ORDER BY level, agency COLLATE "C", institution COLLATE "C"`;

const PUNISHMENT_SQL = `
SELECT GROUPING(agency, institution)::int AS level, agency, institution,
  count(*)::int AS received,
  count(*) FILTER (WHERE answered AND answered_at <= due_at)::int AS confirmed_on_time,
  count(*) FILTER (WHERE answered AND answered_at > due_at)::int AS confirmed_late,
  count(*) FILTER (WHERE ${openSql('')} AND due_at < $3)::int AS missing,
  count(*) FILTER (WHERE ${openSql('')} AND (due_at IS NULL OR due_at >= $3))::int AS not_yet_due
FROM (
  SELECT r.*, (${closedSql('r')} AND r.outcome IS NOT NULL AND r.answered_at IS NOT NULL) AS answered
  FROM requests r
  WHERE r.dispatched_at >= $1 AND r.dispatched_at < $2 AND r.measure = ANY($4::text[])
) AS r
GROUP BY GROUPING SETS ((agency, institution), (agency), ())
ORDER BY level, agency COLLATE "C", institution COLLATE "C"`;

interface PunishmentRow {
  level: number;
  agency: string | null;
  institution: string | null;
  received: number;
  confirmed_on_time: number;
  confirmed_late: number;
  missing: number;
  not_yet_due: number;
}

/** Three statements: run it in one snapshot (routes.ts) so the sections agree with each other. */
export async function readAgencyReport(db: Queryable, period: Period, now: Date): Promise<AgencyReport> {
  const { start, end } = instantRange(period);
  const { rows } = await db.query<FiguresRow>(SQL, [start, end, now, Object.keys(RENEWAL_OF)]);
  const punishment = await db.query<PunishmentRow>(PUNISHMENT_SQL, [start, end, now, PUNISHMENT_MEASURES]);
  const report: AgencyReport = {
    period,
    generatedAt: now.toISOString(),
    rows: [],
    agencies: [],
    totals: emptyFigures(),
    punishmentConfirmations: { rows: [], agencies: [], totals: emptyConfirmations() },
    interceptions: await reportInterceptions(db, period),
  };
  for (const row of punishment.rows) {
    const c: PunishmentConfirmations = {
      received: row.received,
      confirmedOnTime: row.confirmed_on_time,
      confirmedLate: row.confirmed_late,
      missing: row.missing,
      notYetDue: row.not_yet_due,
    };
    const p = report.punishmentConfirmations;
    if (row.level === 0) p.rows.push({ agency: row.agency!, institution: row.institution!, ...c });
    else if (row.level === 1) p.agencies.push({ agency: row.agency!, ...c });
    else p.totals = c;
  }
  for (const row of rows) {
    const figures = toFigures(row);
    // GROUPING bits: 2 = agency rolled up, 1 = institution rolled up.
    if (row.level === 0) report.rows.push({ agency: row.agency!, institution: row.institution!, ...figures });
    else if (row.level === 1) report.agencies.push({ agency: row.agency!, ...figures });
    else report.totals = figures;
  }
  return report;
}

function toFigures(r: FiguresRow): AgencyFigures {
  return {
    received: r.received,
    acknowledgedOnTime: r.acknowledged_on_time,
    answered: r.answered,
    answeredOnTime: r.answered_on_time,
    medianAnswerSeconds: seconds(r.median_answer_seconds),
    p95AnswerSeconds: seconds(r.p95_answer_seconds),
    refused: r.refused,
    cannotAssist: r.cannot_assist,
    breached: r.breached,
    open: r.open,
    renewals: r.renewals,
  };
}

/** Millisecond precision, as the timestamps have; the interpolation adds nothing real beyond it. */
const seconds = (s: number | null) => (s === null ? null : Math.round(s * 1000) / 1000);

export function emptyConfirmations(): PunishmentConfirmations {
  return { received: 0, confirmedOnTime: 0, confirmedLate: 0, missing: 0, notYetDue: 0 };
}

export function emptyFigures(): AgencyFigures {
  return {
    received: 0,
    acknowledgedOnTime: 0,
    answered: 0,
    answeredOnTime: 0,
    medianAnswerSeconds: null,
    p95AnswerSeconds: null,
    refused: 0,
    cannotAssist: 0,
    breached: 0,
    open: 0,
    renewals: 0,
  };
}
