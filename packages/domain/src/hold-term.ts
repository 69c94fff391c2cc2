/**
 * When a freeze or seal (a hold) ends and when the court is reminded to renew it. Days are Asia/Shanghai
 * calendar days (YYYY-MM-DD). A term of n days starting on `from` runs to the (n-1)th day after it,
 * inclusive: a 365-day deposit freeze from 2026-03-01 holds until 2027-02-28 and lapses on 2027-03-01.
 */
import { endOfShanghaiDay, PRC_CALENDAR, shanghaiDate, type WorkingDayCalendar } from './calendar.ts';
import {
  type AssetKind,
  EXPIRY_REMINDER,
  maxTermDays,
  REMINDER_RULE_SETS,
  type ReminderRuleSet,
  reminderRulesFor,
  type TermRuleSet,
  termRulesAt,
} from './rules.ts';

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

/** The instant a hold ending on `lastDay` lapses unless renewed: the end of that day, Asia/Shanghai (00:00 +08:00 next day). */
export function holdLapsesAt(lastDay: string): Date {
  return new Date(endOfShanghaiDay(lastDay).getTime() + 1);
}

export interface RenewalReminder {
  at: Date;
  leadWorkingDays: number;
  /** The reminder rule set applied (its id), for the record. */
  rules: string;
  /** The count reached a year without a holiday table: weekends only, moved earlier by the rules' margin. */
  estimated: boolean;
}

/**
 * When to remind the court to renew a hold on `assetKind` ending on `lastDay`: the lead the reminder rules
 * set for that asset kind, in working days (`expiryReminderAt`). Where the count reaches a year the calendar
 * has no table for, weekends alone are counted and the reminder is moved earlier by the rules' margin, never
 * later: a 3-year seal must still be reminded of, years before its holiday table is published.
 */
export function renewalReminder(
  lastDay: string,
  assetKind: AssetKind,
  calendar: WorkingDayCalendar = PRC_CALENDAR,
  sets: readonly ReminderRuleSet[] = REMINDER_RULE_SETS,
): RenewalReminder {
  const rules = reminderRulesFor(lastDay, sets);
  const lead = rules.leadWorkingDays[assetKind];
  let estimated = false;
  const lenient: WorkingDayCalendar = {
    ...calendar,
    isWorkingDate(day) {
      if (calendar.covers(Number(day.slice(0, 4)))) return calendar.isWorkingDate(day);
      estimated = true;
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      return weekday !== 0 && weekday !== 6;
    },
  };
  const counted = expiryReminderAt(lastDay, lead, lenient);
  const at = estimated
    ? expiryReminderAt(addDaysToDay(shanghaiDate(counted), -rules.uncoveredYearMarginDays), 0)
    : counted;
  return { at, leadWorkingDays: lead, rules: rules.id, estimated };
}
