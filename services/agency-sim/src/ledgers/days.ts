/**
 * Days as the agencies' books write them (YYYY-MM-DD in Asia/Shanghai). How long a term runs is the
 * domain's (@hub/domain hold-term.ts: termLastDay, addDaysToDay, isTermDays).
 */
import { shanghaiDate } from '@hub/domain';

export function dayOf(at: Date): string {
  return shanghaiDate(at);
}

export function laterDay(a: string, b: string): string {
  return a > b ? a : b;
}

/** An instant as ISO 8601 with the +08:00 offset agencies write. */
export function shanghaiInstant(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
