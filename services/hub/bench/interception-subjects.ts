/**
 * The interception benchmark's population: distinct valid resident IDs by index (born on consecutive days
 * from 1950-01-01, sequences 001…999), every tenth one restricted. Shared by the filler and the load child.
 */
import { residentIdCheckChar } from '@hub/domain';

const DAY_MS = 86_400_000;
const FIRST = Date.UTC(1950, 0, 1);

export function benchSubjectId(i: number): string {
  const day = new Date(FIRST + Math.floor(i / 999) * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `510104${day}${String((i % 999) + 1).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

export const isRestrictedSubject = (i: number, share: number) => share > 0 && i % Math.round(1 / share) === 0;

export const BENCH_INSTITUTION = 'ICBC';
export const BENCH_SECRET = 'icbc-demo-secret';
