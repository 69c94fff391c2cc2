/**
 * Percentiles (percentile_cont) of answer times without sorting every answer: the rollup's histogram (migration
 * 1013, buckets 1/16 of a doubling wide) says which bucket each of the two ranks percentile_cont interpolates
 * between falls in, and at which place; an index over answers by bucket then reads only that bucket's answers of
 * the period, sorted, at that place, so the result is the one percentile_cont gives over all of them. A bucket
 * holding more than EXACT_BUCKET_LIMIT answers of the period is not read: its mean stands for each of them, within
 * the bucket's width (4.4 %) of the exact figure.
 */
import type { Queryable } from '@hub/store';
import { TERMINAL_RANK } from '../sql/request-status.js';

/** One histogram row of the period: how many answers of one institution fall in one bucket. */
export interface HistRow {
  agency: string;
  institution: string;
  bucket: number;
  count: number;
  /** Sum of the bucket's answer times. */
  seconds: number;
}

/**
 * Whose answers: by dispatch time ('d', answered by the agency: the agency report) or by answer time ('a', any
 * answer: the console panel), in [start, end) (end null: no end).
 */
export interface AnswerWindow {
  basis: 'd' | 'a';
  start: Date;
  end: Date | null;
}

// Spelled as the partial indexes requests_answer_bucket_dispatched and requests_answer_bucket_answered are.
const PREDICATE = {
  d: `status_rank >= ${TERMINAL_RANK} AND outcome IS NOT NULL AND answered_at IS NOT NULL AND dispatched_at IS NOT NULL`,
  a: 'outcome IS NOT NULL AND answered_at IS NOT NULL AND dispatched_at IS NOT NULL',
};
const TIME = { d: 'dispatched_at', a: 'answered_at' };

// Every bucket read of a report in one statement: $1..$4 the reads (index, bucket, first place, how many), $5..$7
// the institutions each read covers, $8 and $9 the window.
const fetchSql = (basis: 'd' | 'a') => `
SELECT f.i, v.s FROM unnest($1::int[], $2::int[], $3::int[], $4::int[]) AS f(i, bucket, off, lim)
CROSS JOIN LATERAL (
  SELECT extract(epoch FROM r.answered_at - r.dispatched_at)::float8 AS s
  FROM unnest($5::int[], $6::text[], $7::text[]) AS p(i, agency, institution)
  JOIN requests r ON r.agency = p.agency AND r.institution = p.institution
  WHERE p.i = f.i AND ${PREDICATE[basis].replace(/(\w+_at|status_rank|outcome)/g, 'r.$1')}
    AND tracker_answer_bucket(extract(epoch FROM r.answered_at - r.dispatched_at)) = f.bucket
    AND r.${TIME[basis]} >= $8 AND ($9::timestamptz IS NULL OR r.${TIME[basis]} < $9)
  ORDER BY 1 OFFSET f.off LIMIT f.lim
) v
ORDER BY f.i, v.s`;

/** Past this many answers in the rank's bucket the bucket's mean stands for them (rollups.ts, docs). */
export const EXACT_BUCKET_LIMIT = 20_000;

interface Located {
  bucket: number;
  place: number;
  count: number;
  mean: number;
  pairs: [string, string][];
}

/**
 * For each group (a set of histogram rows: one institution's, an agency kind's, all), percentile_cont at each of
 * `ps`, or null when the group has no answers.
 */
export async function exactPercentiles(
  db: Queryable,
  window: AnswerWindow,
  groups: ReadonlyMap<string, readonly HistRow[]>,
  ps: readonly number[],
): Promise<Map<string, (number | null)[]>> {
  // Where each group's ranks fall, and the reads that fetch them (one per group and bucket).
  const reads: { bucket: number; min: number; max: number; pairs: [string, string][] }[] = [];
  const plans = new Map<string, { n: number; at: (rank: number) => Located; read: Map<number, number> }>();
  for (const [key, rows] of groups) {
    const byBucket = new Map<
      number,
      { count: number; seconds: number; pairs: Map<string, [string, string]> }
    >();
    for (const r of rows) {
      if (r.count <= 0) continue;
      const b = byBucket.get(r.bucket) ?? { count: 0, seconds: 0, pairs: new Map() };
      b.count += r.count;
      b.seconds += r.seconds;
      b.pairs.set(`${r.agency}\u0000${r.institution}`, [r.agency, r.institution]);
      byBucket.set(r.bucket, b);
    }
    const buckets = [...byBucket.entries()].sort((a, b) => a[0] - b[0]);
    const n = buckets.reduce((sum, [, b]) => sum + b.count, 0);
    const at = (rank: number): Located => {
      let before = 0;
      for (const [bucket, b] of buckets) {
        if (rank < before + b.count)
          return {
            bucket,
            place: rank - before,
            count: b.count,
            mean: b.seconds / b.count,
            pairs: [...b.pairs.values()],
          };
        before += b.count;
      }
      throw new Error(`percentiles: rank ${rank} beyond ${n} answers`);
    };
    const read = new Map<number, number>();
    if (n > 0) {
      for (const p of ps) {
        for (const rank of [Math.floor(p * (n - 1)), Math.ceil(p * (n - 1))]) {
          const l = at(rank);
          if (l.count > EXACT_BUCKET_LIMIT) continue;
          const i = read.get(l.bucket);
          if (i === undefined) {
            read.set(l.bucket, reads.length);
            reads.push({ bucket: l.bucket, min: l.place, max: l.place, pairs: l.pairs });
          } else {
            reads[i]!.min = Math.min(reads[i]!.min, l.place);
            reads[i]!.max = Math.max(reads[i]!.max, l.place);
          }
        }
      }
    }
    plans.set(key, { n, at, read });
  }
  const values = new Map<string, number>();
  if (reads.length > 0) {
    const pairs = reads.flatMap((r, i) => r.pairs.map(([a, inst]) => [i, a, inst] as const));
    const { rows } = await db.query<{ i: number; s: number }>(fetchSql(window.basis), [
      reads.map((_, i) => i),
      reads.map((r) => r.bucket),
      reads.map((r) => r.min),
      reads.map((r) => r.max - r.min + 1),
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
      pairs.map((p) => p[2]),
      window.start,
      window.end,
    ]);
    let last = -1;
    let place = 0;
    for (const r of rows) {
      place = r.i === last ? place + 1 : reads[r.i]!.min;
      last = r.i;
      values.set(`${r.i}:${place}`, r.s);
    }
  }
  const out = new Map<string, (number | null)[]>();
  for (const [key, { n, at, read }] of plans) {
    if (n === 0) {
      out.set(
        key,
        ps.map(() => null),
      );
      continue;
    }
    const valueAt = (rank: number) => {
      const l = at(rank);
      const i = read.get(l.bucket);
      if (i === undefined) return l.mean;
      const v = values.get(`${i}:${l.place}`);
      // The histogram and the answers disagree: only if the rollup is out of date (tracker_rebuild_rollups()).
      if (v === undefined)
        throw new Error(`percentiles: no answer at place ${l.place} of bucket ${l.bucket}`);
      return v;
    };
    out.set(
      key,
      ps.map((p) => {
        // As PostgreSQL's percentile_cont computes it.
        const h = p * (n - 1);
        const first = valueAt(Math.floor(h));
        if (Math.floor(h) === Math.ceil(h)) return first;
        return first + (h - Math.floor(h)) * (valueAt(Math.ceil(h)) - first);
      }),
    );
  }
  return out;
}
