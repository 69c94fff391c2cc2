/**
 * tracker_answer_bucket (migration 1018) takes its logarithm in float8 and falls back to numeric only near a
 * bucket's edge. The expression indexes and stored histograms of 1013 were made with the numeric definition, so the
 * two must agree on every input: generated answer times (microseconds, as extract(epoch …) gives them), the edges
 * 2^(k/16) to the microsecond either side, and whole powers of two.
 */
import { fixedClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate } from '@hub/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';

const iso = isolate();
const app = buildApp(loadConfig(hubEnv(iso)), {
  logger: createLogger({ service: 'answer-bucket-test', level: 'warn' }),
  clock: fixedClock(new Date('2026-06-01T00:00:00Z')),
});
const pool = () => app.runtime.pool;

beforeAll(async () => {
  await app.runtime.migrate();
});
afterAll(async () => {
  await app.runtime.pool.end();
  await iso.cleanup();
});

// The 1013 definition, spelled out.
const NUMERIC_BUCKET = `CASE WHEN s < 0 THEN -1 WHEN s < 1 THEN 0 ELSE 1 + floor(16 * log(2, s))::integer END`;

/** Answer times (as text, numeric to the microsecond) whose buckets differ between the two definitions. */
async function differing(times: string[]) {
  const { rows } = await pool().query<{ s: string; now: number; was: number }>(
    `SELECT s::text, tracker_answer_bucket(s) AS now, ${NUMERIC_BUCKET} AS was
     FROM unnest($1::numeric[]) AS t(s)
     WHERE tracker_answer_bucket(s) IS DISTINCT FROM (${NUMERIC_BUCKET})`,
    [times],
  );
  return rows;
}

describe('answer-time buckets (float8 logarithm, numeric at the edges)', () => {
  it('match the numeric definition at every bucket edge, a microsecond either side, and at powers of two', async () => {
    const { rows } = await pool().query<{ s: string }>(
      `SELECT (round(power(2::numeric, k / 16.0), 6) + d)::text AS s
       FROM generate_series(0, 560) AS k, unnest('{-0.000001,0,0.000001}'::numeric[]) AS d
       UNION ALL SELECT power(2::numeric, j)::text FROM generate_series(-4, 35) AS j`,
    );
    expect(rows.length).toBeGreaterThan(1700);
    expect(await differing(rows.map((r) => r.s))).toEqual([]);
  });

  it('match it for generated answer times, skew and sub-second ones included', async () => {
    const micros = fc.oneof(
      fc.bigInt({ min: -10_000_000n, max: 2_000_000n }),
      fc.bigInt({ min: 0n, max: 90n * 86_400n * 1_000_000n }),
      fc.bigInt({ min: 0n, max: 3n * 365n * 86_400n * 1_000_000n }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(micros, { minLength: 1, maxLength: 2000 }), async (all) => {
        const times = all.map((m) => {
          const neg = m < 0n;
          const a = neg ? -m : m;
          return `${neg ? '-' : ''}${a / 1_000_000n}.${String(a % 1_000_000n).padStart(6, '0')}`;
        });
        expect(await differing(times)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
