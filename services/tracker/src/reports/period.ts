/**
 * Report periods as Shanghai calendar days (Asia/Shanghai is UTC+8 all year, no DST). A period names its
 * first and last day, both inclusive, as people write them on a 通报; the SQL reads the half-open instant
 * range [start of `from`, start of the day after `to`). Pure: "today" comes in as an argument.
 */
import { shanghaiDate } from '@hub/domain';

export interface Period {
  /** First day, YYYY-MM-DD (Shanghai), inclusive. */
  from: string;
  /** Last day, YYYY-MM-DD (Shanghai), inclusive. */
  to: string;
}

export interface InstantRange {
  start: Date;
  /** Exclusive. */
  end: Date;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar day written YYYY-MM-DD (so 2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** 00:00 in Shanghai on that day. */
export function startOfShanghaiDay(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function instantRange(period: Period): InstantRange {
  return { start: startOfShanghaiDay(period.from), end: startOfShanghaiDay(addDays(period.to, 1)) };
}

/** The calendar quarter (Q1 = Jan–Mar …) a Shanghai day falls in. */
export function quarterOf(date: string): Period {
  const year = Number(date.slice(0, 4));
  const firstMonth = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3; // 0, 3, 6, 9
  const from = new Date(Date.UTC(year, firstMonth, 1)).toISOString().slice(0, 10);
  const nextQuarter = new Date(Date.UTC(year, firstMonth + 3, 1)).toISOString().slice(0, 10);
  return { from, to: addDays(nextQuarter, -1) };
}

/**
 * The period a report covers. With neither bound, the quarter `now` falls in (Shanghai). With one bound,
 * the other is that bound's quarter's edge, so `?from=2026-01-01` alone means Q1 2026.
 */
export function resolvePeriod(bounds: { from?: string; to?: string }, now: Date): Period {
  const anchor = bounds.from ?? bounds.to ?? shanghaiDate(now);
  const quarter = quarterOf(anchor);
  return { from: bounds.from ?? quarter.from, to: bounds.to ?? quarter.to };
}

/** A calendar year in Shanghai as an instant range. */
export function yearRange(year: number): InstantRange {
  const y = String(year).padStart(4, '0');
  const next = String(year + 1).padStart(4, '0');
  return { start: startOfShanghaiDay(`${y}-01-01`), end: startOfShanghaiDay(`${next}-01-01`) };
}

/** `YYYY-MM-DD HH:mm` in Shanghai, for printed reports. */
export function formatShanghaiTime(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
