import { randomUUID } from 'node:crypto';
import { allTopics, type EventEnvelope, encodeEnvelope, topicName } from '@hub/contracts';
import { createLogger } from '@hub/service-kit';
import { createPool, migrate, type Pool, withTransaction } from '@hub/store';
import { endpoints, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchHandler,
  type ConsumedEvent,
  createKafka,
  enqueue,
  ensureTopics,
  eventFactory,
  IdempotentConsumer,
  type Kafka,
  MESSAGING_MIGRATIONS_DIR,
  OutboxRelay,
} from '../src/index.js';
import { noticeCompleted } from './fixtures.js';

const iso = isolate();
const schema = `${iso.namespace}_msg`;
const logger = createLogger({ service: 'messaging-test', level: 'warn' });
let pool: Pool;
let kafka: Kafka;
let relay: OutboxRelay;
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });

beforeAll(async () => {
  const { databaseUrl, kafkaBrokers } = endpoints();
  await migrate({ url: databaseUrl, schema, dirs: [MESSAGING_MIGRATIONS_DIR] });
  await withTransaction(createPool({ url: databaseUrl, schema }), async (tx) => {
    await tx.query('CREATE TABLE applied (event_id uuid, notice_id text)');
  });
  pool = createPool({ url: databaseUrl, schema });
  kafka = createKafka({ brokers: kafkaBrokers, clientId: 'messaging-test', logger });
  await ensureTopics(kafka, allTopics(iso.topicPrefix));
  relay = new OutboxRelay({ pool, kafka, schema, logger });
  await relay.start();
});

afterAll(async () => {
  await relay?.stop();
  await pool?.end();
  await iso.cleanup();
});

function consumer(
  groupId: string,
  handle: (events: ConsumedEvent[]) => void,
  accepts?: (event: ConsumedEvent) => boolean,
) {
  return new IdempotentConsumer({
    ...(accepts ? { accepts } : {}),
    kafka,
    pool,
    groupId: `${iso.namespace}-${groupId}`,
    topics: [topicName('notices', iso.topicPrefix)],
    deadLetterTopic: topicName('deadLetters', iso.topicPrefix),
    logger,
    fetchWaitMs: 500, // stops wait for the fetch in flight
    handle: async (tx, batch) => {
      handle(batch);
      for (const e of batch) {
        if (e.envelope.noticeId === 'poison') throw new Error('cannot apply this one');
        await tx.query('INSERT INTO applied VALUES ($1, $2)', [e.envelope.eventId, e.envelope.noticeId]);
      }
    },
  });
}

const completed = (noticeId: string) => noticeCompleted(events, noticeId);

/**
 * A relay on a schema of its own (`suffix`), a minute between safety rounds (only a NOTIFY, the fallback poll or
 * a round called by the test publishes within a test's waits), not started; `left` counts its outbox.
 */
async function relayOfItsOwn(suffix: string) {
  const { databaseUrl } = endpoints();
  const own = `${iso.namespace}_${suffix}`;
  await migrate({ url: databaseUrl, schema: own, dirs: [MESSAGING_MIGRATIONS_DIR] });
  const ownPool = createPool({ url: databaseUrl, schema: own });
  const ownRelay = new OutboxRelay({ pool: ownPool, kafka, schema: own, logger, pollMs: 60_000 });
  const left = async () =>
    (await ownPool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n;
  return { pool: ownPool, relay: ownRelay, left };
}

describe('outbox relay and idempotent consumer', () => {
  it('publishes only committed outbox rows, in batches, and applies each event once', async () => {
    const messages = Array.from({ length: 1200 }, (_, i) => completed(`n${i}`));
    await withTransaction(pool, (tx) => enqueue(tx, messages));
    // A rolled-back transaction publishes nothing.
    await withTransaction(pool, async (tx) => {
      await enqueue(tx, [completed('rolled-back')]);
      throw new Error('abort');
    }).catch(() => undefined);

    const c = consumer('once', () => undefined);
    await c.start();
    try {
      const count = async () =>
        (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM applied')).rows[0]!.n;
      await waitFor(async () => (await count()) === 1200, { what: '1200 events applied', timeoutMs: 30_000 });
      const { rows } = await pool.query(`SELECT 1 FROM applied WHERE notice_id = 'rolled-back'`);
      expect(rows).toHaveLength(0);
      const left = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
      expect(left.rows[0]!.n).toBe(0);
    } finally {
      await c.stop();
    }
  });

  it('a redelivered event is recognised and not applied twice', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const envelope: EventEnvelope = completed('dup').envelope;
    const message = { key: 'dup', value: encodeEnvelope(envelope) };
    await producer.send({ topic: topicName('notices', iso.topicPrefix), messages: [message, message] });
    await producer.send({ topic: topicName('notices', iso.topicPrefix), messages: [message] });
    await producer.disconnect();

    let seen = 0;
    const c = consumer('dup', (batch) => {
      seen += batch.filter((e) => e.envelope.noticeId === 'dup').length;
    });
    await c.start();
    try {
      const applied = async () =>
        (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM applied WHERE notice_id = 'dup'`))
          .rows[0]!.n;
      await waitFor(async () => (await applied()) >= 1, { what: 'dup applied' });
      // The other 1200 events of the first test must also pass through this new group first.
      await waitFor(
        async () =>
          (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM processed_events')).rows[0]!.n >=
          1201,
        { what: 'group caught up' },
      );
      expect(await applied()).toBe(1);
      expect(seen).toBe(1);
    } finally {
      await c.stop();
    }
  });

  it('a poison event goes to the dead-letter topic while the rest of its batch lands', async () => {
    const good = completed(`good-${randomUUID()}`);
    await withTransaction(pool, (tx) => enqueue(tx, [completed('poison'), good]));
    const dead: { error: string; source: string }[] = [];
    const dlq = kafka.consumer({ groupId: `${iso.namespace}-dlq-reader` });
    await dlq.connect();
    await dlq.subscribe({ topic: topicName('deadLetters', iso.topicPrefix), fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        dead.push({
          error: String(message.headers?.['dlq-error']),
          source: String(message.headers?.['dlq-source-topic']),
        });
      },
    });
    const c = consumer('poison', () => undefined);
    await c.start();
    try {
      await waitFor(() => dead.length > 0, { what: 'dead letter', timeoutMs: 30_000 });
      expect(dead[0]!.error).toContain('cannot apply this one');
      expect(dead[0]!.source).toBe(topicName('notices', iso.topicPrefix));
      // The good event of the same transaction lands too (it may be applied just after the poison is sent on).
      await waitFor(
        async () =>
          (await pool.query('SELECT 1 FROM applied WHERE notice_id = $1', [good.key])).rows.length === 1,
        { what: 'the good event applied' },
      );
    } finally {
      await c.stop();
      await dlq.disconnect();
    }
  });

  it('an event the handler has no use for is skipped before any transaction: not recorded, not handled', async () => {
    const noticeId = `acc-${randomUUID()}`; // one key: one partition, so the skipped event is read first
    const skipped = completed(noticeId);
    const kept = completed(noticeId);
    await withTransaction(pool, (tx) => enqueue(tx, [skipped, kept]));
    const handled: string[] = [];
    const c = consumer(
      'accepts',
      (batch) => handled.push(...batch.map((e) => e.envelope.eventId)),
      (e) => e.envelope.noticeId !== noticeId || e.envelope.eventId !== skipped.envelope.eventId,
    );
    await c.start();
    try {
      await waitFor(
        async () =>
          (await pool.query('SELECT 1 FROM applied WHERE event_id = $1', [kept.envelope.eventId])).rows
            .length === 1,
        { what: 'the accepted event applied', timeoutMs: 30_000 },
      );
      const recorded = await pool.query('SELECT 1 FROM processed_events WHERE event_id = $1', [
        skipped.envelope.eventId,
      ]);
      expect(recorded.rows).toHaveLength(0);
      expect(handled).not.toContain(skipped.envelope.eventId);
      expect(handled).toContain(kept.envelope.eventId);
    } finally {
      await c.stop();
    }
  });

  it('the relay wakes on NOTIFY alone (no short poll), polls while its LISTEN connection is lost, and listens again', async () => {
    const { pool: pool2, relay: relay2, left } = await relayOfItsOwn('msg2');
    await relay2.start();
    const published = (what: string) => waitFor(async () => (await left()) === 0, { what, timeoutMs: 5000 });
    const listenerPid = () =>
      (Reflect.get(relay2, 'listener') as { processID?: number } | undefined)?.processID;
    try {
      await withTransaction(pool2, (tx) => enqueue(tx, [completed('woken')]));
      await published('published on NOTIFY');
      const pid = listenerPid();
      expect(pid).toBeGreaterThan(0);
      await pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitFor(async () => listenerPid() !== pid, { what: 'lost LISTEN connection noticed' });
      await withTransaction(pool2, (tx) => enqueue(tx, [completed('while-lost')]));
      await published('published by the fallback poll');
      await waitFor(async () => listenerPid() !== undefined, { what: 'listening again' });
      expect(listenerPid()).not.toBe(pid);
      await withTransaction(pool2, (tx) => enqueue(tx, [completed('woken-again')]));
      await published('published on NOTIFY after listening again');
    } finally {
      await relay2.stop();
      await pool2.end();
    }
  });

  it('a round whose send fails deletes nothing and leaves its connection in the pool; the rows go out on the next round', async () => {
    const { pool: pool3, relay: relay3, left } = await relayOfItsOwn('msg3');
    await relay3.start();
    // Stopped while its first round runs: it stops then, not after its 60 s idle wait (it used to wait it out).
    const stopped = relay3.stop().then(() => 'stopped');
    const waiting = new Promise((r) => setTimeout(r, 10_000, 'still waiting'));
    expect(await Promise.race([stopped, waiting])).toBe('stopped');
    try {
      await withTransaction(pool3, (tx) => enqueue(tx, [completed('r1'), completed('r2'), completed('r3')]));
      // With no relay of this schema running here, the commit's doorbell is a NOTIFY on a pooled connection of its
      // own, sent without waiting: let it come back first, so the count below is the relay's round alone.
      await waitFor(() => pool3.totalCount === pool3.idleCount, {
        what: 'the doorbell NOTIFY back in the pool',
      });
      // Its producer is disconnected, so the send fails: the claim is rolled back, the connection kept.
      await expect(relay3.relayOnce()).rejects.toThrow();
      expect(await left()).toBe(3);
      expect(pool3.totalCount).toBe(pool3.idleCount);
      const producer = kafka.producer();
      await producer.connect();
      Reflect.set(relay3, 'producer', producer);
      expect(await relay3.relayOnce()).toBe(3);
      expect(await left()).toBe(0);
      expect(await relay3.relayOnce()).toBe(0);
      await producer.disconnect();
    } finally {
      await pool3.end();
    }
    expect(() => new OutboxRelay({ pool, kafka, schema, logger, batchSize: 1.5 })).toThrow(
      /positive integer/,
    );
  });

  it('a row committed late under a lower id than rows already relayed still goes out, by the next round from the start', async () => {
    const { databaseUrl } = endpoints();
    const own = `${iso.namespace}_msg5`;
    await migrate({ url: databaseUrl, schema: own, dirs: [MESSAGING_MIGRATIONS_DIR] });
    const pool5 = createPool({ url: databaseUrl, schema: own });
    // Rounds read above what the last round relayed at once (stragglerMs 0); a round from the start every 400 ms.
    const relay5 = new OutboxRelay({
      pool: pool5,
      kafka,
      schema: own,
      logger,
      pollMs: 60_000,
      stragglerMs: 0,
      fullRoundMs: 400,
    });
    const producer = kafka.producer();
    await producer.connect();
    Reflect.set(relay5, 'producer', producer); // not started: only the rounds this test calls run
    const left = async () =>
      (await pool5.query<{ id: string }>('SELECT id FROM outbox ORDER BY id')).rows.map((r) => Number(r.id));
    const late = await pool5.connect();
    try {
      expect(await relay5.relayOnce()).toBe(0); // the first round reads from the start
      // A transaction takes its outbox id, then commits only after a later transaction's row was relayed.
      await late.query('BEGIN');
      await enqueue(late, [completed('late')]);
      await withTransaction(pool5, (tx) => enqueue(tx, [completed('early')]));
      expect(await relay5.relayOnce()).toBe(1); // the early row; the late one is not committed yet
      await late.query('COMMIT');
      const [lateId] = await left();
      // Below the id just relayed: the next rounds read above it, and leave it …
      expect(await relay5.relayOnce()).toBe(0);
      expect(await left()).toEqual([lateId]);
      // … until the next round from the start, at most 400 ms on.
      await new Promise((r) => setTimeout(r, 450));
      expect(await relay5.relayOnce()).toBe(1);
      expect(await left()).toEqual([]);
      // A flush (a stop) always reads from the start.
      await late.query('BEGIN');
      await enqueue(late, [completed('late-2')]);
      await withTransaction(pool5, (tx) => enqueue(tx, [completed('early-2')]));
      expect(await relay5.relayOnce()).toBe(1);
      await late.query('COMMIT');
      await relay5.flush();
      expect(await left()).toEqual([]);
    } finally {
      late.release();
      await producer.disconnect();
      await pool5.end();
    }
  });
});

describe('gathered batches (a consumer nobody waits on, such as the read model)', () => {
  /** A consumer of a group of its own on the file's notices topic, started, and a way to send it events. */
  async function consumerOfNotices(name: string, gatherMs: number | undefined, handle: BatchHandler) {
    const c = new IdempotentConsumer({
      kafka,
      pool,
      groupId: `${iso.namespace}-${name}-${randomUUID()}`,
      topics: [topicName('notices', iso.topicPrefix)],
      deadLetterTopic: topicName('deadLetters', iso.topicPrefix),
      logger,
      fetchWaitMs: 500,
      ...(gatherMs ? { gatherMs } : {}),
      handle,
    });
    await c.start();
    const producer = kafka.producer();
    await producer.connect();
    const send = (noticeId: string) =>
      producer.send({
        topic: topicName('notices', iso.topicPrefix),
        messages: [{ key: noticeId, value: encodeEnvelope(completed(noticeId).envelope) }],
      });
    const stop = async () => {
      await producer.disconnect();
      await c.stop();
    };
    return { send, stop };
  }

  /**
   * A consumer of its own group, counting the events of each batch it applies once `counting` is set. Starts
   * at the topic's beginning: a first event sent after it runs, and seen, tells the test it is fetching.
   */
  async function trickle(gatherMs?: number) {
    const sizes: number[] = [];
    const seen = new Set<string>();
    // Only this call's own events are counted: the topic is the file's, and a relay of an earlier test may still
    // send what it had left (CI once counted 22 of 20).
    const ids = Array.from({ length: 20 }, () => `gather-${randomUUID()}`);
    const own = new Set(ids);
    const { send, stop } = await consumerOfNotices('gather', gatherMs, async (_tx, batch) => {
      const counted = batch.filter((e) => own.has(e.envelope.noticeId)).length;
      if (counted > 0) sizes.push(counted);
      for (const e of batch) seen.add(e.envelope.noticeId);
    });
    try {
      const first = `gather-first-${randomUUID()}`;
      await send(first);
      await waitFor(async () => seen.has(first), { what: 'the first event', timeoutMs: 30_000 });
      for (const id of ids) {
        await send(id);
        await new Promise((r) => setTimeout(r, 25));
      }
      // The last ones come within a window: its end still delivers them.
      await waitFor(async () => ids.every((id) => seen.has(id)), {
        what: '20 trickled events',
        timeoutMs: 30_000,
      });
      return sizes;
    } finally {
      await stop();
    }
  }

  it('folds events that trickle in as a few larger batches, each event once, the last not held past the window', async () => {
    const gathered = await trickle(400);
    const asTheyCome = await trickle();
    expect(gathered.reduce((a, b) => a + b, 0)).toBe(20);
    expect(asTheyCome.reduce((a, b) => a + b, 0)).toBe(20);
    // 20 events 25 ms apart: about two windows gathered, against a batch per event or so as they come.
    expect(gathered.length).toBeLessThanOrEqual(5);
    expect(asTheyCome.length).toBeGreaterThanOrEqual(2 * gathered.length);
  });
  it('applies the first event after a quiet spell at once, and a stop does not sit out the window', async () => {
    const seen = new Map<string, number>();
    const { send, stop } = await consumerOfNotices('gather-quiet', 3000, async (_tx, batch) => {
      for (const e of batch) seen.set(e.envelope.noticeId, performance.now());
    });
    try {
      // Whatever the topic already held comes first, as a batch with its window; then a quiet spell.
      const warm = `gather-warm-${randomUUID()}`;
      await send(warm);
      await waitFor(async () => seen.has(warm), { what: 'the warm-up event', timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 3500));
      const first = `gather-quiet-${randomUUID()}`;
      const sent = performance.now();
      await send(first);
      await waitFor(async () => seen.has(first), { what: 'the first event after quiet', timeoutMs: 30_000 });
      // Not held for the 3 s window (a wait at the broker held it that long): a long poll returns at once.
      expect(seen.get(first)! - sent).toBeLessThan(2000);
    } finally {
      // Stopping in the window that event opened: the pause ends at once, not after 3 s.
      const stopping = performance.now();
      await stop();
      expect(performance.now() - stopping).toBeLessThan(2500);
    }
  });
});

describe('one fetch over many partitions (causes before effects across topics)', () => {
  // Topics of their own, so that a fetch from their beginning holds exactly what this test sent.
  const prefix = `${iso.topicPrefix}fetch.`;
  const notices = topicName('notices', prefix);
  const progress = topicName('progress', prefix);
  // Both topics have eight partitions: 32 keys cover (nearly) all sixteen, more than kafkajs's default of
  // one worker per partition up to eight would hand over at once.
  const keys = Array.from({ length: 32 }, (_, i) => `fetch-${i}-${randomUUID()}`);

  beforeAll(async () => {
    await ensureTopics(kafka, [
      { topic: notices, numPartitions: 8 },
      { topic: progress, numPartitions: 8 },
    ]);
    const producer = kafka.producer();
    await producer.connect();
    try {
      // Everything is on the broker before a consumer starts: its first fetch holds all of it.
      for (const topic of [notices, progress]) {
        await producer.send({
          topic,
          messages: keys.map((key) => ({
            key,
            value: encodeEnvelope(completed(`${topic === notices ? 'effect' : 'cause'}:${key}`).envelope),
          })),
        });
      }
    } finally {
      await producer.disconnect();
    }
  });

  /** The handler's calls of a new group reading both topics from their beginning, with `chunkSize`. */
  async function callsOf(chunkSize?: number) {
    const calls: ConsumedEvent[][] = [];
    const c = new IdempotentConsumer({
      kafka,
      pool,
      groupId: `${iso.namespace}-fetch-${randomUUID()}`,
      // The effects' topic is listed first, as the tracker lists notices (where completions travel) first.
      topics: [notices, progress],
      deadLetterTopic: topicName('deadLetters', iso.topicPrefix),
      logger,
      fetchWaitMs: 500,
      ...(chunkSize ? { chunkSize } : {}),
      order: (e) => (e.envelope.noticeId.startsWith('effect:') ? 1 : 0),
      // Only this run's events (a topic left by an interrupted earlier run may hold others).
      handle: async (_tx, batch) => {
        const ours = batch.filter((e) => keys.some((k) => e.envelope.noticeId.endsWith(k)));
        if (ours.length > 0) calls.push(ours);
      },
    });
    await c.start();
    try {
      await waitFor(async () => calls.flat().length >= 64, { what: '64 events', timeoutMs: 30_000 });
    } finally {
      await c.stop();
      // The next group reads the same events: forget that this one processed them (one schema for all).
      await pool.query('DELETE FROM processed_events WHERE event_id = ANY($1::uuid[])', [
        calls.flat().map((e) => e.envelope.eventId),
      ]);
    }
    return calls;
  }

  const kinds = (batch: ConsumedEvent[]) => batch.map((e) => e.envelope.noticeId.split(':')[0]);
  const causesThenEffects = [...Array(32).fill('cause'), ...Array(32).fill('effect')];

  it('applies every partition of a fetch in one transaction, in the consumer order', async () => {
    const [first] = await callsOf();
    expect(new Set(first!.map((e) => `${e.topic}/${e.partition}`)).size).toBeGreaterThan(8);
    expect(kinds(first!)).toEqual(causesThenEffects);
  });

  it('keeps that order across transactions when a fetch is larger than one chunk', async () => {
    const calls = await callsOf(20);
    // Four transactions at least (64 events, 20 a chunk), each cause in one before every effect.
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.flatMap(kinds)).toEqual(causesThenEffects);
  });
});
