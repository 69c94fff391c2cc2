import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  endOfShanghaiDay,
  isWorkingDay,
  makeCalendar,
  PRC_CALENDAR,
  PRC_HOLIDAYS,
  shanghaiDate,
} from './calendar.ts';

const at = (iso: string) => new Date(iso);
const weekday = (dateKey: string) => new Date(`${dateKey}T00:00:00Z`).getUTCDay();

describe('the PRC holiday table', () => {
  it('covers 2025–2027, with only 2027 provisional', () => {
    expect(PRC_HOLIDAYS.map((y) => [y.year, y.provisional])).toEqual([
      [2025, false],
      [2026, false],
      [2027, true],
    ]);
    expect(PRC_CALENDAR.covers(2026)).toBe(true);
    expect(PRC_CALENDAR.covers(2028)).toBe(false);
    expect(PRC_CALENDAR.isProvisional(2027)).toBe(true);
  });

  it('puts every make-up working day on a weekend, inside its own year', () => {
    for (const y of PRC_HOLIDAYS) {
      for (const day of y.makeUpWorkdays) {
        expect([0, 6]).toContain(weekday(day));
        expect(day.startsWith(String(y.year))).toBe(true);
      }
    }
  });

  it.each([
    ['2025-01-01', false], // 元旦
    ['2025-01-26', true], // Sunday made a working day for 春节
    ['2025-01-28', false],
    ['2025-02-04', false],
    ['2025-02-05', true],
    ['2025-02-08', true], // Saturday made a working day
    ['2025-04-27', true],
    ['2025-05-05', false],
    ['2025-06-02', false],
    ['2025-09-28', true],
    ['2025-10-08', false],
    ['2025-10-11', true],
    ['2025-10-12', false], // an ordinary Sunday
    ['2026-01-02', false],
    ['2026-01-04', true],
    ['2026-02-14', true],
    ['2026-02-23', false],
    ['2026-02-24', true],
    ['2026-02-28', true],
    ['2026-05-09', true],
    ['2026-06-19', false],
    ['2026-09-20', true],
    ['2026-09-25', false],
    ['2026-10-07', false],
    ['2026-10-10', true],
    ['2026-11-23', true], // an ordinary Monday
    ['2027-02-09', false], // provisional 春节
    ['2027-10-05', false],
    ['2028-01-03', true], // beyond the table: weekdays work
    ['2028-01-01', false], // a Saturday
  ])('%s is a working day: %s', (day, working) => {
    expect(PRC_CALENDAR.isWorkingDate(day)).toBe(working);
  });

  it('reads the day in Asia/Shanghai, not UTC', () => {
    // 2025-10-08T16:00Z is 2025-10-09 00:00 in Shanghai: the first working day after 国庆.
    expect(isWorkingDay(at('2025-10-08T15:59:59.999Z'))).toBe(false);
    expect(isWorkingDay(at('2025-10-08T16:00:00Z'))).toBe(true);
    expect(shanghaiDate(at('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });
});

describe('addWorkingDays', () => {
  it.each([
    // Friday evening before 春节 2025: Sun 1/26 is a working day, then Mon 1/27, then 2/5 after the holiday.
    ['2025-01-24T17:00:00+08:00', 3, '2025-02-05T23:59:59.999+08:00'],
    ['2025-01-24T17:00:00+08:00', 1, '2025-01-26T23:59:59.999+08:00'],
    // An ordinary Monday morning: the start day never counts.
    ['2026-11-23T09:00:00+08:00', 3, '2026-11-26T23:59:59.999+08:00'],
    ['2026-11-27T09:00:00+08:00', 1, '2026-11-30T23:59:59.999+08:00'],
    // 国庆 2026: from 9/30 the next working days are 10/8, 10/9, 10/10 (a make-up Saturday).
    ['2026-09-30T10:00:00+08:00', 3, '2026-10-10T23:59:59.999+08:00'],
    // n = 0 ends the start day.
    ['2026-11-23T09:00:00+08:00', 0, '2026-11-23T23:59:59.999+08:00'],
    // 00:30 in Shanghai is still the previous UTC day.
    ['2026-11-23T00:30:00+08:00', 1, '2026-11-24T23:59:59.999+08:00'],
  ])('%s + %d working days → %s', (start, n, due) => {
    expect(addWorkingDays(at(start), n).getTime()).toBe(at(due).getTime());
  });

  it('refuses negative or fractional counts', () => {
    expect(() => addWorkingDays(at('2026-01-05T00:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2026-01-05T00:00:00Z'), 1.5)).toThrow(RangeError);
  });

  it('always ends at 23:59:59.999 Shanghai time on a working day, strictly later for larger n', () => {
    const start = fc.date({
      min: at('2024-12-01T00:00:00Z'),
      max: at('2027-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 30 }), (s, n) => {
        const due = addWorkingDays(s, n);
        expect(due.getTime()).toBe(endOfShanghaiDay(shanghaiDate(due)).getTime());
        expect(isWorkingDay(due)).toBe(true);
        expect(due.getTime()).toBeGreaterThan(s.getTime());
        expect(addWorkingDays(s, n + 1).getTime()).toBeGreaterThan(due.getTime());
      }),
    );
  });

  it('counts exactly n working days strictly between the start day and the deadline, inclusive of the last', () => {
    const start = fc.date({
      min: at('2025-01-01T00:00:00Z'),
      max: at('2027-12-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(start, fc.integer({ min: 0, max: 15 }), (s, n) => {
        const due = addWorkingDays(s, n);
        let count = 0;
        for (let t = endOfShanghaiDay(shanghaiDate(s)).getTime() + 1; t <= due.getTime(); t += 86_400_000) {
          if (isWorkingDay(new Date(t))) count += 1;
        }
        expect(count).toBe(n);
      }),
    );
  });

  it('uses whatever table it is made with', () => {
    const calendar = makeCalendar([
      {
        year: 2030,
        provisional: false,
        source: 'test',
        holidays: [['2030-01-01', '2030-01-03']],
        makeUpWorkdays: ['2030-01-05'],
      },
    ]);
    expect(calendar.isWorkingDate('2030-01-02')).toBe(false);
    expect(calendar.isWorkingDate('2030-01-05')).toBe(true);
    // Beyond the table (2031) only weekends are days off.
    expect(calendar.addWorkingDays(at('2030-12-31T12:00:00+08:00'), 1).toISOString()).toBe(
      '2031-01-01T15:59:59.999Z',
    );
  });
});
