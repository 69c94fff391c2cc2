/**
 * `withTransactionOpening` (@hub/store): the first statement of a transaction sent with its BEGIN, as every
 * consumer batch now records its event ids. On the real database: one transaction, rolled back whole.
 */
import { afterCommit, createPool, type Pool, withTransactionOpening } from '@hub/store';
import { endpoints, isolate } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
