/**
 * Exact percentiles (percentile_cont) of answer times without sorting every answer: the rollup's histogram
 * (migration 1013, buckets 1/16 of a doubling wide) says which bucket each of the two ranks percentile_cont
 * interpolates between falls in, and at which place; an index over answers by bucket then reads only that bucket's
 * answers of the period, sorted, at that place. The result is the one percentile_cont gives over all of them.
 */
import type { Queryable } from '@hub/store';
import { TERMINAL_RANK } from '../sql/request-status.js';

/** One histogram row of the period: how many answers of one institution fall in one bucket. */
export interface HistRow {
  agency: string;
  institution: string;
  bucket: number;
  count: number;
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

const fetchSql = (basis: 'd' | 'a') => `
SELECT s::float8 AS s FROM (
  SELECT extract(epoch FROM answered_at - dispatched_at) AS s FROM requests
  WHERE ${PREDICATE[basis]} AND agency = ANY($1::text[]) AND institution = ANY($2::text[])
    AND tracker_answer_bucket(extract(epoch FROM answered_at - dispatched_at)) = $3
    AND ${TIME[basis]} >= $4 AND ($5::timestamptz IS NULL OR ${TIME[basis]} < $5)
) x
ORDER BY s OFFSET $6 LIMIT $7`;

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
  const out = new Map<string, (number | null)[]>();
  for (const [key, rows] of groups) {
    const byBucket = new Map<number, { count: number; agencies: Set<string>; institutions: Set<string> }>();
    for (const r of rows) {
      if (r.count <= 0) continue;
      const b = byBucket.get(r.bucket) ?? { count: 0, agencies: new Set(), institutions: new Set() };
      b.count += r.count;
      b.agencies.add(r.agency);
      b.institutions.add(r.institution);
      byBucket.set(r.bucket, b);
    }
    const buckets = [...byBucket.entries()].sort((a, b) => a[0] - b[0]);
    const n = buckets.reduce((sum, [, b]) => sum + b.count, 0);
    if (n === 0) {
      out.set(
        key,
        ps.map(() => null),
      );
      continue;
    }
    // Rank (0-based) → bucket and place in it.
    const locate = (rank: number) => {
      let before = 0;
      for (const [bucket, b] of buckets) {
        if (rank < before + b.count) return { bucket, place: rank - before, b };
        before += b.count;
      }
      throw new Error(`percentiles: rank ${rank} beyond ${n} answers`);
    };
    const wanted = ps.flatMap((p) => {
      const h = p * (n - 1);
      return [Math.floor(h), Math.ceil(h)];
    });
    // One read per bucket, for the places wanted in it.
    const places = new Map<number, { b: ReturnType<typeof locate>['b']; min: number; max: number }>();
    for (const rank of wanted) {
      const { bucket, place, b } = locate(rank);
      const had = places.get(bucket);
      places.set(bucket, {
        b,
        min: Math.min(had?.min ?? place, place),
        max: Math.max(had?.max ?? place, place),
      });
    }
    const values = new Map<string, number>();
    for (const [bucket, { b, min, max }] of places) {
      const { rows: got } = await db.query<{ s: number }>(fetchSql(window.basis), [
        [...b.agencies],
        [...b.institutions],
        bucket,
        window.start,
        window.end,
        min,
        max - min + 1,
      ]);
      for (const [i, r] of got.entries()) values.set(`${bucket}:${min + i}`, r.s);
    }
    const valueAt = (rank: number) => {
      const { bucket, place } = locate(rank);
      const v = values.get(`${bucket}:${place}`);
      // The histogram and the answers disagree: only if the rollup is out of date (tracker_rebuild_rollups()).
      if (v === undefined) throw new Error(`percentiles: no answer at place ${place} of bucket ${bucket}`);
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
