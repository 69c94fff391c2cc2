import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedClock, isUtcMicros, manualClock, scaledClock, systemClock } from './clock.ts';

describe('clocks', () => {
  it('a fixed clock always reads the same instant, and its dates cannot be mutated into it', () => {
    const clock = fixedClock(new Date('2026-11-23T01:00:00Z'));
    const first = clock.now();
    first.setUTCFullYear(2000);
    expect(clock.now().toISOString()).toBe('2026-11-23T01:00:00.000Z');
  });

  it('a scaled clock runs hub time at scale × real elapsed time from its origin', () => {
    let real = 1_000_000;
    const clock = scaledClock({ scale: 1440, origin: new Date('2026-11-23T00:00:00Z'), realNow: () => real });
    expect(clock.now().toISOString()).toBe('2026-11-23T00:00:00.000Z');
    real += 60_000; // one real minute is one hub day
    expect(clock.now().toISOString()).toBe('2026-11-24T00:00:00.000Z');
    real += 30_000;
    expect(clock.now().toISOString()).toBe('2026-11-24T12:00:00.000Z');
  });

  it('a scaled clock refuses a non-positive scale', () => {
    expect(() => scaledClock({ scale: 0, origin: new Date(), realNow: () => 0 })).toThrow(RangeError);
    expect(() => scaledClock({ scale: Number.NaN, origin: new Date(), realNow: () => 0 })).toThrow(
      RangeError,
    );
  });

  it('a manual clock moves only when told', () => {
    const clock = manualClock(new Date('2026-01-01T00:00:00Z'));
    expect(clock.advance(3_600_000).toISOString()).toBe('2026-01-01T01:00:00.000Z');
    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('the system clock reads real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe('isUtcMicros', () => {
  it('takes every instant written to the microsecond in UTC, and no time that does not exist', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 999 }),
        (d, us) => {
          expect(isUtcMicros(`${d.toISOString().slice(0, 23)}${String(us).padStart(3, '0')}Z`)).toBe(true);
        },
      ),
    );
    for (const s of [
      '2026-02-30T00:00:00.000000Z',
      '2026-13-01T00:00:00.000000Z',
      '2026-01-01T24:00:00.000000Z',
      '0000-01-01T00:00:00.000000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000000+08:00',
    ])
      expect(isUtcMicros(s), s).toBe(false);
  });
});
