import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeEnvelope, encodeEnvelope, payloadAs, topicName } from '@hub/contracts';
import { manualClock, scaledClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';

// An hour of hub time passes in a second.
const SCALE = 3600;
const HOUR = 3_600_000;
const iso = isolate();
const logger = createLogger({ service: 'sla-test', level: 'error' });
const clock = scaledClock({ scale: SCALE, origin: new Date() });
const realWhen = (hub: Date) => Date.now() + (hub.getTime() - clock.now().getTime()) / SCALE;

// The alert webhook: refuses its first call (to prove retries), then records every alert.
const alerts: { kind: string; requestId: string }[] = [];
let calls = 0;
const webhook = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    calls += 1;
    if (calls === 1) return void res.writeHead(500).end();
    alerts.push(JSON.parse(body));
    res.writeHead(204).end();
  });
});

let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let config: ReturnType<typeof loadConfig>;
const breachEvents: { type: string; requestId: string }[] = [];
let reader: ReturnType<Kafka['consumer']>;

beforeAll(async () => {
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  const port = (webhook.address() as AddressInfo).port;
  config = loadConfig(
    hubEnv(iso, {
      TRACKER_ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/alerts`,
      TRACKER_SLA_SWEEP_MS: '100',
    }),
  );
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'sla-test', logger });
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await reader?.disconnect();
  await producer?.disconnect();
  await new Promise((r) => webhook.close(r));
  await iso.cleanup();
});

const at = (when: Date) => eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => when });
const send = async (...ms: OutboxMessage[]) => {
  for (const m of ms)
    await producer.send({ topic: m.topic, messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }] });
};
/** A bank query request (answer within 24 h, escalation 24 h later) dispatched `ago` hub ms before now. */
function dispatched(noticeId: string, requestId: string, ago: number) {
  return at(new Date(clock.now().getTime() - ago)).event('requestsBank', noticeId, 'requestDispatched', {
    requestId,
    noticeId,
    agency: 'bank',
    institution: 'ICBC',
    measure: 'query',
    caseNo: '(2026)川0104执1号',
    noticeNo: 'n',
    legalBasis: 'b',
  });
}

/** A bank query request dispatched at `t0` (hub ms) with its deadlines stamped as given. */
function stampedDispatch(
  t0: number,
  noticeId: string,
  requestId: string,
  d: { answerBy: number; escalateAt: number },
  caseNo: string,
) {
  return at(new Date(t0)).event('requestsBank', noticeId, 'requestDispatched', {
    requestId,
    noticeId,
    agency: 'bank',
    institution: 'ICBC',
    measure: 'query',
    caseNo,
    noticeNo: 'n',
    legalBasis: 'b',
    acknowledgeBy: new Date(d.answerBy),
    answerBy: new Date(d.answerBy),
    escalateAt: new Date(d.escalateAt),
  });
}

describe('SLA deadlines', () => {
  it('breaches within a second of the deadline, escalates later, survives a restart without duplicates, alerts once', async () => {
    const noticeId = randomUUID();
    const soon = randomUUID(); // due 8 hub hours from now: passes after the restart
    const overdue = randomUUID(); // due 14 h ago: breached at once; escalates 10 hub hours from now
    const first = buildApp(config, { logger, clock });
    await first.start();
    await send(dispatched(noticeId, soon, 16 * HOUR), dispatched(noticeId, overdue, 38 * HOUR));
    const row = async (id: string) =>
      (
        await first.runtime.pool.query<{
          due_at: Date;
          breached_at: Date | null;
          escalated_at: Date | null;
          escalate_at: Date;
        }>('SELECT due_at, breached_at, escalated_at, escalate_at FROM requests WHERE id = $1', [id])
      ).rows[0];
    await waitFor(async () => (await row(overdue))?.breached_at, { what: 'overdue request breached' });
    const soonRow = (await waitFor(() => row(soon), { what: 'request projected' }))!;
    expect(soonRow.breached_at).toBeNull();
    await first.stop(); // a restart before the next deadline

    const second = buildApp(config, { logger, clock });
    await second.start();
    try {
      const dueReal = realWhen(soonRow.due_at);
      const pool = second.runtime.pool;
      const breachedAt = await waitFor(
        async () =>
          (
            await pool.query<{ breached_at: Date | null }>('SELECT breached_at FROM requests WHERE id = $1', [
              soon,
            ])
          ).rows[0]?.breached_at ?? undefined,
        { what: 'breach after the restart', timeoutMs: 30_000, intervalMs: 20 },
      );
      const detectedReal = Date.now();
      expect(breachedAt.getTime()).toBeGreaterThanOrEqual(soonRow.due_at.getTime());
      expect(detectedReal - dueReal).toBeLessThan(1000); // seen within a second of passing

      const escalated = await waitFor(
        async () =>
          (
            await pool.query<{ escalated_at: Date | null }>(
              'SELECT escalated_at FROM requests WHERE id = $1',
              [overdue],
            )
          ).rows[0]?.escalated_at ?? undefined,
        { what: 'escalation', timeoutMs: 30_000 },
      );
      expect(escalated.getTime()).toBeGreaterThanOrEqual(soonRow.due_at.getTime());

      // Once each: in the timeline, on Kafka and at the webhook (which refused its first call).
      const { rows } = await pool.query<{ event: string; n: number }>(
        `SELECT event, count(*)::int AS n FROM timeline WHERE request_id = ANY($1::uuid[]) AND event LIKE 'Request%ed'
           AND event IN ('RequestBreached', 'RequestEscalated') GROUP BY event ORDER BY event`,
        [[soon, overdue]],
      );
      expect(rows).toEqual([
        { event: 'RequestBreached', n: 2 },
        { event: 'RequestEscalated', n: 1 },
      ]);
      reader = kafka.consumer({ groupId: `${iso.namespace}.sla-reader` });
      await reader.connect();
      await reader.subscribe({ topic: topicName('breaches', iso.topicPrefix), fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) => {
          const e = decodeEnvelope(message.value!);
          const p = payloadAs(e, 'requestBreached') ?? payloadAs(e, 'requestEscalated');
          if (p) breachEvents.push({ type: e.type, requestId: p.requestId });
        },
      });
      await waitFor(() => breachEvents.length >= 3, { what: 'breach events on Kafka' });
      await waitFor(() => alerts.length >= 3, { what: 'alerts delivered', timeoutMs: 20_000 });
      expect(breachEvents.map((e) => `${e.type}:${e.requestId}`).sort()).toEqual(
        [`RequestBreached:${overdue}`, `RequestBreached:${soon}`, `RequestEscalated:${overdue}`].sort(),
      );
      expect(alerts.map((a) => `${a.kind}:${a.requestId}`).sort()).toEqual(
        [`breach:${overdue}`, `breach:${soon}`, `escalation:${overdue}`].sort(),
      );
      expect(calls).toBe(4); // one refused, then three delivered

      // A late answer is kept and marked late; the request stays on record as breached.
      await send(
        at(clock.now()).event('answers', noticeId, 'requestAnswered', {
          requestId: soon,
          noticeId,
          agency: 'bank',
          institution: 'ICBC',
          outcome: 'done',
          reason: '',
          resultJson: '{"accounts":[]}',
        }),
      );
      const late = await waitFor(
        async () =>
          (
            await pool.query<{ late: boolean; status: string }>(
              'SELECT late, status FROM requests WHERE id = $1',
              [soon],
            )
          ).rows[0]?.status === 'done'
            ? (await pool.query<{ late: boolean }>('SELECT late FROM requests WHERE id = $1', [soon])).rows[0]
            : undefined,
        { what: 'late answer recorded' },
      );
      expect(late.late).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('breaches every request of one second exactly once: those due later in it, and a storm beyond one batch', async () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    const manual = manualClock(new Date(t0));
    const storm = Array.from({ length: 1200 }, () => randomUUID()); // due within one second, an hour ahead
    const stormSecond = t0 + 1 * HOUR;
    const [first, last] = [randomUUID(), randomUUID()]; // due at the start and the end of a second two hours ahead
    const second = t0 + 2 * HOUR;
    const noticeId = randomUUID();
    const dispatchedDue = (requestId: string, answerBy: Date) =>
      stampedDispatch(
        t0,
        noticeId,
        requestId,
        { answerBy: answerBy.getTime(), escalateAt: answerBy.getTime() + 1000 * HOUR },
        '(2026)川0104执2号',
      );
    const app = buildApp(config, { logger, clock: manual });
    await app.start();
    try {
      const pool = app.runtime.pool;
      await send(
        dispatchedDue(first, new Date(second)),
        dispatchedDue(last, new Date(second + 999)),
        ...storm.map((id, i) => dispatchedDue(id, new Date(stormSecond + (i % 1000)))),
      );
      const count = async (ids: string[], where: string) =>
        (
          await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM requests WHERE id = ANY($1::uuid[]) AND ${where}`,
            [ids],
          )
        ).rows[0]!.n;
      await waitFor(async () => (await count([first, last, ...storm], 'true')) === 1202, {
        what: 'all projected',
        timeoutMs: 30_000,
      });
      // More due at once than one firing stamps (1,000): the timer is armed again for the rest.
      manual.set(new Date(stormSecond + 1000));
      await waitFor(async () => (await count(storm, 'breached_at IS NOT NULL')) === storm.length, {
        what: 'the storm breached',
        timeoutMs: 20_000,
      });
      // The second's first deadline passes, not its last: the timer fires for one and is armed again.
      manual.set(new Date(second));
      await waitFor(async () => (await count([first], 'breached_at IS NOT NULL')) === 1, {
        what: 'first breached',
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(await count([last], 'breached_at IS NOT NULL')).toBe(0);
      manual.set(new Date(second + 999));
      await waitFor(async () => (await count([last], 'breached_at IS NOT NULL')) === 1, {
        what: 'last breached',
      });
      const all = [first, last, ...storm];
      expect(await count(all, 'breached_at < due_at')).toBe(0);
      const { rows } = await pool.query<{ n: number; requests: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT request_id)::int AS requests FROM timeline
         WHERE request_id = ANY($1::uuid[]) AND event = 'RequestBreached'`,
        [all],
      );
      expect(rows[0]).toEqual({ n: all.length, requests: all.length });
    } finally {
      await app.stop();
    }
  });

  it('escalates at the escalation deadline a redelivered dispatch moved later, after the first one has passed', async () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    const manual = manualClock(new Date(t0));
    const noticeId = randomUUID();
    const requestId = randomUUID();
    const due = t0 + HOUR;
    const dispatch = (escalateAt: number) =>
      stampedDispatch(t0, noticeId, requestId, { answerBy: due, escalateAt }, '(2026)川0104执3号');
    const app = buildApp(config, { logger, clock: manual });
    await app.start();
    try {
      const row = async () =>
        (
          await app.runtime.pool.query<{
            breached_at: Date | null;
            escalated_at: Date | null;
            escalate_at: Date | null;
          }>('SELECT breached_at, escalated_at, escalate_at FROM requests WHERE id = $1', [requestId])
        ).rows[0];
      await send(dispatch(due + HOUR));
      await waitFor(async () => (await row())?.escalate_at, { what: 'projected' });
      manual.set(new Date(due));
      await waitFor(async () => (await row())?.breached_at, { what: 'breached' });
      // The same dispatch again, its escalation two hours later than first stamped.
      await send(dispatch(due + 3 * HOUR));
      await waitFor(async () => (await row())?.escalate_at?.getTime() === due + 3 * HOUR, {
        what: 'the new escalation deadline',
      });
      manual.set(new Date(due + HOUR)); // the first deadline: its timer fires and finds it not yet due
      await new Promise((r) => setTimeout(r, 500));
      expect((await row())?.escalated_at).toBeNull();
      manual.set(new Date(due + 3 * HOUR));
      const escalated = await waitFor(async () => (await row())?.escalated_at ?? undefined, {
        what: 'escalated at the new deadline',
      });
      expect(escalated.getTime()).toBe(due + 3 * HOUR);
    } finally {
      await app.stop();
    }
  });
});
