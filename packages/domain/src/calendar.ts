/**
 * Working days (工作日) in Asia/Shanghai (UTC+8 all year, no DST), following the State Council's yearly
 * holiday arrangement with its make-up working days (调休). Pure: dates come in as arguments.
 *
 * The yearly tables are data (data/prc-holidays.json, validated by `holidayYearsSchema`): ops add a year, or
 * replace a provisional one with the published notice, through a file named in configuration
 * (HUB_CALENDAR_FILE, loaded by @hub/service-kit) without a code change. A working-day count that would
 * touch a year without a table is refused (CalendarNotCoveredError, or `ok: false` from
 * `tryAddWorkingDays`): counting weekends only there would put deadlines on public holidays.
 */
import { z } from 'zod';
import shippedYears from './data/prc-holidays.json' with { type: 'json' };
import { HubError } from './errors.ts';

const dateKey = z.iso.date();

const holidayYearSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    /** true while the State Council has not yet published the year's arrangement. */
    provisional: z.boolean(),
    source: z.string().trim().min(1),
    /** Days off, as inclusive ranges (weekends inside a range included). */
    holidays: z.array(z.strictObject({ first: dateKey, last: dateKey, name: z.string().min(1) })),
    /** Weekend days that are working days (调休上班). */
    makeUpWorkdays: z.array(dateKey),
  })
  .superRefine((y, ctx) => {
    const inYear = (d: string) => d.startsWith(`${y.year}-`);
    y.holidays.forEach((h, i) => {
      if (!inYear(h.first) || !inYear(h.last) || h.last < h.first) {
        ctx.addIssue({
          code: 'custom',
          message: `holiday range outside ${y.year} or reversed`,
          path: ['holidays', i],
        });
      }
    });
    y.makeUpWorkdays.forEach((d, i) => {
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (!inYear(d) || (weekday !== 0 && weekday !== 6)) {
        ctx.addIssue({
          code: 'custom',
          message: `make-up working day not a weekend of ${y.year}`,
          path: ['makeUpWorkdays', i],
        });
      }
    });
  });

/** A file of year tables, as shipped and as ops load them: years unique. */
export const holidayYearsSchema = z.array(holidayYearSchema).superRefine((years, ctx) => {
  const seen = new Set<number>();
  years.forEach((y, i) => {
    if (seen.has(y.year))
      ctx.addIssue({ code: 'custom', message: `year ${y.year} twice`, path: [i, 'year'] });
    seen.add(y.year);
  });
});

export type HolidayYear = z.infer<typeof holidayYearSchema>;

/** The tables shipped with the hub: 2024–2026 as published, 2027 provisional (statutory days, no 调休). */
export const PRC_HOLIDAYS: readonly HolidayYear[] = holidayYearsSchema.parse(shippedYears);

/** Tables with `extra` added; a year in `extra` replaces the shipped one (the published 2027 the provisional). */
export function mergeHolidayYears(
  base: readonly HolidayYear[],
  extra: readonly HolidayYear[],
): HolidayYear[] {
  const byYear = new Map(base.map((y) => [y.year, y]));
  for (const y of extra) byYear.set(y.year, y);
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** A working-day count touched a year the calendar has no table for. */
export class CalendarNotCoveredError extends HubError {
  constructor(readonly year: number) {
    super('CALENDAR_NOT_COVERED', [{ code: 'CALENDAR_NOT_COVERED', year }]);
  }
}

export type WorkingDaysResult =
  | { ok: true; at: Date }
  | { ok: false; code: 'CALENDAR_NOT_COVERED'; year: number };

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The calendar date (YYYY-MM-DD) in Asia/Shanghai of an instant. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function dayNumber(dateKey: string): number {
  return Date.parse(`${dateKey}T00:00:00Z`) / DAY_MS;
}

/** Whole days from one YYYY-MM-DD to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

function dateKeyOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The last millisecond of a Shanghai calendar day: `${dateKey}T23:59:59.999+08:00`. */
export function endOfShanghaiDay(dateKey: string): Date {
  return new Date((dayNumber(dateKey) + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}

export interface WorkingDayCalendar {
  /** Throws CalendarNotCoveredError for a day in a year without a table. */
  isWorkingDay(instant: Date): boolean;
  isWorkingDate(dateKey: string): boolean;
  /**
   * The end (23:59:59.999 +08:00) of the nth working day after the Shanghai day `start` falls on; the start
   * day itself never counts, whatever the hour, so "within 3 working days" of a Friday-evening event ends on
   * the third working day after that Friday. n = 0 gives the end of the start day. Throws
   * CalendarNotCoveredError when a day counted lies in a year without a table.
   */
  addWorkingDays(start: Date, n: number): Date;
  /** addWorkingDays as a result: `ok: false` names the first year without a table. */
  tryAddWorkingDays(start: Date, n: number): WorkingDaysResult;
  /** Whether the year has a holiday table. */
  covers(year: number): boolean;
  /** Whether the year's table is provisional (not yet the published notice); true for a year not covered. */
  isProvisional(year: number): boolean;
  /** The years with a table, ascending, each with whether it is provisional (for the console). */
  readonly years: readonly { year: number; provisional: boolean; source: string }[];
}

const MAX_WORKING_DAYS = 3660;

export function makeCalendar(years: readonly HolidayYear[]): WorkingDayCalendar {
  const off = new Set<string>();
  const on = new Set<string>();
  for (const y of years) {
    for (const { first, last } of y.holidays) {
      for (let d = dayNumber(first); d <= dayNumber(last); d++) off.add(dateKeyOf(d));
    }
    for (const day of y.makeUpWorkdays) on.add(day);
  }
  const byYear = new Map(years.map((y) => [y.year, y]));
  const yearOf = (key: string) => Number(key.slice(0, 4));

  const isWorkingDate = (key: string): boolean => {
    if (!byYear.has(yearOf(key))) throw new CalendarNotCoveredError(yearOf(key));
    if (on.has(key)) return true;
    if (off.has(key)) return false;
    const weekday = new Date(dayNumber(key) * DAY_MS).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };

  const tryAddWorkingDays = (start: Date, n: number): WorkingDaysResult => {
    if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
      throw new RangeError(`addWorkingDays needs an integer 0..${MAX_WORKING_DAYS}, got ${n}`);
    }
    let day = dayNumber(shanghaiDate(start));
    for (let counted = 0; counted < n; ) {
      day += 1;
      const key = dateKeyOf(day);
      if (!byYear.has(yearOf(key))) return { ok: false, code: 'CALENDAR_NOT_COVERED', year: yearOf(key) };
      if (isWorkingDate(key)) counted += 1;
    }
    return { ok: true, at: endOfShanghaiDay(dateKeyOf(day)) };
  };

  return {
    isWorkingDate,
    isWorkingDay: (instant) => isWorkingDate(shanghaiDate(instant)),
    tryAddWorkingDays,
    addWorkingDays(start, n) {
      const r = tryAddWorkingDays(start, n);
      if (!r.ok) throw new CalendarNotCoveredError(r.year);
      return r.at;
    },
    covers: (year) => byYear.has(year),
    isProvisional: (year) => byYear.get(year)?.provisional ?? true,
    years: [...byYear.values()]
      .sort((a, b) => a.year - b.year)
      .map(({ year, provisional, source }) => ({ year, provisional, source })),
  };
}

/** The PRC calendar as shipped: 2024–2027 (2027 provisional). Services load extra years (service-kit). */
export const PRC_CALENDAR: WorkingDayCalendar = makeCalendar(PRC_HOLIDAYS);

export function isWorkingDay(instant: Date): boolean {
  return PRC_CALENDAR.isWorkingDay(instant);
}

export function addWorkingDays(start: Date, n: number): Date {
  return PRC_CALENDAR.addWorkingDays(start, n);
}
