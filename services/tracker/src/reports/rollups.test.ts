import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './period.js';
import { type GrainPart, grainParts, grainUnits, histRowsSql, tileGrains } from './rollups.js';

const DAY = 86_400_000;
const BASE = Date.UTC(2023, 0, 1);
const dayArb = fc
  .integer({ min: 0, max: 8 * 366 })
  .map((d) => new Date(BASE + d * DAY).toISOString().slice(0, 10));
const dayOf = (s: string) => Number(s.slice(8, 10));
const daysBetween = (lo: string, hi: string) => (Date.parse(hi) - Date.parse(lo)) / DAY;

/** Whether `day` starts a unit of the grain. */
const aligned = (grain: GrainPart['grain'], day: string) =>
  grain === 'y'
    ? day.endsWith('-01-01')
    : grain === 'm'
      ? dayOf(day) === 1
      : grain === 'k'
        ? [1, 11, 21].includes(dayOf(day))
        : true;

const COARSER = { d: 'k', k: 'm', m: 'y' } as const;

/** Whether [lo, hi) holds a whole unit of the grain (a 旬, a month, a year). */
const holdsWhole = (grain: 'k' | 'm' | 'y', lo: string, hi: string) => {
  for (let d = lo; d < hi; d = addDays(d, 1)) {
    if (!aligned(grain, d)) continue;
    let next = addDays(d, 1);
    while (!aligned(grain, next)) next = addDays(next, 1);
    if (next <= hi) return true;
  }
  return false;
};

describe('a period tiled by histogram grains (years, months, 旬, days)', () => {
  it.each([
    ['2025-01-01', '2026-01-01', [['y', '2025-01-01', '2026-01-01']]],
    ['2025-03-01', '2025-04-01', [['m', '2025-03-01', '2025-04-01']]],
    [
      '2025-01-02',
      '2025-12-31',
      [
        ['d', '2025-01-02', '2025-01-11'],
        ['k', '2025-01-11', '2025-02-01'],
        ['m', '2025-02-01', '2025-12-01'],
        ['k', '2025-12-01', '2025-12-21'],
        ['d', '2025-12-21', '2025-12-31'],
      ],
    ],
    // The third 旬 runs to the month's end (8 to 11 days).
    ['2024-02-21', '2024-03-01', [['k', '2024-02-21', '2024-03-01']]],
    [
      '2025-05-17',
      '2025-06-10',
      [
        ['d', '2025-05-17', '2025-05-21'],
        ['k', '2025-05-21', '2025-06-01'],
        ['d', '2025-06-01', '2025-06-10'],
      ],
    ],
    ['2025-05-17', '2025-05-17', []],
  ])('[%s, %s)', (from, until, want) => {
    expect(tileGrains(from, until).map((p) => [p.grain, p.lo, p.hi])).toEqual(want);
  });

  it('with no end: days and 旬 to the next month, months to the next year, then that year on', () => {
    expect(tileGrains('2026-11-04', null)).toEqual([
      { grain: 'd', lo: '2026-11-04', hi: '2026-11-11', sign: 1 },
      { grain: 'k', lo: '2026-11-11', hi: '2026-12-01', sign: 1 },
      { grain: 'm', lo: '2026-12-01', hi: '2027-01-01', sign: 1 },
      { grain: 'y', lo: '2027-01-01', hi: null, sign: 1 },
    ]);
  });

  it('tiles any range exactly, each part aligned to its grain, the coarsest grains that fit', () => {
    fc.assert(
      fc.property(dayArb, dayArb, fc.boolean(), (a, b, open) => {
        const [from, until] = a <= b ? [a, open ? null : b] : [b, open ? null : a];
        const parts = tileGrains(from, until);
        if (until === from) {
          expect(parts).toEqual([]);
          return;
        }
        // Consecutive, from `from` to `until`.
        expect(parts[0]!.lo).toBe(from);
        expect(parts.at(-1)!.hi).toBe(until);
        for (let i = 1; i < parts.length; i++) expect(parts[i]!.lo).toBe(parts[i - 1]!.hi);
        for (const p of parts) {
          expect(p.hi === null || p.lo < p.hi).toBe(true);
          expect(aligned(p.grain, p.lo)).toBe(true);
          if (p.hi !== null) expect(aligned(p.grain, p.hi)).toBe(true);
        }
        // Coarsest in the middle: grains only get finer towards either end.
        const rank = { y: 3, m: 2, k: 1, d: 0 };
        const top = parts.reduce((i, p, j) => (rank[p.grain] > rank[parts[i]!.grain] ? j : i), 0);
        for (let i = 1; i <= top; i++)
          expect(rank[parts[i]!.grain]).toBeGreaterThan(rank[parts[i - 1]!.grain]);
        for (let i = top + 1; i < parts.length; i++)
          expect(rank[parts[i]!.grain]).toBeLessThan(rank[parts[i - 1]!.grain]);
        // The fewest: no part holds a whole unit of the next coarser grain; at most 20 days read as days.
        for (const p of parts) {
          if (p.hi === null || p.grain === 'y') continue;
          expect(holdsWhole(COARSER[p.grain], p.lo, p.hi)).toBe(false);
        }
        const days = parts.filter((p) => p.grain === 'd').map((p) => daysBetween(p.lo, p.hi!));
        expect(days.reduce((a, n) => a + n, 0)).toBeLessThanOrEqual(20);
        expect(parts.length).toBeLessThanOrEqual(7);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads each part as one index range of its table, its days as parameters', () => {
    const { sql, args } = histRowsSql('d', tileGrains('2025-01-02', '2025-03-15'), 3);
    expect(args).toEqual([
      '2025-01-02',
      '2025-01-11',
      '2025-01-11',
      '2025-02-01',
      '2025-02-01',
      '2025-03-01',
      '2025-03-01',
      '2025-03-11',
      '2025-03-11',
      '2025-03-15',
    ]);
    expect(sql.match(/UNION ALL/g)).toHaveLength(4);
    expect(sql).toContain(`FROM rollup_answer_hist WHERE basis = 'd' AND month = false`);
    expect(sql).toContain(`FROM rollup_answer_hist_grains WHERE basis = 'd' AND grain = 'k'`);
    expect(sql).toContain('$12::date');
    expect(histRowsSql('a', [], 1)).toEqual({ sql: expect.stringContaining('WHERE false'), args: [] });
  });
  it('negates the count and seconds of a part taken away', () => {
    const { sql, args } = histRowsSql('d', grainParts('2025-01-02', '2025-12-31'), 1);
    expect(args).toEqual([
      '2025-01-01',
      '2026-01-01',
      '2025-01-01',
      '2025-01-02',
      '2025-12-31',
      '2026-01-01',
    ]);
    const [year, jan1, dec31] = sql.split('UNION ALL');
    expect(year).toContain(
      'SELECT agency, institution, bucket, count, seconds FROM rollup_answer_hist_grains',
    );
    for (const day of [jan1, dec31]) {
      expect(day).toContain('-count AS count, -seconds AS seconds FROM rollup_answer_hist WHERE');
      expect(day).toContain('month = false');
    }
  });
});

describe('a period as the fewest histogram units, less what lies outside it', () => {
  it.each([
    // The year less its first and last day: 3 units where the tiling reads 33.
    [
      '2025-01-02',
      '2025-12-31',
      [
        [1, 'y', '2025-01-01', '2026-01-01'],
        [-1, 'd', '2025-01-01', '2025-01-02'],
        [-1, 'd', '2025-12-31', '2026-01-01'],
      ],
    ],
    // A month less its first two and last five days (8 units, the tiling 15).
    [
      '2025-03-03',
      '2025-03-27',
      [
        [1, 'm', '2025-03-01', '2025-04-01'],
        [-1, 'd', '2025-03-01', '2025-03-03'],
        [-1, 'd', '2025-03-27', '2025-04-01'],
      ],
    ],
    // With no end: December less three days, then the year on.
    [
      '2025-12-04',
      null,
      [
        [1, 'm', '2025-12-01', '2026-01-01'],
        [1, 'y', '2026-01-01', null],
        [-1, 'd', '2025-12-01', '2025-12-04'],
      ],
    ],
    // What tiles best stays a tiling.
    ['2025-01-01', '2026-01-01', [[1, 'y', '2025-01-01', '2026-01-01']]],
    ['2026-10-01', '2027-01-01', [[1, 'm', '2026-10-01', '2027-01-01']]],
    ['2025-05-17', '2025-05-17', []],
  ] as const)('[%s, %s)', (from, until, want) => {
    expect(grainParts(from, until).map((p) => [p.sign, p.grain, p.lo, p.hi])).toEqual(want);
  });

  it('counts each day of the range once and no other day, aligned, never more units than the tiling', () => {
    fc.assert(
      fc.property(dayArb, dayArb, fc.boolean(), (a, b, open) => {
        const [from, until] = a <= b ? [a, open ? null : b] : [b, open ? null : a];
        const parts = grainParts(from, until);
        const tiled = tileGrains(from, until);
        const units = (ps: GrainPart[]) => ps.reduce((n, p) => n + grainUnits(p), 0);
        expect(units(parts)).toBeLessThanOrEqual(units(tiled));
        // Besides the years read whole, a bounded number of units whatever the period's length.
        const years = parts.filter((p) => p.grain === 'y' && p.sign === 1);
        expect(units(parts) - units(years)).toBeLessThanOrEqual(26);
        for (const p of parts) {
          expect(p.hi === null || p.lo < p.hi).toBe(true);
          expect(aligned(p.grain, p.lo)).toBe(true);
          if (p.hi !== null) expect(aligned(p.grain, p.hi)).toBe(true);
        }
        // Every day from 400 before the range to 40 after it (400 after its start when it has no end): the signed count of parts holding it.
        const last = until ?? addDays(from, 400);
        for (let d = addDays(from, -400); d < addDays(last, 40); d = addDays(d, 1)) {
          const n = parts.reduce((s, p) => s + (p.lo <= d && (p.hi === null || d < p.hi) ? p.sign : 0), 0);
          expect(n).toBe(d >= from && (until === null || d < until) ? 1 : 0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
