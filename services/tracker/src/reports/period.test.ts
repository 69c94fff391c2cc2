import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatShanghaiTime,
  instantRange,
  isCalendarDate,
  quarterOf,
  resolvePeriod,
  yearRange,
} from './period.js';

describe('report periods in Shanghai calendar days', () => {
  it.each([
    ['2026-01-01', '2026-01-01', '2026-03-31'],
    ['2026-03-31', '2026-01-01', '2026-03-31'],
    ['2026-04-01', '2026-04-01', '2026-06-30'],
    ['2026-08-15', '2026-07-01', '2026-09-30'],
    ['2026-12-31', '2026-10-01', '2026-12-31'],
    ['2028-02-29', '2028-01-01', '2028-03-31'],
  ])('%s falls in the quarter %s–%s', (day, from, to) => {
    expect(quarterOf(day)).toEqual({ from, to });
  });

  it('defaults to the quarter of now in Shanghai, which starts 8 hours before UTC’s', () => {
    // 2026-03-31T16:30Z is already 2026-04-01 00:30 in Shanghai: Q2.
    expect(resolvePeriod({}, new Date('2026-03-31T16:30:00Z'))).toEqual({
      from: '2026-04-01',
      to: '2026-06-30',
    });
    expect(resolvePeriod({}, new Date('2026-03-31T15:59:59Z'))).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
    });
  });

  it('fills a missing bound from the given bound’s quarter', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    expect(resolvePeriod({ from: '2026-02-10' }, now)).toEqual({ from: '2026-02-10', to: '2026-03-31' });
    expect(resolvePeriod({ to: '2026-05-03' }, now)).toEqual({ from: '2026-04-01', to: '2026-05-03' });
    expect(resolvePeriod({ from: '2025-12-01', to: '2026-01-15' }, now)).toEqual({
      from: '2025-12-01',
      to: '2026-01-15',
    });
  });

  it('covers whole Shanghai days, the last one included', () => {
    expect(instantRange({ from: '2026-01-01', to: '2026-03-31' })).toEqual({
      start: new Date('2025-12-31T16:00:00Z'),
      end: new Date('2026-03-31T16:00:00Z'),
    });
    expect(yearRange(2026)).toEqual({
      start: new Date('2025-12-31T16:00:00Z'),
      end: new Date('2026-12-31T16:00:00Z'),
    });
  });

  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['20260101', false],
    ['2026-01-01T00:00', false],
  ])('%s is a calendar day: %s', (text, ok) => {
    expect(isCalendarDate(text)).toBe(ok);
  });

  it('every day lies in exactly the quarter that quarterOf names', () => {
    const day = fc.integer({ min: 0, max: 365 * 200 }).map((n) => addDays('1950-01-01', n));
    fc.assert(
      fc.property(day, (d) => {
        const q = quarterOf(d);
        expect(q.from <= d && d <= q.to).toBe(true);
        expect(quarterOf(q.from)).toEqual(q);
        expect(quarterOf(addDays(q.to, 1)).from).toBe(addDays(q.to, 1));
      }),
    );
  });

  it('prints instants in Beijing time', () => {
    expect(formatShanghaiTime(new Date('2026-04-10T04:05:00Z'))).toBe('2026-04-10 12:05');
  });
});
