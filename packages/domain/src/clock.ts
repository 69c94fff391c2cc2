/**
 * The one clock abstraction (DESIGN §5). Domain code never reads the time; services take a Clock and pass
 * dates in. `scaledClock` runs hub time faster than real time so demos and tests can live a day in seconds.
 */

export interface Clock {
  now(): Date;
  /** Hub milliseconds per real millisecond, where the clock runs at a known rate (a manual clock does not). */
  readonly rate?: number;
}

/** Real time. The only place the hub reads the system clock. */
export const systemClock: Clock = { now: () => new Date(), rate: 1 };

export function fixedClock(date: Date): Clock {
  const ms = date.getTime();
  return { now: () => new Date(ms) };
}

export interface ScaledClockOptions {
  /** Hub milliseconds per real millisecond; 1 is real speed, 1440 makes a day pass in a minute. */
  scale: number;
  /** Hub time at the moment the clock is made. */
  origin: Date;
  /** Real time in epoch milliseconds; defaults to Date.now, injected in tests. */
  realNow?: () => number;
}

/** hub time = origin + (real time elapsed since creation) × scale. */
export function scaledClock({ scale, origin, realNow = Date.now }: ScaledClockOptions): Clock {
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`clock scale must be > 0, got ${scale}`);
  const originMs = origin.getTime();
  const realStart = realNow();
  return { now: () => new Date(originMs + (realNow() - realStart) * scale), rate: scale };
}

/** A clock a test moves by hand. */
export interface ManualClock extends Clock {
  set(date: Date): void;
  advance(ms: number): Date;
  /** Called after every move (a timer sweeper wakes rather than wait for its next read); returns unsubscribe. */
  onChange(listener: () => void): () => void;
}

export function manualClock(start: Date): ManualClock {
  let ms = start.getTime();
  const listeners = new Set<() => void>();
  const moved = () => {
    for (const listener of listeners) listener();
  };
  return {
    now: () => new Date(ms),
    set: (date) => {
      ms = date.getTime();
      moved();
    },
    advance: (delta) => {
      ms += delta;
      moved();
      return new Date(ms);
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** An instant written to the microsecond in UTC (`2026-11-23T01:00:00.123456Z`), as PostgreSQL keeps timestamps. */
const UTC_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * Whether `s` is an instant in that form that exists: no 30 February, no hour 24, no year 0 (which PostgreSQL
 * refuses), so a position handed back by a client is checked before it reaches SQL.
 */
export function isUtcMicros(s: string): boolean {
  if (!UTC_MICROS.test(s)) return false;
  const d = new Date(`${s.slice(0, 23)}Z`);
  return (
    !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.toISOString().slice(0, 23) === s.slice(0, 23)
  );
}
