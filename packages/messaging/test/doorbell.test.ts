/**
 * The relay woken after the writer's commit (doorbell.ts), with the outbox's NOTIFY trigger gone (migrations-after):
 * no writing transaction sends a NOTIFY, so none holds PostgreSQL's notification lock through its commit.
 */
import { allTopics } from '@hub/contracts';
import { createLogger } from '@hub/service-kit';
import { connectClient, createPool, migrate, type Pool, withTransaction } from '@hub/store';
import { endpoints, isolate, waitFor } from '@hub/testkit';
import type { Notification } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conditionalEvents,
  createKafka,
  enqueue,
  ensureTopics,
  eventFactory,
  type Kafka,
  MESSAGING_AFTER_MIGRATIONS_DIR,
  MESSAGING_AFTER_MIGRATIONS_TABLE,
  MESSAGING_MIGRATIONS_DIR,
  OutboxRelay,
  outboxWritten,
} from '../src/index.js';
import { noticeCompleted } from './fixtures.js';

const iso = isolate();
const schema = `${iso.namespace}_bell`;
const logger = createLogger({ service: 'doorbell-test', level: 'warn' });
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });
let pool: Pool;
let kafka: Kafka;

const completed = (noticeId: string) => noticeCompleted(events, noticeId);

beforeAll(async () => {
  const { databaseUrl, kafkaBrokers } = endpoints();
  await migrate({ url: databaseUrl, schema, dirs: [MESSAGING_MIGRATIONS_DIR] });
  await migrate({
    url: databaseUrl,
    schema,
    dirs: [MESSAGING_AFTER_MIGRATIONS_DIR],
    table: MESSAGING_AFTER_MIGRATIONS_TABLE,
  });
  pool = createPool({ url: databaseUrl, schema });
  kafka = createKafka({ brokers: kafkaBrokers, clientId: 'doorbell-test', logger });
  await ensureTopics(kafka, allTopics(iso.topicPrefix));
});

afterAll(async () => {
  await pool?.end();
  await iso.cleanup();
});

describe('the outbox doorbell', () => {
  it('wakes the relay of this process after the commit, with no NOTIFY; with no relay here, NOTIFYs the others', async () => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'outbox'::regclass AND NOT tgisinternal`,
    );
    expect(rows[0]!.n).toBe(0);

    // Every NOTIFY on the channel for this schema, as another process's relay would hear it. The channel is shared:
    // other test files' writers with no relay in their process NOTIFY their own schemas on it meanwhile.
    const listener = await connectClient({ url: endpoints().databaseUrl, schema });
    const heard: string[] = [];
    listener.on('notification', (n: Notification) => {
      if (n.payload === schema) heard.push(n.payload);
    });
    await listener.query('LISTEN hub_outbox');

    // A minute between safety rounds: only the doorbell can publish within the waits below.
    const relay = new OutboxRelay({ pool, kafka, schema, logger, pollMs: 60_000 });
    await relay.start();
    const left = async () =>
      (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n;
    const published = (what: string) => waitFor(async () => (await left()) === 0, { what, timeoutMs: 5000 });
    try {
      // In a transaction: woken after its commit.
      await withTransaction(pool, (tx) => enqueue(tx, [completed('in-a-transaction')]));
      await published('published after the transaction committed');
      // Rolled back: nothing to publish, and no wake-up needed (a spurious one would only cost a round).
      await expect(
        withTransaction(pool, async (tx) => {
          await enqueue(tx, [completed('rolled-back')]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      // One statement with its events (conditionalEvents), outside a transaction.
      const e = conditionalEvents([completed('one-statement')], ['1'], 1);
      await pool.query(`WITH changed AS (SELECT 1 AS id), ev AS (${e.sql('changed')}) SELECT 1`, e.params);
      outboxWritten(pool);
      await published('published after the statement');
      expect(heard).toEqual([]);
    } finally {
      await relay.stop();
    }

    // No relay of this schema in the process any more: the writer tells the other processes.
    await withTransaction(pool, (tx) => enqueue(tx, [completed('no-relay-here')]));
    await waitFor(async () => heard.includes(schema), {
      what: 'a NOTIFY for the relays elsewhere',
      timeoutMs: 5000,
    });
    await listener.end();
  });
});
