import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  CalendarNotCoveredError,
  endOfShanghaiDay,
  holidayYearsSchema,
  isWorkingDay,
  makeCalendar,
  mergeHolidayYears,
  PRC_CALENDAR,
  PRC_HOLIDAYS,
  shanghaiDate,
} from './calendar.ts';

const at = (iso: string) => new Date(iso);
const weekday = (dateKey: string) => new Date(`${dateKey}T00:00:00Z`).getUTCDay();

describe('the PRC holiday table', () => {
  it('covers 2024–2027, with only 2027 provisional', () => {
    expect(PRC_HOLIDAYS.map((y) => [y.year, y.provisional])).toEqual([
      [2024, false],
      [2025, false],
      [2026, false],
      [2027, true],
    ]);
    expect(PRC_CALENDAR.covers(2026)).toBe(true);
    expect(PRC_CALENDAR.covers(2028)).toBe(false);
    expect(PRC_CALENDAR.isProvisional(2027)).toBe(true);
    expect(PRC_CALENDAR.years.find((y) => y.year === 2027)).toMatchObject({ provisional: true });
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
    ['2024-09-29', true], // Sunday made a working day for 国庆 2024
    ['2024-10-07', false],
    ['2024-10-12', true],
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
    // 国庆 2024 (国办发明电〔2023〕7号): from Monday 9/30 the next working days are 10/8, 10/9, 10/10.
    ['2024-09-30T10:00:00+08:00', 3, '2024-10-10T23:59:59.999+08:00'],
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
      max: at('2027-11-01T00:00:00Z'),
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
        holidays: [{ first: '2030-01-01', last: '2030-01-03', name: '元旦' }],
        makeUpWorkdays: ['2030-01-05'],
      },
    ]);
    expect(calendar.isWorkingDate('2030-01-02')).toBe(false);
    expect(calendar.isWorkingDate('2030-01-05')).toBe(true);
    expect(calendar.addWorkingDays(at('2030-12-30T12:00:00+08:00'), 1).toISOString()).toBe(
      '2030-12-31T15:59:59.999Z',
    );
  });

  it('refuses to count into a year without a table, with a stable code', () => {
    // Beyond the table (2031) weekends-only counting would ignore 元旦: refused instead.
    expect(() => PRC_CALENDAR.addWorkingDays(at('2027-12-30T12:00:00+08:00'), 3)).toThrow(
      CalendarNotCoveredError,
    );
    expect(PRC_CALENDAR.tryAddWorkingDays(at('2027-12-30T12:00:00+08:00'), 3)).toEqual({
      ok: false,
      code: 'CALENDAR_NOT_COVERED',
      year: 2028,
    });
    expect(() => PRC_CALENDAR.isWorkingDate('2023-06-01')).toThrow(CalendarNotCoveredError);
    try {
      addWorkingDays(at('2028-01-03T09:00:00+08:00'), 1);
    } catch (err) {
      expect(err).toMatchObject({ code: 'CALENDAR_NOT_COVERED', details: [{ year: 2028 }] });
    }
    // n = 0 touches no day beyond the start, so still fine at the edge of coverage.
    expect(PRC_CALENDAR.tryAddWorkingDays(at('2027-12-31T09:00:00+08:00'), 0).ok).toBe(true);
  });

  it('counting inside covered years never fails, outside always does', () => {
    const start = fc.date({
      min: at('2024-01-01T00:00:00Z'),
      max: at('2028-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 20 }), (s, n) => {
        const r = PRC_CALENDAR.tryAddWorkingDays(s, n);
        if (r.ok) expect(PRC_CALENDAR.covers(Number(shanghaiDate(r.at).slice(0, 4)))).toBe(true);
        else expect(PRC_CALENDAR.covers(r.year)).toBe(false);
      }),
    );
  });
});

describe('loading year tables', () => {
  const published2027 = {
    year: 2027,
    provisional: false,
    source: 'test: the published 2027 notice',
    holidays: [{ first: '2027-10-01', last: '2027-10-07', name: '国庆节' }],
    makeUpWorkdays: ['2027-09-26'],
  };

  it('replaces a provisional year and adds new ones', () => {
    const extra = holidayYearsSchema.parse([
      published2027,
      { ...published2027, year: 2028, holidays: [], makeUpWorkdays: [] },
    ]);
    const calendar = makeCalendar(mergeHolidayYears(PRC_HOLIDAYS, extra));
    expect(calendar.isProvisional(2027)).toBe(false);
    expect(calendar.isWorkingDate('2027-10-06')).toBe(false);
    expect(calendar.isWorkingDate('2027-09-26')).toBe(true);
    expect(calendar.covers(2028)).toBe(true);
    expect(calendar.years.map((y) => y.year)).toEqual([2024, 2025, 2026, 2027, 2028]);
  });

  it.each([
    [
      'a holiday outside its year',
      { ...published2027, holidays: [{ first: '2026-12-31', last: '2027-01-01', name: 'x' }] },
    ],
    ['a make-up day that is not a weekend', { ...published2027, makeUpWorkdays: ['2027-09-27'] }],
    [
      'a reversed range',
      { ...published2027, holidays: [{ first: '2027-10-07', last: '2027-10-01', name: 'x' }] },
    ],
    ['a date that is no date', { ...published2027, makeUpWorkdays: ['2027-02-30'] }],
    ['no source', { ...published2027, source: '' }],
  ])('refuses %s', (_, year) => {
    expect(holidayYearsSchema.safeParse([year]).success).toBe(false);
  });

  it('refuses the same year twice', () => {
    expect(holidayYearsSchema.safeParse([published2027, published2027]).success).toBe(false);
  });
});
