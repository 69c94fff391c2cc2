/** Small helpers for the synthetic dates of the population (YYYY-MM-DD strings, no clock). */
import type { Rng } from './rng.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** A day in [fromYear, toYear], day-of-month up to 28 so every month is valid. */
export function dayBetween(rng: Rng, fromYear: number, toYear: number): string {
  return `${rng.between(fromYear, Math.max(fromYear, toYear))}-${pad(rng.between(1, 12))}-${pad(rng.between(1, 28))}`;
}

/** An instant on `day` in Asia/Shanghai, ISO 8601 with offset. */
export function instantOn(rng: Rng, day: string): string {
  return `${day}T${pad(rng.between(6, 22))}:${pad(rng.int(60))}:00+08:00`;
}

export function addDaysTo(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
