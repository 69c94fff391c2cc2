/**
 * Two round-trip savers of @hub/store, on the real database: `withTransactionOpening` (the first statement of a
 * transaction sent with its BEGIN, as every consumer batch records its event ids: one transaction, rolled back
 * whole) and the pool's prepared statements (each text with parameters parsed once per connection).
 */
import { afterCommit, createPool, type Pool, withTransactionOpening } from '@hub/store';
import { endpoints, isolate } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryable } from '../src/index.js';

const iso = isolate();
const schema = `${iso.namespace}_open`;
let pool: Pool;

beforeAll(async () => {
  pool = createPool({ url: endpoints().databaseUrl, schema });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await pool.query('CREATE TABLE seen (id int PRIMARY KEY, note text)');
});

afterAll(async () => {
  await pool?.end();
  await iso.cleanup();
});

const ids = async () =>
  (await pool.query<{ id: number }>('SELECT id FROM seen ORDER BY id')).rows.map((r) => r.id);

describe('withTransactionOpening', () => {
  it('hands the opening statement’s rows to the body, commits both, then runs the commit hooks', async () => {
    const order: string[] = [];
    const got = await withTransactionOpening<number[], { id: number }>(
      pool,
      'INSERT INTO seen (id) VALUES (1), (2) ON CONFLICT DO NOTHING RETURNING id',
      async (tx, opened) => {
        await tx.query(`UPDATE seen SET note = 'body' WHERE id = ANY($1::int[])`, [
          opened.rows.map((r) => r.id),
        ]);
        // Inside the transaction: another session does not see the rows yet.
        expect(await ids()).toEqual([]);
        afterCommit(tx, () => order.push('hook'));
        order.push('body');
        return opened.rows.map((r) => r.id).sort();
      },
    );
    expect(got).toEqual([1, 2]);
    expect(order).toEqual(['body', 'hook']);
    const { rows } = await pool.query('SELECT id, note FROM seen ORDER BY id');
    expect(rows).toEqual([
      { id: 1, note: 'body' },
      { id: 2, note: 'body' },
    ]);
  });

  it('a failing body rolls the opening statement back too', async () => {
    await expect(
      withTransactionOpening(pool, 'INSERT INTO seen (id) VALUES (3) RETURNING id', async () => {
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    expect(await ids()).toEqual([1, 2]);
  });

  it('a failing opening statement rejects with the database’s error, stores nothing and keeps the pool usable', async () => {
    const err = await withTransactionOpening(
      pool,
      'INSERT INTO seen (id) VALUES (4), (1) RETURNING id',
      async () => {
        throw new Error('not reached');
      },
    ).catch((e: unknown) => e as { code?: string });
    expect(err.code).toBe('23505'); // unique_violation: (1) exists
    expect(await ids()).toEqual([1, 2]);
    // The connection was rolled back and returned: the next transaction on it starts clean.
    for (let i = 0; i < 12; i++) {
      await withTransactionOpening(
        pool,
        `INSERT INTO seen (id) VALUES (${10 + i}) RETURNING id`,
        async () => undefined,
      );
    }
    expect((await ids()).length).toBe(14);
  });
});

describe('prepared statements', () => {
  it('a statement with parameters is prepared once per connection and reused; one without is not', async () => {
    const client = await pool.connect();
    try {
      const text = 'SELECT id FROM seen WHERE id = ANY($1::int[]) ORDER BY id';
      expect((await client.query(text, [[1, 2, 99]])).rows).toEqual([{ id: 1 }, { id: 2 }]);
      expect((await client.query(text, [[2]])).rows).toEqual([{ id: 2 }]);
      const prepared = await client.query<{ name: string; statement: string }>(
        'SELECT name, statement FROM pg_prepared_statements WHERE statement = $1',
        [text],
      );
      expect(prepared.rows).toHaveLength(1);
      expect(prepared.rows[0]!.name).toMatch(/^hub_\d+$/);
      await client.query('SELECT count(*) FROM seen');
      const all = await client.query('SELECT statement FROM pg_prepared_statements WHERE $1', [true]);
      expect(all.rows.map((r) => r.statement)).not.toContain('SELECT count(*) FROM seen');
    } finally {
      client.release();
    }
  });

  it('after a column is added under a prepared SELECT *, one call fails retriable and the next is prepared again', async () => {
    const client = await pool.connect();
    try {
      const text = 'SELECT * FROM seen WHERE id = $1';
      expect((await client.query(text, [1])).rows).toEqual([{ id: 1, note: 'body' }]);
      await pool.query('ALTER TABLE seen ADD COLUMN extra int');
      const err = await client.query(text, [1]).catch((e: unknown) => e);
      // PostgreSQL refuses the statement prepared before (0A000); the caller's retry gets a fresh one.
      expect(err).toMatchObject({ code: '0A000' });
      expect(isRetryable(err)).toBe(true);
      expect((await client.query(text, [1])).rows).toEqual([{ id: 1, note: 'body', extra: null }]);
      // The pool's own form (a callback inside pg) takes the same path.
      expect((await pool.query(text, [2])).rows).toEqual([{ id: 2, note: 'body', extra: null }]);
    } finally {
      client.release();
    }
  });
});
