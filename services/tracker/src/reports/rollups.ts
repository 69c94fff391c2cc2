/**
 * Reading the rollups of migrations 1013 and 1014: a range of Shanghai days as whole months (the histograms' month
 * rows, the counters' monthly twins) plus the days left over at either end.
 */
import { shanghaiDate } from '@hub/domain';
import { addDays, startOfShanghaiDay } from './period.js';

/** A range of days [from, until) as month rows [m0, m1) and day rows [from, m0) ∪ [m1, until). */
export interface DayRange {
  from: string;
  /** Exclusive; null: no end. */
  until: string | null;
  m0: string;
  m1: string | null;
}

const firstOfNextMonth = (day: string) => {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
};

export function dayRange(from: string, until: string | null): DayRange {
  const m0 = from.endsWith('-01') ? from : firstOfNextMonth(from);
  if (until === null) return { from, until, m0, m1: null };
  const m1 = `${until.slice(0, 7)}-01`;
  // Not even one whole month: day rows only.
  if (m0 >= m1) return { from, until, m0: until, m1: until };
  return { from, until, m0, m1 };
}

/**
 * The predicate over `rollup_answer_hist` for a DayRange passed as $p, $p+1, $p+2, $p+3 (from, until, m0, m1).
 */
export function histRangeSql(p: number): string {
  const [from, until, m0, m1] = [`$${p}::date`, `$${p + 1}::date`, `$${p + 2}::date`, `$${p + 3}::date`];
  return `((month AND day >= ${m0} AND (${m1} IS NULL OR day < ${m1}))
    OR (NOT month AND day >= ${from} AND day < ${m0})
    OR (NOT month AND ${m1} IS NOT NULL AND day >= ${m1} AND (${until} IS NULL OR day < ${until})))`;
}

export const dayRangeArgs = (r: DayRange) => [r.from, r.until, r.m0, r.m1];

/**
 * The rows of a day rollup and its monthly twin (migration 1014) that make up a DayRange with an end, passed as
 * $p … $p+3 (dayRangeArgs): whole months from `monthly`, the days left over from `daily`. Both have the same
 * columns, `day` being a month's first day in the twin.
 */
export function rollupRangeSql(daily: string, monthly: string, p: number): string {
  const [from, until, m0, m1] = [`$${p}::date`, `$${p + 1}::date`, `$${p + 2}::date`, `$${p + 3}::date`];
  return `(SELECT * FROM ${monthly} WHERE day >= ${m0} AND day < ${m1}
    UNION ALL SELECT * FROM ${daily} WHERE day >= ${from} AND day < ${m0}
    UNION ALL SELECT * FROM ${daily} WHERE day >= ${m1} AND day < ${until})`;
}

/** The first Shanghai midnight at or after `instant`, and its day. */
export function nextShanghaiMidnight(instant: Date): { at: Date; day: string } {
  const day = shanghaiDate(instant);
  const start = startOfShanghaiDay(day);
  if (start.getTime() === instant.getTime()) return { at: start, day };
  const next = addDays(day, 1);
  return { at: startOfShanghaiDay(next), day: next };
}
