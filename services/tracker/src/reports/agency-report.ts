/**
 * 协助执行单位通报 — the periodic agency report (DESIGN §2 ops staff, §4 non-cooperation as evidence): for
 * the requests dispatched in a period, how each agency kind and institution received, acknowledged and
 * answered them against their SLA. GROUPING SETS over the daily rollup give institution rows, agency-kind
 * subtotals and the total; each level's percentiles are its own, exact (a median of medians would be wrong):
 * percentiles.ts reads them from the few answers around each rank.
 */
import { PUNISHMENT_MEASURES, RENEWAL_OF } from '@hub/domain';
import type { Queryable } from '@hub/store';
import { TERMINAL_RANK } from '../sql/request-status.js';
import { type ReportInterceptions, reportInterceptions } from './interception-counts.js';
import { exactPercentiles, type HistRow } from './percentiles.js';
import { addDays, instantRange, type Period } from './period.js';
import { dayRange, dayRangeArgs, grainParts, histRowsSql, rollupRangeSql } from './rollups.js';

export interface AgencyFigures {
  /** Requests dispatched to the agency in the period (收到). */
  received: number;
  /** Acknowledged (签收) by the acknowledgement deadline; an answer given by then counts as a receipt. */
  acknowledgedOnTime: number;
  /** Answered by the agency (done, partial, cannot-assist or refused), whenever. */
  answered: number;
  /** Answered by the answer deadline. */
  answeredOnTime: number;
  /** Seconds of hub time from dispatch to answer, over answered requests; null when none was answered. */
  medianAnswerSeconds: number | null;
  p95AnswerSeconds: number | null;
  /** 拒绝协助 */
  refused: number;
  /** 无法协助 */
  cannotAssist: number;
  /** Past the answer deadline unanswered, answered late, or stamped by the breach detector. */
  breached: number;
  /** Not yet answered (pending, delivered or acknowledged). */
  open: number;
  /** Of those received, renewals of a freeze or seal (续冻, 续封): a renewal, not another hold. */
  renewals: number;
}

export interface AgencyReport {
  period: Period;
  /** Hub time the report was made at; "open" and "breached" are as of then. */
  generatedAt: string;
  /** One row per agency kind and institution, by kind then institution (code-point order, the same on
   *  every database whatever its locale). */
  rows: (AgencyFigures & { agency: string; institution: string })[];
  /** Subtotal per agency kind. */
  agencies: (AgencyFigures & { agency: string })[];
  totals: AgencyFigures;
  /**
   * Punishment notices (失信名单 and 限制消费/出境 broadcasts, their removal and lifting) dispatched in the period:
   * per institution, whether each was confirmed by its deadline, late, or is still missing past it. A removal's
   * deadline is the one the punishment service stamped (3 working days from the ground arising at most).
   */
  punishmentConfirmations: {
    rows: (PunishmentConfirmations & { agency: string; institution: string })[];
    agencies: (PunishmentConfirmations & { agency: string })[];
    totals: PunishmentConfirmations;
  };
  /** What partners blocked on an interception check in the period (Shanghai days of the block). */
  interceptions: ReportInterceptions;
}

export interface PunishmentConfirmations {
  received: number;
  /** Answered (done, partial, cannot-assist or refused) by the answer deadline. */
  confirmedOnTime: number;
  /** Answered after the deadline: kept as evidence of non-cooperation (DESIGN §4). */
  confirmedLate: number;
  /** Unanswered and past the deadline at the time of the report. */
  missing: number;
  /** Unanswered, not due yet. */
  notYetDue: number;
}

interface FiguresRow {
  level: number;
  agency: string | null;
  institution: string | null;
  received: number;
  acknowledged_on_time: number;
  answered: number;
  answered_on_time: number;
  refused: number;
  cannot_assist: number;
  breached: number;
  open: number;
  renewals: number;
}

// Over the daily rollup (migration 1013) and its monthly twin (1014), $1 … $4 a DayRange: everything that does not
// depend on the clock. `breached` there is what stays breached whatever the time (stamped by the detector, or
// answered late); open requests past their deadline and not stamped yet are added from the live query below.
const SQL = `
SELECT GROUPING(agency, institution)::int AS level, agency, institution,
  sum(received)::int AS received, sum(ack_on_time)::int AS acknowledged_on_time, sum(answered)::int AS answered,
  sum(answered_on_time)::int AS answered_on_time, sum(refused)::int AS refused,
  sum(cannot_assist)::int AS cannot_assist, sum(breached)::int AS breached, sum(open)::int AS open,
  COALESCE(sum(received) FILTER (WHERE measure = ANY($5::text[])), 0)::int AS renewals
FROM ${rollupRangeSql('rollup_requests_daily', 'rollup_requests_monthly', 1)} r
GROUP BY GROUPING SETS ((agency, institution), (agency), ())
HAVING sum(received) > 0
ORDER BY level, agency COLLATE "C", institution COLLATE "C"`;

const PUNISHMENT_SQL = `
SELECT GROUPING(agency, institution)::int AS level, agency, institution,
  sum(received)::int AS received, sum(answered_on_time)::int AS confirmed_on_time,
  sum(answered_late)::int AS confirmed_late, sum(open)::int AS open
FROM ${rollupRangeSql('rollup_requests_daily', 'rollup_requests_monthly', 1)} r
WHERE measure = ANY($5::text[])
GROUP BY GROUPING SETS ((agency, institution), (agency), ())
HAVING sum(received) > 0
ORDER BY level, agency COLLATE "C", institution COLLATE "C"`;

// What depends on the clock, from the open requests alone (partial index requests_open_dispatched): open past the
// deadline and not yet stamped by the detector (breached), and open punishment requests past it (missing).
const LIVE_SQL = `
SELECT agency, institution,
  count(*) FILTER (WHERE breached_at IS NULL AND due_at < $3)::int AS breached,
  count(*) FILTER (WHERE measure = ANY($4::text[]) AND due_at < $3)::int AS missing
FROM requests
WHERE status_rank < ${TERMINAL_RANK} AND dispatched_at >= $1 AND dispatched_at < $2
GROUP BY agency, institution`;

// Answer times of the period's answered requests, by dispatch day ('d'): the period's days as the fewest
// histogram grains (years, months, 旬, days: rollups.ts grainParts).
function histSql(period: Period) {
  const rows = histRowsSql('d', grainParts(period.from, addDays(period.to, 1)), 1);
  return {
    sql: `SELECT agency, institution, bucket, sum(count)::int AS count, sum(seconds)::float8 AS seconds
      FROM ${rows.sql} h
      GROUP BY agency, institution, bucket
      HAVING sum(count) > 0`,
    args: rows.args,
  };
}

interface PunishmentRow {
  level: number;
  agency: string | null;
  institution: string | null;
  received: number;
  confirmed_on_time: number;
  confirmed_late: number;
  open: number;
}

/** Several statements: run it in one snapshot (routes.ts) so the sections agree with each other. */
export async function readAgencyReport(db: Queryable, period: Period, now: Date): Promise<AgencyReport> {
  const { start, end } = instantRange(period);
  const days = dayRangeArgs(dayRange(period.from, addDays(period.to, 1)));
  const { rows } = await db.query<FiguresRow>(SQL, [...days, Object.keys(RENEWAL_OF)]);
  const punishment = await db.query<PunishmentRow>(PUNISHMENT_SQL, [...days, PUNISHMENT_MEASURES]);
  const live = await db.query<{ agency: string; institution: string; breached: number; missing: number }>(
    LIVE_SQL,
    [start, end, now, PUNISHMENT_MEASURES],
  );
  const histQuery = histSql(period);
  const hist = await db.query<HistRow>(histQuery.sql, histQuery.args);
  const report: AgencyReport = {
    period,
    generatedAt: now.toISOString(),
    rows: [],
    agencies: [],
    totals: emptyFigures(),
    punishmentConfirmations: { rows: [], agencies: [], totals: emptyConfirmations() },
    interceptions: await reportInterceptions(db, period),
  };
  // Live counts and histograms at each level: institution ("a\u0000i"), agency ("a"), total ("").
  const liveAt = new Map<string, { breached: number; missing: number }>();
  const histAt = new Map<string, HistRow[]>();
  const keysOf = (agency: string, institution: string) => [`${agency}\u0000${institution}`, agency, ''];
  for (const r of live.rows) {
    for (const key of keysOf(r.agency, r.institution)) {
      const had = liveAt.get(key) ?? { breached: 0, missing: 0 };
      liveAt.set(key, { breached: had.breached + r.breached, missing: had.missing + r.missing });
    }
  }
  for (const h of hist.rows) {
    for (const key of keysOf(h.agency, h.institution)) {
      // Appended in place: the total's list grows to every row of the period (copying it per row was quadratic).
      const list = histAt.get(key);
      if (list) list.push(h);
      else histAt.set(key, [h]);
    }
  }
  const percentiles = await exactPercentiles(db, { basis: 'd', start, end }, histAt, [0.5, 0.95]);
  const keyOf = (r: { level: number; agency: string | null; institution: string | null }) =>
    r.level === 0 ? `${r.agency}\u0000${r.institution}` : r.level === 1 ? r.agency! : '';
  for (const row of punishment.rows) {
    const missing = liveAt.get(keyOf(row))?.missing ?? 0;
    const c: PunishmentConfirmations = {
      received: row.received,
      confirmedOnTime: row.confirmed_on_time,
      confirmedLate: row.confirmed_late,
      missing,
      notYetDue: row.open - missing,
    };
    const p = report.punishmentConfirmations;
    if (row.level === 0) p.rows.push({ agency: row.agency!, institution: row.institution!, ...c });
    else if (row.level === 1) p.agencies.push({ agency: row.agency!, ...c });
    else p.totals = c;
  }
  for (const row of rows) {
    const key = keyOf(row);
    const [median, p95] = percentiles.get(key) ?? [null, null];
    const figures = toFigures(
      { ...row, breached: row.breached + (liveAt.get(key)?.breached ?? 0) },
      seconds(median ?? null),
      seconds(p95 ?? null),
    );
    // GROUPING bits: 2 = agency rolled up, 1 = institution rolled up.
    if (row.level === 0) report.rows.push({ agency: row.agency!, institution: row.institution!, ...figures });
    else if (row.level === 1) report.agencies.push({ agency: row.agency!, ...figures });
    else report.totals = figures;
  }
  return report;
}

function toFigures(r: FiguresRow, median: number | null, p95: number | null): AgencyFigures {
  return {
    received: r.received,
    acknowledgedOnTime: r.acknowledged_on_time,
    answered: r.answered,
    answeredOnTime: r.answered_on_time,
    medianAnswerSeconds: median,
    p95AnswerSeconds: p95,
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
