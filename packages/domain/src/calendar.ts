/**
 * Working days (工作日) in Asia/Shanghai (UTC+8 all year, no DST), following the State Council's yearly
 * holiday arrangement with its make-up working days (调休). Pure: dates come in as arguments.
 */

export interface HolidayYear {
  year: number;
  /** true while the State Council has not yet published the year's arrangement. */
  provisional: boolean;
  source: string;
  /** Days off, as inclusive [first, last] ranges of YYYY-MM-DD (weekends inside a range included). */
  holidays: readonly (readonly [string, string])[];
  /** Weekend days that are working days (调休上班). */
  makeUpWorkdays: readonly string[];
}

export const PRC_HOLIDAYS: readonly HolidayYear[] = [
  {
    year: 2025,
    provisional: false,
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    holidays: [
      ['2025-01-01', '2025-01-01'], // 元旦
      ['2025-01-28', '2025-02-04'], // 春节
      ['2025-04-04', '2025-04-06'], // 清明节
      ['2025-05-01', '2025-05-05'], // 劳动节
      ['2025-05-31', '2025-06-02'], // 端午节
      ['2025-10-01', '2025-10-08'], // 国庆节、中秋节
    ],
    makeUpWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    provisional: false,
    source: '国务院办公厅关于2026年部分节假日安排的通知',
    holidays: [
      ['2026-01-01', '2026-01-03'], // 元旦
      ['2026-02-15', '2026-02-23'], // 春节
      ['2026-04-04', '2026-04-06'], // 清明节
      ['2026-05-01', '2026-05-05'], // 劳动节
      ['2026-06-19', '2026-06-21'], // 端午节
      ['2026-09-25', '2026-09-27'], // 中秋节
      ['2026-10-01', '2026-10-07'], // 国庆节
    ],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
  {
    // PROVISIONAL: not yet published. The statutory days of 全国年节及纪念日放假办法 (2024 revision: 元旦 1,
    // 春节 4 from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3), with statutory days that fall on a weekend
    // made up on the following working days as the 办法 requires; no 调休 is guessed. Replace when published.
    year: 2027,
    provisional: true,
    source: '全国年节及纪念日放假办法 statutory dates (provisional until the State Council publishes 2027)',
    holidays: [
      ['2027-01-01', '2027-01-01'], // 元旦 (Fri)
      ['2027-02-05', '2027-02-10'], // 春节: 除夕 2/5 Fri – 初三 2/8 Mon; 2/6–2/7 weekend made up 2/9–2/10
      ['2027-04-05', '2027-04-05'], // 清明节 (Mon)
      ['2027-05-01', '2027-05-04'], // 劳动节 5/1–5/2 weekend, made up 5/3–5/4
      ['2027-06-09', '2027-06-09'], // 端午节 (Wed)
      ['2027-09-15', '2027-09-15'], // 中秋节 (Wed)
      ['2027-10-01', '2027-10-05'], // 国庆节 10/1–10/3, 10/2–10/3 weekend made up 10/4–10/5
    ],
    makeUpWorkdays: [],
  },
];

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The calendar date (YYYY-MM-DD) in Asia/Shanghai of an instant. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function dayNumber(dateKey: string): number {
  return Date.parse(`${dateKey}T00:00:00Z`) / DAY_MS;
}

function dateKeyOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The last millisecond of a Shanghai calendar day: `${dateKey}T23:59:59.999+08:00`. */
export function endOfShanghaiDay(dateKey: string): Date {
  return new Date((dayNumber(dateKey) + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}

export interface WorkingDayCalendar {
  isWorkingDay(instant: Date): boolean;
  isWorkingDate(dateKey: string): boolean;
  /**
   * The end (23:59:59.999 +08:00) of the nth working day after the Shanghai day `start` falls on; the start
   * day itself never counts, whatever the hour, so "within 3 working days" of a Friday-evening event ends on
   * the third working day after that Friday. n = 0 gives the end of the start day.
   */
  addWorkingDays(start: Date, n: number): Date;
  /** Whether the year has a holiday table; outside them only weekends are days off. */
  covers(year: number): boolean;
  isProvisional(year: number): boolean;
}

const MAX_WORKING_DAYS = 3660;

export function makeCalendar(years: readonly HolidayYear[]): WorkingDayCalendar {
  const off = new Set<string>();
  const on = new Set<string>();
  for (const y of years) {
    for (const [first, last] of y.holidays) {
      for (let d = dayNumber(first); d <= dayNumber(last); d++) off.add(dateKeyOf(d));
    }
    for (const day of y.makeUpWorkdays) on.add(day);
  }
  const byYear = new Map(years.map((y) => [y.year, y]));

  const isWorkingDate = (dateKey: string): boolean => {
    if (on.has(dateKey)) return true;
    if (off.has(dateKey)) return false;
    const weekday = new Date(dayNumber(dateKey) * DAY_MS).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };

  return {
    isWorkingDate,
    isWorkingDay: (instant) => isWorkingDate(shanghaiDate(instant)),
    addWorkingDays(start, n) {
      if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
        throw new RangeError(`addWorkingDays needs an integer 0..${MAX_WORKING_DAYS}, got ${n}`);
      }
      let day = dayNumber(shanghaiDate(start));
      for (let counted = 0; counted < n; ) {
        day += 1;
        if (isWorkingDate(dateKeyOf(day))) counted += 1;
      }
      return endOfShanghaiDay(dateKeyOf(day));
    },
    covers: (year) => byYear.has(year),
    isProvisional: (year) => byYear.get(year)?.provisional ?? true,
  };
}

/** The PRC calendar for 2025–2027 (2027 provisional). */
export const PRC_CALENDAR: WorkingDayCalendar = makeCalendar(PRC_HOLIDAYS);

export function isWorkingDay(instant: Date): boolean {
  return PRC_CALENDAR.isWorkingDay(instant);
}

export function addWorkingDays(start: Date, n: number): Date {
  return PRC_CALENDAR.addWorkingDays(start, n);
}
