/**
 * Calendar days of terms (YYYY-MM-DD in Asia/Shanghai). A term of n days starting on `from` ends on the
 * (n-1)th day after it, inclusive: a one-year (365-day) freeze from 2025-03-01 runs until 2026-02-28.
 */
import { shanghaiDate } from '@hub/domain';

const DAY_MS = 86_400_000;

export function dayOf(at: Date): string {
  return shanghaiDate(at);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function termUntil(from: string, termDays: number): string {
  return addDays(from, termDays - 1);
}

export function laterDay(a: string, b: string): string {
  return a > b ? a : b;
}

/** An instant as ISO 8601 with the +08:00 offset agencies write. */
export function shanghaiInstant(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

export const isTerm = (days: number) => Number.isSafeInteger(days) && days > 0;
