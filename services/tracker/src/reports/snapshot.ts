import type { Pool, Queryable } from '@hub/store';

/** Every statement sees the same committed state, so the figures agree with each other. */
export async function inSnapshot<T>(pool: Pool, fn: (db: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
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
