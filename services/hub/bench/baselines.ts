/**
 * What the hub's transport and store can do on this machine, measured in the same run as the hub so that the
 * hub's figures can be read as ratios: a raw kafkajs request/response round trip (request topic → a
 * responder's consumer → reply topic → the requester's consumer, batched as the hub batches, acks=all), and
 * PostgreSQL's commit rate (one-row transactions from 8 clients, the durability every hub hop pays).
 */
import { randomBytes } from 'node:crypto';
import { createKafka } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import { createPool } from '@hub/store';

export interface Baselines {
  /** Round trips answered per second. */
  kafkaRoundTripsPerSecond: number;
  /** One-row transactions committed per second. */
  postgresCommitsPerSecond: number;
}

export async function measureKafkaRoundTrips(
  brokers: string[],
  logger: Logger,
  seconds = 10,
  inFlight = 2_000,
): Promise<number> {
  const kafka = createKafka({ brokers, clientId: 'bench-baseline', logger });
  const tag = randomBytes(3).toString('hex');
  const [requests, replies] = [`bench-rt-${tag}.requests`, `bench-rt-${tag}.replies`];
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [requests, replies].map((topic) => ({ topic, numPartitions: 8 })),
  });
  const responderOut = kafka.producer();
  const requesterOut = kafka.producer();
  const responder = kafka.consumer({ groupId: `${requests}.responder`, maxWaitTimeInMs: 100 });
  const requester = kafka.consumer({ groupId: `${replies}.requester`, maxWaitTimeInMs: 100 });
  await Promise.all([responderOut, requesterOut, responder, requester].map((c) => c.connect()));
  await responder.subscribe({ topic: requests, fromBeginning: true });
  await requester.subscribe({ topic: replies, fromBeginning: true });
  let answered = 0;
  let sent = 0;
  let wake: (() => void) | undefined;
  await responder.run({
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch }) => {
      await responderOut.send({
        topic: replies,
        acks: -1,
        messages: batch.messages.map((m) => ({ key: m.key, value: m.value })),
      });
    },
  });
  await requester.run({
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch }) => {
      answered += batch.messages.length;
      wake?.();
    },
  });
  const payload = randomBytes(600); // about an agency request event's size
  const deadline = performance.now() + seconds * 1000;
  let counted = 0;
  let countedFrom = 0;
  // Warm-up second, then count: keep `inFlight` requests outstanding, sent in batches of 100.
  const warmUntil = performance.now() + 1000;
  while (performance.now() < deadline) {
    if (countedFrom === 0 && performance.now() > warmUntil) {
      countedFrom = performance.now();
      counted = answered;
    }
    if (sent - answered < inFlight) {
      const n = 100;
      await requesterOut.send({
        topic: requests,
        acks: -1,
        messages: Array.from({ length: n }, (_, i) => ({ key: String(sent + i), value: payload })),
      });
      sent += n;
    } else {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  }
  const rate = (answered - counted) / ((performance.now() - countedFrom) / 1000);
  await Promise.all([responder.disconnect(), requester.disconnect()]);
  await Promise.all([responderOut.disconnect(), requesterOut.disconnect()]);
  await admin.deleteTopics({ topics: [requests, replies] }).catch(() => undefined);
  await admin.disconnect();
  return rate;
}

export async function measurePostgresCommits(url: string, seconds = 5, clients = 8): Promise<number> {
  const pool = createPool({ url, schema: 'public', max: clients, applicationName: 'bench-baseline' });
  const table = `bench_commits_${randomBytes(3).toString('hex')}`;
  // Logged like the hub's tables: each commit waits for its WAL flush.
  await pool.query(`CREATE TABLE ${table} (id bigserial, at timestamptz)`);
  let commits = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        await pool.query(`INSERT INTO ${table} (at) VALUES (now())`);
        commits += 1;
      }
    }),
  );
  const rate = commits / ((performance.now() - started) / 1000);
  await pool.query(`DROP TABLE ${table}`);
  await pool.end();
  return rate;
}
