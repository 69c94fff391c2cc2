/**
 * Reading the rollups of migrations 1013 and 1014: a range of Shanghai days as whole months (the histograms' month
 * rows, the counters' monthly twins) plus the days left over at either end.
 */
import { shanghaiDate } from '@hub/domain';
import { addDays, startOfShanghaiDay } from './period.js';

/** A range of days [from, until) as month rows [m0, m1) and day rows [from, m0) ∪ [m1, until). */
export interface DayRange {
  from: string;
  /** Exclusive; null: no end. */
  until: string | null;
  m0: string;
  m1: string | null;
}

const firstOfNextMonth = (day: string) => {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
};

export function dayRange(from: string, until: string | null): DayRange {
  const m0 = from.endsWith('-01') ? from : firstOfNextMonth(from);
  if (until === null) return { from, until, m0, m1: null };
  const m1 = `${until.slice(0, 7)}-01`;
  // Not even one whole month: day rows only.
  if (m0 >= m1) return { from, until, m0: until, m1: until };
  return { from, until, m0, m1 };
}

/** The histogram grains (migrations 1013, 1016): year, month, 旬 (days 1–10, 11–20, 21 to the end), day. */
export type Grain = 'y' | 'm' | 'k' | 'd';

/** Days [lo, hi) read at one grain, added (sign 1) or taken away (sign -1); hi null: no end. */
export interface GrainPart {
  grain: Grain;
  lo: string;
  hi: string | null;
  sign: 1 | -1;
}

const ymd = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const parts3 = (day: string) => [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];

/** The grain's first boundary at or after `day`, and its last at or before it. */
const BOUNDARY: Record<
  Exclude<Grain, 'd'>,
  { ceil: (day: string) => string; floor: (day: string) => string }
> = {
  y: {
    floor: (day) => `${day.slice(0, 4)}-01-01`,
    ceil: (day) => (day.endsWith('-01-01') ? day : ymd(Number(day.slice(0, 4)) + 1, 1, 1)),
  },
  m: {
    floor: (day) => `${day.slice(0, 7)}-01`,
    ceil: (day) => (day.endsWith('-01') ? day : firstOfNextMonth(day)),
  },
  k: {
    floor: (day) => {
      const [y, m, d] = parts3(day);
      return ymd(y!, m!, d! >= 21 ? 21 : d! >= 11 ? 11 : 1);
    },
    ceil: (day) => {
      const [y, m, d] = parts3(day);
      if (d === 1 || d === 11 || d === 21) return day;
      return d! < 11 ? ymd(y!, m!, 11) : d! < 21 ? ymd(y!, m!, 21) : ymd(y!, m! + 1, 1);
    },
  },
};

/**
 * Days [from, until) (until null: no end) tiled by histogram grains: whole years, then whole months, then whole
 * 旬, then days, each coarser grain in the middle. The parts are consecutive, all added.
 */
export function tileGrains(
  from: string,
  until: string | null,
  grains: readonly Grain[] = ['y', 'm', 'k'],
): GrainPart[] {
  if (until !== null && from >= until) return [];
  const [g, ...finer] = grains;
  if (g === undefined || g === 'd') return [{ grain: 'd', lo: from, hi: until, sign: 1 }];
  const c0 = BOUNDARY[g].ceil(from);
  const c1 = until === null ? null : BOUNDARY[g].floor(until);
  if (c1 !== null && c0 >= c1) return tileGrains(from, until, finer);
  return [
    ...tileGrains(from, c0, finer),
    { grain: g, lo: c0, hi: c1, sign: 1 },
    ...(c1 === null ? [] : tileGrains(c1, until, finer)),
  ];
}

/** Grain units (days, 旬, months, years) a part reads: each is about the same number of histogram rows. */
export function grainUnits(p: Pick<GrainPart, 'grain' | 'lo' | 'hi'>): number {
  if (p.hi === null) return 1;
  const [y0, m0, d0] = parts3(p.lo);
  const [y1, m1, d1] = parts3(p.hi);
  const months = (y1! - y0!) * 12 + (m1! - m0!);
  const tenth = (d: number) => (d >= 21 ? 2 : d >= 11 ? 1 : 0);
  switch (p.grain) {
    case 'y':
      return y1! - y0!;
    case 'm':
      return months;
    case 'k':
      return months * 3 + tenth(d1!) - tenth(d0!);
    case 'd':
      return (Date.parse(p.hi) - Date.parse(p.lo)) / 86_400_000;
  }
}

const cost = (parts: readonly GrainPart[]) => parts.reduce((n, p) => n + grainUnits(p), 0);
const cheaper = (a: GrainPart[], b: GrainPart[]) => (cost(b) < cost(a) ? b : a);
const negated = (parts: readonly GrainPart[]) => parts.map((p) => ({ ...p, sign: -p.sign as 1 | -1 }));

/**
 * Days [from, until) (until null: no end) as the fewest histogram units, counts being additive: each end is read
 * either as finer grains or as the whole coarser unit it lies in less the days of that unit outside the range.
 * Jan 2 – Dec 30 is the year less Jan 1 and Dec 31 (3 units, not 9 days, 4 旬, 10 months and 10 days); a month
 * less its first two days is 3 units, not 8 days and 2 旬. The parts' signed sum is exactly the range's days.
 */
export function grainParts(
  from: string,
  until: string | null,
  grains: readonly Grain[] = ['y', 'm', 'k'],
): GrainPart[] {
  return merged(cover(from, until, grains));
}

function cover(from: string, until: string | null, grains: readonly Grain[]): GrainPart[] {
  if (until !== null && from >= until) return [];
  const [g, ...finer] = grains;
  if (g === undefined || g === 'd') return [{ grain: 'd', lo: from, hi: until, sign: 1 }];
  const { ceil, floor } = BOUNDARY[g];
  const c0 = ceil(from);
  const c1 = until === null ? null : floor(until);
  // The whole unit [lo, hi) of this grain, less what of it lies outside the range.
  const unitLess = (lo: string, hi: string, outside: GrainPart[]) => [
    { grain: g, lo, hi, sign: 1 as const },
    ...negated(outside),
  ];
  if (c1 !== null && c0 > c1) {
    // Inside one unit of this grain.
    const lo = floor(from);
    const hi = ceil(until!);
    return cheaper(
      cover(from, until, finer),
      unitLess(lo, hi, [...cover(lo, from, finer), ...cover(until!, hi, finer)]),
    );
  }
  const left =
    from === c0
      ? []
      : cheaper(cover(from, c0, finer), unitLess(floor(from), c0, cover(floor(from), from, finer)));
  const right =
    c1 === null || c1 === until
      ? []
      : cheaper(cover(c1, until!, finer), unitLess(c1, ceil(until!), cover(until!, ceil(until!), finer)));
  const middle: GrainPart[] = c1 !== null && c0 >= c1 ? [] : [{ grain: g, lo: c0, hi: c1, sign: 1 }];
  return [...left, ...middle, ...right];
}

/** Parts of one grain and sign that touch read as one (one index range), added ones first, each by its days. */
function merged(parts: readonly GrainPart[]): GrainPart[] {
  const sorted = [...parts].sort((a, b) => b.sign - a.sign || (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: GrainPart[] = [];
  for (const p of sorted) {
    const last = out.findLast((q) => q.grain === p.grain && q.sign === p.sign && q.hi === p.lo);
    if (last) last.hi = p.hi;
    else out.push({ ...p });
  }
  return out;
}

/**
 * The histogram rows (agency, institution, bucket, count, seconds) of `basis` over `parts`, their days passed from
 * $p on: one index range per part, days and months from `rollup_answer_hist`, 旬 and years from
 * `rollup_answer_hist_grains`, a part taken away with its count and seconds negated (sum them, HAVING sum(count) > 0).
 */
export function histRowsSql(basis: 'd' | 'a', parts: readonly GrainPart[], p: number) {
  const args: string[] = [];
  const arg = (day: string) => {
    args.push(day);
    return `$${p + args.length - 1}::date`;
  };
  const branches = parts.map(({ grain, lo, hi, sign }) => {
    const from =
      grain === 'd' || grain === 'm'
        ? `rollup_answer_hist WHERE basis = '${basis}' AND month = ${grain === 'm'}`
        : `rollup_answer_hist_grains WHERE basis = '${basis}' AND grain = '${grain}'`;
    const counts = sign === 1 ? 'count, seconds' : '-count AS count, -seconds AS seconds';
    return `SELECT agency, institution, bucket, ${counts} FROM ${from}
    AND day >= ${arg(lo)}${hi === null ? '' : ` AND day < ${arg(hi)}`}`;
  });
  // No part (an empty period): no rows, in the same shape.
  const none = `SELECT agency, institution, bucket, count, seconds FROM rollup_answer_hist WHERE false`;
  return { sql: `(${branches.length > 0 ? branches.join('\n  UNION ALL ') : none})`, args };
}

export const dayRangeArgs = (r: DayRange) => [r.from, r.until, r.m0, r.m1];

/**
 * The rows of a day rollup and its monthly twin (migration 1014) that make up a DayRange with an end, passed as
 * $p … $p+3 (dayRangeArgs): whole months from `monthly`, the days left over from `daily`. Both have the same
 * columns, `day` being a month's first day in the twin.
 */
export function rollupRangeSql(daily: string, monthly: string, p: number): string {
  const [from, until, m0, m1] = [`$${p}::date`, `$${p + 1}::date`, `$${p + 2}::date`, `$${p + 3}::date`];
  return `(SELECT * FROM ${monthly} WHERE day >= ${m0} AND day < ${m1}
    UNION ALL SELECT * FROM ${daily} WHERE day >= ${from} AND day < ${m0}
    UNION ALL SELECT * FROM ${daily} WHERE day >= ${m1} AND day < ${until})`;
}

/** The first Shanghai midnight at or after `instant`, and its day. */
export function nextShanghaiMidnight(instant: Date): { at: Date; day: string } {
  const day = shanghaiDate(instant);
  const start = startOfShanghaiDay(day);
  if (start.getTime() === instant.getTime()) return { at: start, day };
  const next = addDays(day, 1);
  return { at: startOfShanghaiDay(next), day: next };
}
