/**
 * When a freeze or seal (a hold) ends and when the court is reminded to renew it. Days are Asia/Shanghai
 * calendar days (YYYY-MM-DD). A term of n days starting on `from` runs to the (n-1)th day after it,
 * inclusive: a 365-day deposit freeze from 2026-03-01 holds until 2027-02-28 and lapses on 2027-03-01.
 */
import { PRC_CALENDAR, shanghaiDate, type WorkingDayCalendar } from './calendar.ts';
import { type AssetKind, EXPIRY_REMINDER, maxTermDays, type TermRuleSet, termRulesAt } from './rules.ts';

const DAY_MS = 86_400_000;

/** A term is a positive whole number of days. */
export const isTermDays = (days: number): boolean => Number.isSafeInteger(days) && days > 0;

/** The day `n` days after (or before, for negative n) a YYYY-MM-DD day. */
export function addDaysToDay(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The last day a term of `termDays` starting on `from` holds (inclusive). */
export function termLastDay(from: string, termDays: number): string {
  if (!isTermDays(termDays))
    throw new RangeError(`a term is a positive whole number of days, got ${termDays}`);
  return addDaysToDay(from, termDays - 1);
}

export type HoldEnd =
  | { ok: true; lastDay: string; termDays: number }
  | { ok: false; code: 'TERM_EXCEEDS_LIMIT'; maxDays: number };

/**
 * The last day of a hold on an asset kind starting at `start`: the term the court asked for, or without one
 * the longest the rules in force allow (民事诉讼法解释 art. 485, formerly 487). A longer term than the rules
 * allow is refused, never cut short silently: the court must know what it holds until.
 */
export function holdEnd(
  start: string | Date,
  assetKind: AssetKind,
  termDays?: number,
  rules: TermRuleSet = termRulesAt(start),
): HoldEnd {
  const from = typeof start === 'string' ? start : shanghaiDate(start);
  const maxDays = maxTermDays(rules, assetKind, from);
  const days = termDays ?? maxDays;
  if (days > maxDays) return { ok: false, code: 'TERM_EXCEEDS_LIMIT', maxDays };
  return { ok: true, lastDay: termLastDay(from, days), termDays: days };
}

/**
 * When to remind the court that a hold lapses unless renewed: the start (00:00 +08:00) of the `lead`th
 * working day before its last day, the last day itself not counted. Working days follow the calendar's
 * holidays and make-up days (调休); a day in a year without a table throws CalendarNotCoveredError.
 */
export function expiryReminderAt(
  lastDay: string,
  lead: number = EXPIRY_REMINDER.defaultLeadWorkingDays,
  calendar: WorkingDayCalendar = PRC_CALENDAR,
): Date {
  if (!Number.isInteger(lead) || lead < 0)
    throw new RangeError(`lead must be a whole number ≥ 0, got ${lead}`);
  let day = lastDay;
  for (let counted = 0; counted < lead; ) {
    day = addDaysToDay(day, -1);
    if (calendar.isWorkingDate(day)) counted += 1;
  }
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}
