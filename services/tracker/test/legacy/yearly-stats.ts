/**
 * Yearly linkage statistics (执行联动年度统计): what seed 001 says courts cannot produce today. Notices count
 * in the Shanghai year they were issued; requests, amounts and listings in the year they were dispatched,
 * with their outcome as of now — one population per figure, so its parts add up to its total.
 */
import { type HoldMeasure, MONEY_MEASURES, RENEWAL_OF, type RenewalMeasure } from '@hub/domain';
import type { Pool } from '@hub/store';
import { sumAnswerAmounts } from '../../src/reports/answer-amounts.js';
import { yearlyInterceptions } from '../../src/reports/interception-counts.js';
import { yearRange } from '../../src/reports/period.js';
import { inSnapshot } from '../../src/reports/snapshot.js';
// The oracle answers with the readers' own types.
import type { RequestOutcomes, YearlyStats } from '../../src/reports/yearly-stats.js';
import { closedSql, openSql } from '../../src/sql/request-status.js';

export const LISTING_MEASURES = ['dishonest-list', 'restrict-consumption'] as const;
const RENEWALS = Object.entries(RENEWAL_OF) as [RenewalMeasure, HoldMeasure][];
const HOLD_AND_RENEWAL_MEASURES = RENEWALS.flat();

// $1, $2: the year's instants; $3: court code or null. A request's court is its own (stamped at dispatch)
// or its notice's.
const YEAR_NOTICES = `
  SELECT n.id, n.measure FROM notices n
  WHERE n.issued_at >= $1 AND n.issued_at < $2 AND ($3::text IS NULL OR n.court_code = $3)`;
const YEAR_REQUESTS = `
  SELECT r.* FROM requests r LEFT JOIN notices n ON n.id = r.notice_id
  WHERE r.dispatched_at >= $1 AND r.dispatched_at < $2
    AND ($3::text IS NULL OR COALESCE(r.court_code, n.court_code) = $3)`;

const NOTICES_BY_MEASURE = `
  SELECT COALESCE(n.measure, '') AS measure, count(*)::int AS count FROM (${YEAR_NOTICES}) n
  GROUP BY 1 ORDER BY COALESCE(n.measure, '') COLLATE "C"`;
const NOTICES_BY_AGENCY = `
  SELECT r.agency, count(DISTINCT r.notice_id)::int AS count
  FROM requests r JOIN (${YEAR_NOTICES}) n ON n.id = r.notice_id
  GROUP BY r.agency ORDER BY r.agency COLLATE "C"`;
const REQUEST_OUTCOMES = `
  SELECT GROUPING(agency)::int AS level, agency,
    count(*)::int AS dispatched,
    count(*) FILTER (WHERE status = 'done')::int AS done,
    count(*) FILTER (WHERE status = 'partial')::int AS partial,
    count(*) FILTER (WHERE status = 'cannot-assist')::int AS cannot_assist,
    count(*) FILTER (WHERE status = 'refused')::int AS refused,
    count(*) FILTER (WHERE status = 'failed')::int AS failed,
    count(*) FILTER (WHERE ${openSql('')})::int AS open,
    count(*) FILTER (WHERE answered)::int AS answered,
    avg(extract(epoch FROM answered_at - dispatched_at)::float8) FILTER (WHERE answered) AS average_answer_seconds
  FROM (SELECT y.*, (${closedSql('y')} AND y.outcome IS NOT NULL AND y.answered_at IS NOT NULL) AS answered
        FROM (${YEAR_REQUESTS}) y) r
  GROUP BY GROUPING SETS ((agency), ())
  ORDER BY level, agency COLLATE "C"`;
const LISTINGS = `
  SELECT measure, count(*)::int AS requests, count(DISTINCT notice_id)::int AS notices
  FROM (${YEAR_REQUESTS}) r
  WHERE measure = ANY($4::text[]) AND status = 'done'
  GROUP BY measure`;
const HOLDS = `
  SELECT measure, count(*)::int AS requests FROM (${YEAR_REQUESTS}) r
  WHERE measure = ANY($4::text[]) AND status IN ('done', 'partial')
  GROUP BY measure`;
const AMOUNT_ANSWERS = `
  SELECT agency, measure, result_json FROM (${YEAR_REQUESTS}) r
  WHERE measure = ANY($4::text[]) AND status IN ('done', 'partial')`;

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
  const args = [start, end, q.court];
  // One connection runs one statement at a time: awaiting each in turn says so.
  return inSnapshot(pool, async (db) => {
    const byMeasure = (await db.query<{ measure: string; count: number }>(NOTICES_BY_MEASURE, args)).rows;
    const byAgency = (await db.query<{ agency: string; count: number }>(NOTICES_BY_AGENCY, args)).rows;
    const outcomes = (await db.query<OutcomeRow>(REQUEST_OUTCOMES, args)).rows;
    const listings = (
      await db.query<{ measure: string; requests: number; notices: number }>(LISTINGS, [
        ...args,
        LISTING_MEASURES,
      ])
    ).rows;
    const holds = (
      await db.query<{ measure: string; requests: number }>(HOLDS, [...args, HOLD_AND_RENEWAL_MEASURES])
    ).rows;
    const amounts = (
      await db.query<{ agency: string; measure: string; result_json: string | null }>(AMOUNT_ANSWERS, [
        ...args,
        MONEY_MEASURES,
      ])
    ).rows;

    const interceptions = await yearlyInterceptions(db, {
      from: `${String(q.year).padStart(4, '0')}-01-01`,
      until: `${String(q.year + 1).padStart(4, '0')}-01-01`,
      court: q.court,
    });

    const total = outcomes.find((r) => r.level === 1);
    const listed = new Map(listings.map((l) => [l.measure, l]));
    const carriedOut = new Map(holds.map((h) => [h.measure, h.requests]));
    return {
      year: q.year,
      court: q.court,
      generatedAt: now.toISOString(),
      notices: { total: byMeasure.reduce((sum, m) => sum + m.count, 0), byMeasure, byAgency },
      requests: {
        ...(total ? toOutcomes(total) : emptyOutcomes()),
        byAgency: outcomes.filter((r) => r.level === 0).map((r) => ({ agency: r.agency!, ...toOutcomes(r) })),
      },
      money: sumAnswerAmounts(
        amounts.map((a) => ({ agency: a.agency, measure: a.measure, resultJson: a.result_json })),
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
