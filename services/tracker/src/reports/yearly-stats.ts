/**
 * Yearly linkage statistics (执行联动年度统计): what seed 001 says courts cannot produce today. Notices count
 * in the Shanghai year they were issued; requests, amounts and listings in the year they were dispatched,
 * with their outcome as of now — one population per figure, so its parts add up to its total.
 */
import { type HoldMeasure, MONEY_MEASURES, RENEWAL_OF, type RenewalMeasure } from '@hub/domain';
import type { Pool } from '@hub/store';
import { addMoneyRollup, type MoneyTotals, sumAnswerAmounts } from './answer-amounts.js';
import { type YearlyInterceptions, yearlyInterceptions } from './interception-counts.js';
import { yearRange } from './period.js';
import { inSnapshot } from './snapshot.js';

export const LISTING_MEASURES = ['dishonest-list', 'restrict-consumption'] as const;
const RENEWALS = Object.entries(RENEWAL_OF) as [RenewalMeasure, HoldMeasure][];
const HOLD_AND_RENEWAL_MEASURES = RENEWALS.flat();

export interface RequestOutcomes {
  dispatched: number;
  done: number;
  partial: number;
  cannotAssist: number;
  refused: number;
  /** The hub could not deliver the request. */
  failed: number;
  open: number;
  /** Answered by the agency (the four outcomes above it). */
  answered: number;
  /** Mean seconds of hub time from dispatch to answer; null when none was answered. */
  averageAnswerSeconds: number | null;
}

export interface YearlyStats {
  year: number;
  /** The court the figures are for, or null for every court. */
  court: string | null;
  generatedAt: string;
  notices: {
    total: number;
    byMeasure: { measure: string; count: number }[];
    /** Notices with at least one request to that agency kind (a notice may target several kinds). */
    byAgency: { agency: string; count: number }[];
  };
  requests: RequestOutcomes & { byAgency: (RequestOutcomes & { agency: string })[] };
  /** Integer fen, from done and partial answers' results; a renewal's amount is not frozen again. */
  money: MoneyTotals;
  /**
   * Freezes and seals carried out (answered done or partial), each with its renewals (续冻, 续封): a hold
   * renewed once is one hold placed and one renewal, never two holds.
   */
  holds: { measure: HoldMeasure; placed: number; renewals: number }[];
  /** Listings carried out (answered done): agency registrations, and the notices they belong to. */
  listings: { measure: (typeof LISTING_MEASURES)[number]; requests: number; notices: number }[];
  /**
   * What partners blocked because a subject was listed or restricted (拦截), per measure × agency kind, in the
   * year they blocked it: the court's restrictions at work, a figure seed 001's court could not produce.
   */
  interceptions: YearlyInterceptions;
}

// Over the rollups of migrations 1013 and 1014: a year is twelve whole months, so the monthly twins alone. $1, $2:
// the year's Shanghai days [from, until); $3: court code or null. A request's court is its own (stamped at
// dispatch) or its notice's; all courts read the per-institution rollup, one court the per-court one.
const requestRollup = (court: string | null) =>
  court === null
    ? `rollup_requests_monthly WHERE day >= $1::date AND day < $2::date AND $3::text IS NULL`
    : `rollup_requests_court_monthly WHERE court_code = $3 AND day >= $1::date AND day < $2::date`;

const NOTICES_BY_MEASURE = `
  SELECT measure, sum(notices)::int AS count FROM rollup_notices_monthly
  WHERE day >= $1::date AND day < $2::date AND ($3::text IS NULL OR court_code = $3)
  GROUP BY measure HAVING sum(notices) > 0 ORDER BY measure COLLATE "C"`;
const NOTICES_BY_AGENCY = `
  SELECT agency, sum(notices)::int AS count FROM rollup_notice_agencies_monthly
  WHERE day >= $1::date AND day < $2::date AND ($3::text IS NULL OR court_code = $3)
  GROUP BY agency HAVING sum(notices) > 0 ORDER BY agency COLLATE "C"`;
const requestOutcomes = (court: string | null) => `
  SELECT GROUPING(agency)::int AS level, agency,
    sum(received)::int AS dispatched, sum(done)::int AS done, sum(partial)::int AS partial,
    sum(cannot_assist)::int AS cannot_assist, sum(refused)::int AS refused, sum(failed)::int AS failed,
    sum(open)::int AS open, sum(answered)::int AS answered,
    (sum(answer_seconds) / NULLIF(sum(answered), 0))::float8 AS average_answer_seconds
  FROM ${requestRollup(court)}
  GROUP BY GROUPING SETS ((agency), ())
  HAVING sum(received) > 0
  ORDER BY level, agency COLLATE "C"`;
// Listings: requests from the rollup, distinct notices from the per-notice one (a count of notices does not add up
// across days). $4: the listing measures.
const listings_ = (court: string | null) => `
  SELECT r.measure, r.requests, COALESCE(n.notices, 0)::int AS notices
  FROM (SELECT measure, sum(done)::int AS requests FROM ${requestRollup(court)} AND measure = ANY($4::text[])
        GROUP BY measure HAVING sum(done) > 0) r
  LEFT JOIN (SELECT measure, count(DISTINCT notice_id) AS notices FROM rollup_listing_notices
             WHERE year = extract(year FROM $1::date)::int AND done > 0 AND ($3::text IS NULL OR court_code = $3)
             GROUP BY measure) n ON n.measure = r.measure`;
const holds = (court: string | null) => `
  SELECT measure, sum(done + partial)::int AS requests FROM ${requestRollup(court)} AND measure = ANY($4::text[])
  GROUP BY measure HAVING sum(done + partial) > 0`;
const moneyRollup = (court: string | null) => `
  SELECT measure, sum(money_fen)::text AS fen, sum(money_unreadable)::int AS unreadable
  FROM ${requestRollup(court)} AND measure = ANY($4::text[])
  GROUP BY measure`;
// Money answers the projection has not read yet (rows from before migration 1013): parsed here. Spelled as the
// partial index requests_money_unread is (its measures are MONEY_MEASURES).
const UNREAD_AMOUNT_ANSWERS = `
  SELECT r.agency, r.measure, r.result_json FROM requests r LEFT JOIN notices n ON n.id = r.notice_id
  WHERE r.answer_read IS NULL AND r.measure IN ('freeze', 'renew-freeze', 'deduct')
    AND r.status IN ('done', 'partial')
    AND r.dispatched_at >= $1 AND r.dispatched_at < $2
    AND ($3::text IS NULL OR COALESCE(r.court_code, n.court_code) = $3)`;

interface OutcomeRow {
  level: number;
  agency: string | null;
  dispatched: number;
  done: number;
  partial: number;
  cannot_assist: number;
  refused: number;
  failed: number;
  open: number;
  answered: number;
  average_answer_seconds: number | null;
}

export async function readYearlyStats(
  pool: Pool,
  q: { year: number; court: string | null },
  now: Date,
): Promise<YearlyStats> {
  const { start, end } = yearRange(q.year);
  const from = `${String(q.year).padStart(4, '0')}-01-01`;
  const until = `${String(q.year + 1).padStart(4, '0')}-01-01`;
  const args = [from, until, q.court];
  // One connection runs one statement at a time: awaiting each in turn says so.
  return inSnapshot(pool, async (db) => {
    const byMeasure = (await db.query<{ measure: string; count: number }>(NOTICES_BY_MEASURE, args)).rows;
    const byAgency = (await db.query<{ agency: string; count: number }>(NOTICES_BY_AGENCY, args)).rows;
    const outcomes = (await db.query<OutcomeRow>(requestOutcomes(q.court), args)).rows;
    const listings = (
      await db.query<{ measure: string; requests: number; notices: number }>(listings_(q.court), [
        ...args,
        LISTING_MEASURES,
      ])
    ).rows;
    const holdRows = (
      await db.query<{ measure: string; requests: number }>(holds(q.court), [
        ...args,
        HOLD_AND_RENEWAL_MEASURES,
      ])
    ).rows;
    const money = (
      await db.query<{ measure: string; fen: string; unreadable: number }>(moneyRollup(q.court), [
        ...args,
        MONEY_MEASURES,
      ])
    ).rows;
    const unread = (
      await db.query<{ agency: string; measure: string; result_json: string | null }>(UNREAD_AMOUNT_ANSWERS, [
        start,
        end,
        q.court,
      ])
    ).rows;

    const interceptions = await yearlyInterceptions(db, {
      from,
      until,
      court: q.court,
    });

    const total = outcomes.find((r) => r.level === 1);
    const listed = new Map(listings.map((l) => [l.measure, l]));
    const carriedOut = new Map(holdRows.map((h) => [h.measure, h.requests]));
    return {
      year: q.year,
      court: q.court,
      generatedAt: now.toISOString(),
      notices: { total: byMeasure.reduce((sum, m) => sum + m.count, 0), byMeasure, byAgency },
      requests: {
        ...(total ? toOutcomes(total) : emptyOutcomes()),
        byAgency: outcomes.filter((r) => r.level === 0).map((r) => ({ agency: r.agency!, ...toOutcomes(r) })),
      },
      money: addMoneyRollup(
        sumAnswerAmounts(
          unread.map((a) => ({ agency: a.agency, measure: a.measure, resultJson: a.result_json })),
        ),
        money,
      ),
      holds: RENEWALS.map(([renewal, measure]) => ({
        measure,
        placed: carriedOut.get(measure) ?? 0,
        renewals: carriedOut.get(renewal) ?? 0,
      })),
      listings: LISTING_MEASURES.map((measure) => ({
        measure,
        requests: listed.get(measure)?.requests ?? 0,
        notices: listed.get(measure)?.notices ?? 0,
      })),
      interceptions,
    };
  });
}

function toOutcomes(r: OutcomeRow): RequestOutcomes {
  return {
    dispatched: r.dispatched,
    done: r.done,
    partial: r.partial,
    cannotAssist: r.cannot_assist,
    refused: r.refused,
    failed: r.failed,
    open: r.open,
    answered: r.answered,
    averageAnswerSeconds:
      r.average_answer_seconds === null ? null : Math.round(r.average_answer_seconds * 1000) / 1000,
  };
}

function emptyOutcomes(): RequestOutcomes {
  return {
    dispatched: 0,
    done: 0,
    partial: 0,
    cannotAssist: 0,
    refused: 0,
    failed: 0,
    open: 0,
    answered: 0,
    averageAnswerSeconds: null,
  };
}
