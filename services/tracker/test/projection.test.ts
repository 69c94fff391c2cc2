import { randomUUID } from 'node:crypto';
import { credentials, Metadata } from '@grpc/grpc-js';
import {
  encodeEnvelope,
  type NoticeView,
  type TopicKey,
  TrackerServiceClient,
  topicName,
} from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitForGroupCaughtUp } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { TERMINAL_RANK } from '../src/sql/request-status.js';

const iso = isolate();
const logger = createLogger({ service: 'tracker-test', level: 'warn' });
const app = buildApp(loadConfig(hubEnv(iso)), { logger, clock: systemClock });
const HOUR = 3_600_000;
const SENT_TO: TopicKey[] = ['notices', 'requestsBank', 'progress', 'answers'];
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let admin: ReturnType<Kafka['admin']>;

beforeAll(async () => {
  kafka = createKafka({
    brokers: endpoints().kafkaBrokers,
    clientId: 'tracker-test',
    logger: createLogger({ service: 'tracker-test', level: 'error' }),
  });
  await app.start();
  producer = kafka.producer();
  admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await app.stop();
  await iso.cleanup();
});

/** Events as other services would publish them, stamped with the hub time they happened at. */
const at = (when: Date) => eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => when });

/** Publish, then wait until the tracker's consumer group has committed past everything on its topics. */
async function publish(...messages: OutboxMessage[]) {
  for (const m of messages) {
    await producer.send({ topic: m.topic, messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }] });
  }
  await waitForGroupCaughtUp(
    admin,
    `${iso.namespace}.tracker.lifecycle`,
    SENT_TO.map((key) => topicName(key, iso.topicPrefix)),
    { what: 'the tracker to consume everything published' },
  );
}

type Json<T> = {
  [K in keyof T]: T[K] extends Date | undefined ? string : T[K] extends (infer U)[] ? Json<U>[] : T[K];
};
async function view(id: string): Promise<Json<NoticeView>> {
  const res = await app.http.inject({ url: `/v1/ops/notices/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const dispatched = (noticeId: string, requestId: string, institution: string, when: Date) =>
  at(when).event('requestsBank', noticeId, 'requestDispatched', {
    ...progress(noticeId, requestId, institution),
    measure: 'query',
    caseNo: '(2026)川0104执1234号',
    noticeNo: '(2026)川0104执1234号-协01',
    legalBasis: '(2026)川0104执1234号执行裁定书',
  });
const issuedNotice = (noticeId: string, noticeNo: string, when: Date) =>
  at(when).event('notices', noticeId, 'noticeIssued', {
    noticeId,
    notice: {
      noticeNo,
      caseNo: noticeNo.replace(/-协01$/, ''),
      court: { code: '川0104', name: '成都市锦江区人民法院' },
      measure: 'query',
      targets: [{ agency: 'bank', institution: '' }],
      legalBasis: '(2026)川0104执1234号执行裁定书',
      issuedAt: '2026-11-23T09:00:00+08:00',
      confirmWarnings: [],
    },
    receivedAt: when,
  });
function progress(noticeId: string, requestId: string, institution: string) {
  return { requestId, noticeId, agency: 'bank', institution };
}
const answered = (noticeId: string, requestId: string, institution: string, when: Date) =>
  at(when).event('answers', noticeId, 'requestAnswered', {
    ...progress(noticeId, requestId, institution),
    outcome: 'done',
    reason: '',
    resultJson: JSON.stringify({ accounts: [] }),
  });

describe('tracker projection', () => {
  it('folds one notice’s events arriving out of order and twice into one consistent view', async () => {
    const n = randomUUID();
    const r = randomUUID();
    const start = Date.now() - HOUR;
    const t = (minutes: number) => new Date(start + minutes * 60_000);
    const issued = at(t(0)).event('notices', n, 'noticeIssued', {
      noticeId: n,
      notice: {
        noticeNo: '(2026)川0104执1234号-协01',
        caseNo: '(2026)川0104执1234号',
        court: { code: '川0104', name: '成都市锦江区人民法院' },
        measure: 'query',
        targets: [{ agency: 'bank', institution: 'ICBC' }],
        legalBasis: '(2026)川0104执1234号执行裁定书',
        issuedAt: '2026-11-23T09:00:00+08:00',
        confirmWarnings: [],
      },
      receivedAt: t(0),
    });
    const dispatch = dispatched(n, r, 'ICBC', t(1));
    const delivered = at(t(2)).event('progress', n, 'requestDelivered', progress(n, r, 'ICBC'));
    const acknowledged = at(t(3)).event('progress', n, 'requestAcknowledged', progress(n, r, 'ICBC'));
    const answer = answered(n, r, 'ICBC', t(4));
    const counts = { requests: 1, done: 1, partial: 0, cannotAssist: 0, refused: 0, failed: 0 };
    const completed = at(t(5)).event('notices', n, 'noticeCompleted', { noticeId: n, ...counts });

    await publish(answer);
    expect((await view(n)).requests).toMatchObject([{ id: r, status: 'done', outcome: 'done' }]);
    await publish(dispatch, dispatch);
    await publish(issued);
    await publish(delivered, acknowledged, answer);
    const afterLate = await view(n);
    expect(afterLate.status).toBe('in-progress');
    expect(afterLate.requests).toMatchObject([{ id: r, status: 'done' }]);
    await publish(completed, issued);

    const v = await view(n);
    expect(v).toMatchObject({
      id: n,
      noticeNo: '(2026)川0104执1234号-协01',
      caseNo: '(2026)川0104执1234号',
      courtCode: '川0104',
      measure: 'query',
      status: 'completed',
      breached: false,
      completedAt: t(5).toISOString(),
    });
    expect(v.requests).toHaveLength(1);
    expect(v.requests[0]).toMatchObject({
      id: r,
      agency: 'bank',
      institution: 'ICBC',
      status: 'done',
      outcome: 'done',
      breached: false,
      dueAt: new Date(t(1).getTime() + 24 * HOUR).toISOString(), // bank query: answer within 24 h
      answeredAt: t(4).toISOString(),
    });
    expect(JSON.parse(v.requests[0]!.resultJson)).toEqual({ accounts: [] });
    // The timeline reads in the order things happened, each event once, whatever order they arrived in.
    const events = v.timeline.map((e) => e.event);
    expect(events).toEqual([
      'NoticeIssued',
      'RequestDispatched',
      'RequestDelivered',
      'RequestAcknowledged',
      'RequestAnswered',
      'NoticeCompleted',
    ]);
  });

  it('takes an acknowledgement with no delivery before it (acknowledged with the lease) as the delivery too', async () => {
    const n = randomUUID();
    const [r1, r2] = [randomUUID(), randomUUID()];
    const t0 = Date.now() - HOUR;
    const t = (s: number) => new Date(t0 + s * 1000);
    const noticeNo = `(2026)川0104执${Math.floor(Math.random() * 1e6)}号-协01`;
    await publish(
      issuedNotice(n, noticeNo, t(0)),
      dispatched(n, r1, 'ICBC', t(1)),
      dispatched(n, r2, 'CCB', t(1)),
    );
    // r1 acknowledged with its lease (one event); r2 delivered first, acknowledged later (two).
    await publish(
      at(t(2)).event('progress', n, 'requestAcknowledged', progress(n, r1, 'ICBC')),
      at(t(3)).event('progress', n, 'requestDelivered', progress(n, r2, 'CCB')),
      at(t(4)).event('progress', n, 'requestAcknowledged', progress(n, r2, 'CCB')),
    );
    const { rows } = await app.runtime.pool.query<{ id: string; d: Date; a: Date; status: string }>(
      'SELECT id, delivered_at AS d, acknowledged_at AS a, status FROM requests WHERE id = ANY($1::uuid[])',
      [[r1, r2]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(r1)).toMatchObject({ status: 'acknowledged', d: t(2), a: t(2) });
    expect(byId.get(r2)).toMatchObject({ status: 'acknowledged', d: t(3), a: t(4) });
  });

  it('shows a notice completed only once the requests its completion counted are in and answered', async () => {
    const n = randomUUID();
    const [r1, r2] = [randomUUID(), randomUUID()];
    const t = new Date(Date.now() - HOUR);
    const noticeNo = `(2026)川0104执${Math.floor(Math.random() * 1e6)}号-协01`;
    const counts = { requests: 2, done: 2, partial: 0, cannotAssist: 0, refused: 0, failed: 0 };
    /** The notice as the console's search lists it: the same status as its view. */
    const listed = async () => {
      const res = await app.http.inject({ url: `/v1/ops/notices?q=${encodeURIComponent(noticeNo)}` });
      expect(res.statusCode).toBe(200);
      const hits = (res.json() as { notices: { id: string; status: string }[] }).notices;
      return hits.find((h) => h.id === n)?.status;
    };
    // The completion first, as a backlogged fetch can deliver it: the requests it counts come later.
    await publish(issuedNotice(n, noticeNo, t), dispatched(n, r1, 'ICBC', t));
    await publish(at(t).event('notices', n, 'noticeCompleted', { noticeId: n, ...counts }));
    const early = await view(n);
    expect(early).toMatchObject({ status: 'in-progress', requests: [{ id: r1, status: 'pending' }] });
    expect(early.completedAt).toBeUndefined();
    expect(await listed()).toBe('in-progress');
    await publish(answered(n, r1, 'ICBC', t), dispatched(n, r2, 'CCB', t));
    expect((await view(n)).status).toBe('in-progress');
    expect(await listed()).toBe('in-progress');
    await publish(answered(n, r2, 'CCB', t));
    const v = await view(n);
    expect(v).toMatchObject({ status: 'completed', completedAt: t.toISOString() });
    expect(v.requests.map((q) => q.status)).toEqual(['done', 'done']);
    expect(await listed()).toBe('completed');
  });

  it('keeps a completion that arrives before anything else of its notice, and completes it when its requests are answered', async () => {
    const n = randomUUID();
    const r = randomUUID();
    const t = new Date(Date.now() - HOUR);
    const counts = { requests: 1, done: 1, partial: 0, cannotAssist: 0, refused: 0, failed: 0 };
    await publish(at(t).event('notices', n, 'noticeCompleted', { noticeId: n, ...counts }));
    expect(await view(n)).toMatchObject({ status: 'in-progress', requests: [] });
    // Its request dispatched and answered in one fetch: inserted in its final state, and the notice completes.
    await publish(dispatched(n, r, 'ICBC', t), answered(n, r, 'ICBC', t));
    expect(await view(n)).toMatchObject({ status: 'completed', completedAt: t.toISOString() });
    // A replay of the completion changes nothing.
    await publish(at(new Date()).event('notices', n, 'noticeCompleted', { noticeId: n, ...counts }));
    expect(await view(n)).toMatchObject({ status: 'completed', completedAt: t.toISOString() });
  });

  it('marks a request unanswered past its due time, or answered late, as breached', async () => {
    const n = randomUUID();
    const [open, late, fresh] = [randomUUID(), randomUUID(), randomUUID()];
    const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
    await publish(
      dispatched(n, open, 'CCB', twoDaysAgo),
      dispatched(n, late, 'ABC', twoDaysAgo),
      dispatched(n, fresh, 'BOC', new Date()),
    );
    await publish(answered(n, late, 'ABC', new Date()));

    const v = await view(n);
    const byId = new Map(v.requests.map((q) => [q.id, q]));
    expect(byId.get(open)).toMatchObject({ status: 'pending', breached: true });
    expect(byId.get(open)!.dueAt).toBe(new Date(twoDaysAgo.getTime() + 24 * HOUR).toISOString());
    expect(byId.get(late)).toMatchObject({ status: 'done', breached: true });
    expect(byId.get(fresh)).toMatchObject({ status: 'pending', breached: false });
    expect(v.breached).toBe(true);

    // The gateway reads the same view over gRPC.
    const client = new TrackerServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
    try {
      const overGrpc = await new Promise<NoticeView | undefined>((resolve, reject) =>
        client.getNotice({ id: n }, new Metadata(), { deadline: Date.now() + 5000 }, (err, res) =>
          err ? reject(err) : resolve(res?.notice),
        ),
      );
      expect(overGrpc?.breached).toBe(true);
      const request = overGrpc?.requests.find((q) => q.id === open);
      expect(request).toMatchObject({ status: 'pending', breached: true });
    } finally {
      client.close();
    }
  });

  it('keeps the deadlines stamped on RequestDispatched and arms the answer deadline in the timer of its second', async () => {
    const n = randomUUID();
    const [stamped, older] = [randomUUID(), randomUUID()];
    const now = new Date();
    const by = (hours: number) => new Date(now.getTime() + hours * HOUR);
    // The measure service planned other deadlines than the tracker's policy would: they are the ones kept.
    const withDeadlines = at(now).event('requestsBank', n, 'requestDispatched', {
      ...progress(n, stamped, 'ICBC'),
      measure: 'query',
      caseNo: '(2026)川0104执1234号',
      noticeNo: '(2026)川0104执1234号-协01',
      legalBasis: '(2026)川0104执1234号执行裁定书',
      acknowledgeBy: by(1),
      answerBy: by(2),
      escalateAt: by(3),
      slaPolicyVersion: 'sla-test-7',
    });
    await publish(withDeadlines, dispatched(n, older, 'CCB', now));
    const rows = async () =>
      (
        await app.runtime.pool.query<{
          id: string;
          due_at: Date;
          escalate_at: Date;
          sla_policy_version: string;
        }>(
          'SELECT id, ack_due_at, due_at, escalate_at, sla_policy_version FROM requests WHERE notice_id = $1',
          [n],
        )
      ).rows;
    const byId = new Map((await rows()).map((r) => [r.id, r]));
    expect(byId.get(stamped)).toMatchObject({
      ack_due_at: by(1),
      due_at: by(2),
      escalate_at: by(3),
      sla_policy_version: 'sla-test-7',
    });
    // An event from before deadlines were stamped: computed from the tracker's policy, and said so.
    expect(byId.get(older)).toMatchObject({ due_at: by(24), sla_policy_version: 'default' });
    // One timer per second of answer deadlines, due at the earliest of them; none per request, and the
    // escalation is armed only when the request breaches (sla.test.ts).
    const bucket = `s:${Math.floor(by(2).getTime() / 1000)}`;
    const timers = async () =>
      (
        await app.runtime.pool.query<{ kind: string; subject_id: string; due_at: Date }>(
          `SELECT kind, subject_id, due_at FROM timers WHERE subject_id = ANY($1::text[]) ORDER BY kind`,
          [[stamped, older, bucket]],
        )
      ).rows;
    expect(await timers()).toEqual([{ kind: 'sla.breach', subject_id: bucket, due_at: by(2) }]);
    // Another request due earlier in the same second moves the shared timer earlier, a later one does not.
    const [earlier, later] = [randomUUID(), randomUUID()];
    const second = Math.floor(by(2).getTime() / 1000) * 1000;
    const dueIn = (id: string, ms: number) =>
      at(now).event('requestsBank', n, 'requestDispatched', {
        ...progress(n, id, 'BOC'),
        measure: 'query',
        caseNo: '(2026)川0104执1234号',
        noticeNo: '(2026)川0104执1234号-协02',
        legalBasis: '(2026)川0104执1234号执行裁定书',
        acknowledgeBy: by(1),
        answerBy: new Date(second + ms),
        escalateAt: by(3),
      });
    await publish(dueIn(earlier, 0), dueIn(later, 999));
    expect(await timers()).toEqual([{ kind: 'sla.breach', subject_id: bucket, due_at: new Date(second) }]);
    // The answer writes nothing to the timers: the shared timer finds only what is still open when it fires.
    await publish(answered(n, stamped, 'ICBC', now));
    expect(await timers()).toEqual([{ kind: 'sla.breach', subject_id: bucket, due_at: new Date(second) }]);
    // What the firing timer reads: the index requests_breach_pending, whose predicate spells the open rank (3).
    expect(TERMINAL_RANK).toBe(3);
    const { rows: pending } = await app.runtime.pool.query<{ id: string }>(
      'SELECT id FROM requests WHERE breached_at IS NULL AND status_rank < $2 AND id = ANY($1::uuid[]) ORDER BY due_at',
      [[stamped, earlier, later], TERMINAL_RANK],
    );
    expect(pending.map((r) => r.id)).toEqual([earlier, later]);
  });

  it('answers 404 NOTICE_NOT_FOUND for a notice it has never heard of', async () => {
    const res = await app.http.inject({ url: `/v1/ops/notices/${randomUUID()}` });
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'NOTICE_NOT_FOUND']);
  });
});
