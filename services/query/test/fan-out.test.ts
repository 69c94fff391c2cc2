import { randomUUID } from 'node:crypto';
import {
  decodeEnvelope,
  type EventCase,
  type EventEnvelope,
  encodeEnvelope,
  type PayloadOf,
  payloadAs,
  type TopicKey,
  topicName,
} from '@hub/contracts';
import { bankQuery } from '@hub/contracts/answers/test-support';
import { systemClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';

const iso = isolate();
const logger = createLogger({ service: 'query-test', level: 'warn' });
// Six banks and nothing else connected: the real-estate target below must find no institution.
const app = buildApp(
  loadConfig(hubEnv(iso, { HUB_INSTITUTIONS: 'bank:ICBC,bank:CCB,bank:ABC,bank:BOC,bank:BOCOM,bank:CMB' })),
  { logger, clock: systemClock },
);
const BANKS = ['ICBC', 'CCB', 'ABC', 'BOC', 'BOCOM', 'CMB'];
const WATCHED: TopicKey[] = [
  'notices',
  'noticesQuery',
  'requestsBank',
  'progress',
  'answers',
  'answersQuery',
  'deadLetters',
];
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let admin: ReturnType<Kafka['admin']>;
let reader: ReturnType<Kafka['consumer']>;
/** Everything on the hub's topics, read as any downstream service would. */
const seen: {
  topic: string;
  partition: number;
  offset: number;
  key: string;
  envelope: EventEnvelope;
  /** On the dead-letter topic: why (its dlq-error-code header). */
  code?: string;
}[] = [];

beforeAll(async () => {
  const quiet = createLogger({ service: 'query-test', level: 'error' });
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'query-test', logger: quiet });
  await app.start();
  producer = kafka.producer();
  admin = kafka.admin();
  reader = kafka.consumer({ groupId: `${iso.namespace}.test-reader`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), admin.connect(), reader.connect()]);
  await reader.subscribe({ topics: WATCHED.map((t) => topicName(t, iso.topicPrefix)), fromBeginning: true });
  await reader.run({
    eachMessage: async ({ topic, partition, message }) => {
      const envelope = decodeEnvelope(message.value!);
      const code = message.headers?.['dlq-error-code']?.toString();
      seen.push({
        topic,
        partition,
        offset: Number(message.offset),
        key: String(message.key),
        envelope,
        code,
      });
    },
  });
});

afterAll(async () => {
  await reader?.disconnect();
  await producer?.disconnect();
  await admin?.disconnect();
  await app.stop();
  await iso.cleanup();
});

/** Publish in one produce request, so that the service is likely to take the messages in one batch. */
async function publish(...messages: OutboxMessage[]) {
  await producer.sendBatch({
    topicMessages: messages.map((m) => ({
      topic: m.topic,
      messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
    })),
  });
}

/** Whether `groupOrReader` has consumed every message now on `topics`. */
async function caughtUp(
  topics: TopicKey[],
  committed: (topic: string, partition: number) => Promise<number>,
) {
  for (const key of topics) {
    const topic = topicName(key, iso.topicPrefix);
    for (const end of await admin.fetchTopicOffsets(topic)) {
      if (Number(end.high) > 0 && (await committed(topic, end.partition)) < Number(end.high)) return false;
    }
  }
  return true;
}
const queryCommitted = async (topic: string, partition: number) => {
  const [t] = await admin.fetchOffsets({ groupId: `${iso.namespace}.query.inquiries`, topics: [topic] });
  return Number(t!.partitions.find((p) => p.partition === partition)?.offset ?? -1);
};
const readerCommitted = async (topic: string, partition: number) =>
  1 +
  Math.max(-1, ...seen.filter((s) => s.topic === topic && s.partition === partition).map((s) => s.offset));

/**
 * Wait until nothing more can happen: the query service consumed all its input, published its whole
 * outbox, consumed its own output (which produces nothing further), and this test read all of it.
 */
async function settled() {
  const outboxEmpty = async () =>
    (await app.runtime.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n === 0;
  await waitFor(
    async () =>
      (await caughtUp(['notices', 'noticesQuery', 'answers', 'answersQuery'], queryCommitted)) &&
      (await outboxEmpty()) &&
      (await caughtUp(['notices', 'noticesQuery', 'answers', 'answersQuery'], queryCommitted)) &&
      caughtUp(WATCHED, readerCommitted),
    { what: 'the query service and this test to consume everything', intervalMs: 100 },
  );
}

function of<C extends EventCase>(c: C, noticeId: string, topic?: TopicKey): PayloadOf<C>[] {
  return seen
    .filter((s) => s.envelope.noticeId === noticeId && s.envelope.payload?.$case === c)
    .filter((s) => topic === undefined || s.topic === topicName(topic, iso.topicPrefix))
    .map((s) => s.envelope.payload!.value as PayloadOf<C>);
}

const issued = (noticeId: string, measure: string, targets = ['bank', 'real-estate']) =>
  events.event('notices', noticeId, 'noticeIssued', {
    noticeId,
    notice: {
      noticeNo: '(2026)川0104执1234号-协01',
      caseNo: '(2026)川0104执1234号',
      court: { code: '川0104', name: '成都市锦江区人民法院' },
      officer: { name: '王法官', phone: '028-00000000' },
      debtor: {
        kind: 'person',
        name: '李某',
        idNumber: '11010519491231002X',
        creditCode: '',
        responsiblePersons: [],
      },
      measure,
      targets: targets.map((agency) => ({ agency, institution: '' })),
      params: { accountNo: '', unitNo: '', plate: '', otherGrounds: [] },
      legalBasis: '(2026)川0104执1234号执行裁定书',
      issuedAt: '2026-11-23T09:00:00+08:00',
      confirmWarnings: [],
    },
    receivedAt: new Date(),
  });

const sealer = new Sealer('demo');
/** A query notice to ICBC about `idNumber`, sealed by `court` (demo keys, as the gateway without config). */
const sealedIssued = (noticeId: string, court: string, idNumber: string, tamper = false) => {
  const m = issued(noticeId, 'query');
  const p = payloadAs(m.envelope, 'noticeIssued')!;
  p.notice = {
    ...p.notice!,
    noticeNo: `${p.notice!.noticeNo}-${noticeId.slice(0, 8)}`,
    court: { code: court, name: `${court}法院` },
    debtor: { ...p.notice!.debtor!, idNumber },
    targets: [{ agency: 'bank', institution: 'ICBC' }],
  };
  p.seal = sealer.seal(court, p.notice);
  // A notice changed after sealing: its seal no longer verifies.
  if (tamper) p.notice = { ...p.notice, legalBasis: '(2026)川0104执9999号执行裁定书' };
  return m;
};

const answer = (
  r: PayloadOf<'requestDispatched'>,
  outcome: string,
  resultJson = outcome === 'done' || outcome === 'partial' ? '{"accounts":[]}' : '',
) =>
  events.event('answers', r.noticeId, 'requestAnswered', {
    requestId: r.requestId,
    noticeId: r.noticeId,
    agency: r.agency,
    institution: r.institution,
    outcome,
    reason: outcome === 'done' ? '' : '测试',
    resultJson,
  });

describe('query service fan-out', () => {
  const n = randomUUID();
  const notice = issued(n, 'query');

  it('fans a query notice out to every connected bank and fails the unconnected real-estate target', async () => {
    await publish(notice);
    await waitFor(
      () => of('requestDispatched', n).length >= BANKS.length && of('requestFailed', n).length > 0,
      {
        what: 'fan-out',
      },
    );
    await settled();
    const requests = of('requestDispatched', n, 'requestsBank');
    expect(requests.map((r) => r.institution).sort()).toEqual([...BANKS].sort());
    expect(new Set(requests.map((r) => r.requestId)).size).toBe(BANKS.length);
    for (const r of requests) {
      expect(r).toMatchObject({ noticeId: n, agency: 'bank', measure: 'query' });
      // The sealed notice travels whole; no copies of its fields beside it (readers take them from it).
      expect(r.notice).toMatchObject({ caseNo: '(2026)川0104执1234号' });
      expect(r.notice!.debtor).toMatchObject({ kind: 'person', idNumber: '11010519491231002X' });
      expect([r.caseNo, r.noticeNo, r.legalBasis, r.court, r.debtor, r.params].filter(Boolean)).toEqual([]);
    }
    expect(of('requestDispatched', n)).toHaveLength(BANKS.length); // nothing on any other topic
    expect(of('requestFailed', n, 'answersQuery')).toEqual([
      expect.objectContaining({ agency: 'real-estate', institution: '*', code: 'AGENCY_NOT_CONNECTED' }),
    ]);
    // Every message of the notice is keyed by its id, so its events stay in order.
    expect(seen.filter((s) => s.envelope.noticeId === n).every((s) => s.key === n)).toBe(true);
  });

  it('fans a notice out once however often it is delivered, even twice in one batch', async () => {
    const twice = randomUUID();
    await publish(notice, issued(n, 'query'), issued(twice, 'query'), issued(twice, 'query'));
    await settled();
    for (const id of [n, twice]) {
      expect(of('requestDispatched', id)).toHaveLength(BANKS.length);
      expect(of('requestFailed', id)).toHaveLength(1);
    }
    expect(of('noticeCompleted', n)).toHaveLength(0);
  });

  it('completes at once a notice none of whose targets is connected', async () => {
    const lonely = randomUUID();
    await publish(issued(lonely, 'query', ['real-estate']));
    await waitFor(() => of('noticeCompleted', lonely).length > 0, { what: 'NoticeCompleted' });
    expect(of('noticeCompleted', lonely)).toEqual([
      { noticeId: lonely, requests: 1, done: 0, partial: 0, cannotAssist: 0, refused: 0, failed: 1 },
    ]);
  });

  it('ignores a notice that is not a query', async () => {
    const m = randomUUID();
    await publish(issued(m, 'freeze'));
    await settled();
    expect(seen.filter((s) => s.envelope.noticeId === m).map((s) => s.envelope.type)).toEqual([
      'NoticeIssued',
    ]);
  });

  it('dead-letters a notice of another service’s measure sent to its own topic (forged or misrouted): none is skipped unseen', async () => {
    const m = randomUUID();
    const freeze = issued(m, 'freeze');
    await publish({ ...freeze, topic: topicName('noticesQuery', iso.topicPrefix) });
    await settled();
    const letters = seen.filter(
      (s) => s.envelope.noticeId === m && s.topic === topicName('deadLetters', iso.topicPrefix),
    );
    expect(letters.map((s) => s.code)).toEqual(['MISROUTED']);
    expect(of('requestDispatched', m)).toHaveLength(0);
    const stored = await app.runtime.pool.query('SELECT 1 FROM notices WHERE id = $1', [m]);
    expect(stored.rowCount).toBe(0);
  });

  it('completes the notice with its counts once every request is answered, and only once', async () => {
    const requests = of('requestDispatched', n);
    const outcomes = ['done', 'done', 'done', 'partial', 'cannot-assist', 'refused'];
    const answers = requests.map((r, i) => answer(r, outcomes[i]!));
    await publish(...answers.slice(0, -1), answers[0]!);
    await settled();
    expect(of('noticeCompleted', n)).toHaveLength(0);

    await publish(answers.at(-1)!);
    await waitFor(() => of('noticeCompleted', n).length > 0, { what: 'NoticeCompleted' });
    // A late, conflicting answer and a redelivered one change nothing.
    await publish(answer(requests[0]!, 'refused'), answers.at(-1)!);
    await settled();
    expect(of('noticeCompleted', n, 'noticesQuery')).toEqual([
      { noticeId: n, requests: 7, done: 3, partial: 1, cannotAssist: 1, refused: 1, failed: 1 },
    ]);
  });
});

describe('answer results', () => {
  it('an answer whose result does not parse still counts, adds no facts and stores no result; the batch goes on', async () => {
    const id = randomUUID();
    await publish(issued(id, 'query', ['bank']));
    const requests = await waitFor(
      () => ((d) => d.length === BANKS.length && d)(of('requestDispatched', id)),
      {
        what: 'fan-out to every bank',
      },
    );
    const [good, notJson, wrongShape, ...rest] = requests;
    await publish(
      answer(good!, 'done', JSON.stringify(bankQuery)),
      answer(notJson!, 'done', '{"accounts": ['),
      answer(wrongShape!, 'partial', '{"accounts":"none"}'),
      ...rest.map((r) => answer(r, 'cannot-assist')),
    );
    await waitFor(() => of('noticeCompleted', id).length > 0, { what: 'NoticeCompleted' });
    expect(of('noticeCompleted', id)).toEqual([
      { noticeId: id, requests: BANKS.length, done: 2, partial: 1, cannotAssist: 3, refused: 0, failed: 0 },
    ]);
    const db = app.runtime.pool;
    const facts = await db.query('SELECT request_id, key FROM facts WHERE request_id = ANY($1::uuid[])', [
      requests.map((r) => r.requestId),
    ]);
    expect(facts.rows.map((f) => f.key).sort()).toEqual(bankQuery.accounts.map((a) => a.accountNo).sort());
    const stored = await db.query('SELECT id, status, result FROM requests WHERE id = ANY($1::uuid[])', [
      [good!.requestId, notJson!.requestId, wrongShape!.requestId],
    ]);
    const byId = new Map(stored.rows.map((r) => [r.id, r]));
    expect(byId.get(good!.requestId)).toMatchObject({ status: 'done', result: bankQuery });
    expect(byId.get(notJson!.requestId)).toMatchObject({ status: 'done', result: null });
    expect(byId.get(wrongShape!.requestId)).toMatchObject({ status: 'partial', result: null });
  });
});

describe('answer reuse (查询结果复用)', () => {
  const debtor = '110105194912310029';
  const first = randomUUID();

  it('reuses an answer for the same court and still tells the institution, with a reuse record', async () => {
    await publish(sealedIssued(first, '川0104', debtor));
    const [asked] = await waitFor(() => ((d) => d.length > 0 && d)(of('requestDispatched', first)), {
      what: 'the first inquiry dispatched',
    });
    expect(asked!.reusedFromRequestId).toBeUndefined();
    await publish(answer(asked!, 'done'));
    await waitFor(() => of('noticeCompleted', first).length > 0, { what: 'the first inquiry completed' });

    const again = randomUUID();
    await publish(sealedIssued(again, '川0104', debtor));
    // Three topics, read independently by the test's reader: wait for each event, not for one of them.
    await waitFor(
      () =>
        of('noticeCompleted', again).length > 0 &&
        of('requestDispatched', again, 'requestsBank').length > 0 &&
        of('requestAnswered', again).length > 0,
      { what: 'the repeat completed by reuse, its reuse record and its answer' },
    );
    const [record] = of('requestDispatched', again, 'requestsBank');
    expect(record).toMatchObject({ institution: 'ICBC', reusedFromRequestId: asked!.requestId });
    expect(record!.seal?.signature.length).toBeGreaterThan(0);
    expect(of('requestAnswered', again)).toEqual([
      expect.objectContaining({
        requestId: record!.requestId,
        outcome: 'done',
        resultJson: '{"accounts":[]}',
      }),
    ]);
  });

  it('does not reuse another court’s answer, even under the same case number: the institution is asked', async () => {
    const other = randomUUID();
    await publish(sealedIssued(other, '川0105', debtor));
    await settled();
    const [asked] = of('requestDispatched', other);
    expect(asked).toMatchObject({ institution: 'ICBC' });
    expect(asked!.notice).toMatchObject({ caseNo: '(2026)川0104执1234号' });
    expect(asked!.reusedFromRequestId).toBeUndefined();
    expect(of('requestAnswered', other)).toEqual([]);
    expect(of('noticeCompleted', other)).toEqual([]);
  });

  it('does not complete by reuse a notice whose seal does not verify', async () => {
    const broken = randomUUID();
    await publish(sealedIssued(broken, '川0104', debtor, true));
    await settled();
    const [asked] = of('requestDispatched', broken);
    expect(asked!.reusedFromRequestId).toBeUndefined();
    expect(of('requestAnswered', broken)).toEqual([]);
    expect(of('noticeCompleted', broken)).toEqual([]);
  });
});
