import type { Pool, Queryable } from '@hub/store';

/**
 * Memory for a report's aggregates: a long period sums ~100,000 histogram rows (rollup_answer_hist) per statement,
 * and at the default 4 MB PostgreSQL sorts them on disk in parallel workers instead of hashing them in memory (345 ms
 * against 155 ms for Jan 2 – Dec 30 over 2 million requests). Only for the transaction.
 */
export const REPORT_WORK_MEM = '32MB';

/**
 * No parallel workers for a read: its statements aggregate some 10,000–40,000 rollup rows, where starting two
 * workers, sorting their partial aggregates and merging them costs more than it saves on a small machine whose cores
 * the hub's writers share (the console panel's histogram at 10 million requests: 121–128 ms parallel, 72–75 serial).
 */
const NO_PARALLEL = 'SET LOCAL max_parallel_workers_per_gather = 0';

/** Every statement sees the same committed state, so the figures agree with each other. */
export async function inSnapshot<T>(pool: Pool, fn: (db: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(
      `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL work_mem = '${REPORT_WORK_MEM}'; ${NO_PARALLEL}`,
    );
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is discarded, not returned to the pool.
    broken = await client.query('ROLLBACK').then(
      () => undefined,
      (rollbackErr: Error) => rollbackErr,
    );
    throw err;
  } finally {
    client.release(broken);
  }
}
