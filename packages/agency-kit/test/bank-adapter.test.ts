import { randomUUID } from 'node:crypto';
import { buildApp, loadConfig } from '@hub/adapter-bank';
import { decodeEnvelope, type EventEnvelope, encodeEnvelope, topicName } from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { deleteTopicsWithPrefix, endpoints, hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const iso = isolate();
const logger = createLogger({ service: 'bank-adapter-test', level: 'warn' });
const BANKS = ['ICBC', 'CCB', 'ABC', 'BOC', 'BOCOM', 'CMB'] as const;
type Bank = (typeof BANKS)[number];
const keyOf = (bank: Bank) => `${bank.toLowerCase()}-demo-key`;
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });

const app = buildApp(loadConfig(hubEnv(iso)), { logger, clock: systemClock });
let kafka: Kafka;
let send: ReturnType<Kafka['producer']>;
let progressReader: ReturnType<Kafka['consumer']>;
/** Everything the adapter published on the progress topic, as a partner's tracker would see it. */
const progress: { key: string; envelope: EventEnvelope }[] = [];

beforeAll(async () => {
  await app.start();
  const quiet = createLogger({ service: 'bank-adapter-test', level: 'error' });
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'bank-adapter-test', logger: quiet });
  send = kafka.producer();
  await send.connect();
  progressReader = kafka.consumer({ groupId: `${iso.namespace}.test-progress`, maxWaitTimeInMs: 100 });
  await progressReader.connect();
  await progressReader.subscribe({ topic: topicName('progress', iso.topicPrefix), fromBeginning: true });
  await progressReader.run({
    eachMessage: async ({ message }) => {
      progress.push({ key: String(message.key), envelope: decodeEnvelope(message.value!) });
    },
  });
});

afterAll(async () => {
  await progressReader?.disconnect();
  await send?.disconnect();
  await app.stop();
  if (kafka) await deleteTopicsWithPrefix(kafka, iso.topicPrefix);
  await iso.cleanup();
});

interface Sent {
  id: string;
  noticeId: string;
  bank: Bank;
}

/** Publish one RequestDispatched per bank given (as the query service would) and wait for the inbox. */
async function dispatch(banks: readonly Bank[]): Promise<Sent[]> {
  const sent = banks.map((bank) => ({ id: randomUUID(), noticeId: randomUUID(), bank }));
  const messages = sent.map((s) =>
    events.event('requestsBank', s.noticeId, 'requestDispatched', {
      requestId: s.id,
      noticeId: s.noticeId,
      agency: 'bank',
      institution: s.bank,
      measure: 'query',
      caseNo: '(2026)川0104执1234号',
      noticeNo: `(2026)川0104执1234号-${s.id.slice(0, 8)}`,
      court: { code: '川0104', name: '成都市锦江区人民法院' },
      debtor: { kind: 'person', name: '李某', idNumber: '11010519491231002X', creditCode: '' },
      params: { accountNo: '', unitNo: '', plate: '' },
      legalBasis: '(2026)川0104执1234号执行裁定书',
    }),
  );
  await send.send({
    topic: topicName('requestsBank', iso.topicPrefix),
    messages: messages.map((m) => ({ key: m.key, value: encodeEnvelope(m.envelope) })),
  });
  const ids = sent.map((s) => s.id);
  await waitFor(
    async () => {
      const { rows } = await app.runtime.pool.query('SELECT id FROM requests WHERE id = ANY($1::uuid[])', [ids]);
      return rows.length === ids.length;
    },
    { what: `${ids.length} requests in the inbox` },
  );
  return sent;
}

const inbox = (bank: Bank, worker = 'w1', leaseSeconds = 3600) =>
  app.http.inject({
    url: `/v1/agency/inbox?limit=500&leaseSeconds=${leaseSeconds}`,
    headers: { 'x-agency-key': keyOf(bank), 'x-agency-worker': worker },
  });
const leasedIds = async (bank: Bank, worker?: string, leaseSeconds?: number): Promise<string[]> =>
  (await inbox(bank, worker, leaseSeconds)).json().requests.map((r: { id: string }) => r.id);
const post = (url: string, key: string | undefined, payload?: object) =>
  app.http.inject({ method: 'POST', url, headers: key ? { 'x-agency-key': key } : {}, payload: payload ?? {} });
const answer = (bank: Bank, id: string, body: object) => post(`/v1/agency/requests/${id}/answer`, keyOf(bank), body);
const statusOf = async (id: string) =>
  (await app.runtime.pool.query('SELECT status FROM requests WHERE id = $1', [id])).rows[0]?.status;
const progressOf = (id: string, type?: string) =>
  progress.filter(
    (p) => (p.envelope.payload?.value as { requestId?: string }).requestId === id && (!type || p.envelope.type === type),
  );

const account = (balanceFen: unknown) => ({
  accountNo: '6222020200112233445',
  accountType: 'demand',
  currency: 'CNY',
  balanceFen,
});
const done = (balanceFen: unknown = 12_345) => ({ outcome: 'done', result: { accounts: [account(balanceFen)] } });

describe('bank adapter inbox', () => {
  it('two workers of one bank pulling at once never get the same request; an expired lease returns it', async () => {
    const mine = new Set((await dispatch(Array(40).fill('ABC'))).map((s) => s.id));
    const pulls = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app.http.inject({
          url: '/v1/agency/inbox?limit=5&leaseSeconds=5',
          headers: { 'x-agency-key': keyOf('ABC'), 'x-agency-worker': `w${i % 2}` },
        }),
      ),
    );
    const got = pulls.flatMap((r) => r.json().requests.map((q: { id: string }) => q.id));
    got.push(...(await leasedIds('ABC', 'w0', 5)));
    expect(got.length).toBe(new Set(got).size);
    expect(new Set(got)).toEqual(mine);
    // While leased, nobody else gets them; once the 5 s lease lapses they come back, still 'delivered'.
    expect(await leasedIds('ABC', 'w1', 5)).toEqual([]);
    const back = await waitFor(
      async () => {
        const r = (await inbox('ABC', 'w1', 60)).json().requests as { id: string; status: string }[];
        return r.length > 0 && r;
      },
      { what: 'an expired lease to return its requests', timeoutMs: 12_000, intervalMs: 250 },
    );
    expect(back.every((r) => mine.has(r.id) && r.status === 'delivered')).toBe(true);
  });

  it('a bank sees and touches only its own requests, whichever bank pulls first', async () => {
    const all = new Set<string>();
    const sent: Sent[] = [];
    for (const order of [BANKS, [...BANKS].reverse()]) {
      const round = await dispatch(BANKS);
      for (const s of round) all.add(s.id);
      sent.push(...round);
      for (const bank of order) {
        const seen = (await leasedIds(bank)).filter((id) => all.has(id));
        expect(seen).toEqual([round.find((s) => s.bank === bank)!.id]);
      }
    }
    for (const a of sent) {
      for (const b of BANKS.filter((x) => x !== a.bank)) {
        for (const res of [
          await post(`/v1/agency/requests/${a.id}/ack`, keyOf(b)),
          await answer(b, a.id, done()),
        ]) {
          expect(res.statusCode).toBe(404);
          expect(res.json().error.code).toBe('REQUEST_NOT_FOUND');
        }
      }
      expect(await statusOf(a.id)).toBe('delivered');
    }
  });

  it('refuses callers without a valid agency key', async () => {
    const [s] = await dispatch(['CCB']);
    for (const key of [undefined, '', 'not-a-key', 'ICBC']) {
      const headers = key === undefined ? {} : { 'x-agency-key': key };
      for (const res of [
        await app.http.inject({ url: '/v1/agency/inbox', headers }),
        await post(`/v1/agency/requests/${s!.id}/ack`, key),
        await post(`/v1/agency/requests/${s!.id}/answer`, key, done()),
      ]) {
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHENTICATED');
      }
    }
    expect(await statusOf(s!.id)).toBe('pending');
  });
});

describe('bank adapter answers', () => {
  it('rejects a bad answer with field paths and stores nothing', async () => {
    const [s] = await dispatch(['BOC']);
    const cases: [object, string][] = [
      [done(-1), 'result.accounts.0.balanceFen'],
      [done(12.5), 'result.accounts.0.balanceFen'],
      [done('100'), 'result.accounts.0.balanceFen'],
      [{ outcome: 'refused' }, 'reason'],
      [{ outcome: 'refused', reason: '   ' }, 'reason'],
      [{ outcome: 'maybe', result: {} }, 'outcome'],
    ];
    for (const [body, path] of cases) {
      const res = await answer('BOC', s!.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await statusOf(s!.id)).toBe('pending');
    // The request is still open: a good answer is taken, and it is the only answer ever published.
    expect((await answer('BOC', s!.id, done())).statusCode).toBe(200);
    await waitFor(() => progressOf(s!.id, 'RequestAnswered').length > 0, { what: 'RequestAnswered' });
    const answered = progressOf(s!.id, 'RequestAnswered');
    expect(answered).toHaveLength(1);
    expect(answered[0]!.envelope.payload).toMatchObject({ value: { outcome: 'done' } });
  });

  it('accepts an identical repeat answer and rejects a different one as an illegal transition', async () => {
    const [s] = await dispatch(['BOCOM']);
    const first = await answer('BOCOM', s!.id, done(500));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ requestId: s!.id, ok: true, status: 'done' });
    expect((await answer('BOCOM', s!.id, done(500))).statusCode).toBe(200);
    for (const other of [{ outcome: 'refused', reason: '账户不存在' }, done(999)]) {
      const res = await answer('BOCOM', s!.id, other);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('ILLEGAL_TRANSITION');
    }
    await waitFor(() => progressOf(s!.id, 'RequestAnswered').length > 0, { what: 'RequestAnswered' });
    const [answered, ...more] = progressOf(s!.id, 'RequestAnswered');
    expect(more).toEqual([]);
    const value = answered!.envelope.payload!.value as { resultJson: string };
    expect(JSON.parse(value.resultJson).accounts[0].balanceFen).toBe(500);
  });

  it('answers a batch item by item: one bad item does not sink the others', async () => {
    const [good, bad, refused, twice] = await dispatch(['CMB', 'CMB', 'CMB', 'CMB']);
    const stranger = (await dispatch(['ICBC']))[0]!.id;
    const res = await post('/v1/agency/answers', keyOf('CMB'), {
      answers: [
        { requestId: good!.id, ...done() },
        { requestId: bad!.id, ...done(-5) },
        { requestId: stranger, ...done() },
        { requestId: refused!.id, outcome: 'refused', reason: '无此客户' },
        { requestId: twice!.id, ...done() },
        { requestId: twice!.id, outcome: 'cannot-assist', reason: '系统维护' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const results = res.json().results;
    expect(results[0]).toMatchObject({ requestId: good!.id, ok: true, status: 'done' });
    expect(results[1]).toMatchObject({ requestId: bad!.id, ok: false, code: 'VALIDATION_FAILED' });
    expect(results[1].details.map((d: { path: string }) => d.path)).toContain('answers.1.result.accounts.0.balanceFen');
    expect(results[2]).toMatchObject({ requestId: stranger, ok: false, code: 'REQUEST_NOT_FOUND' });
    expect(results[3]).toMatchObject({ requestId: refused!.id, ok: true, status: 'refused' });
    // The same request twice in one batch: the first answer is the one taken, the changed one is refused.
    expect(results[4]).toMatchObject({ requestId: twice!.id, ok: true, status: 'done' });
    expect(results[5]).toMatchObject({ requestId: twice!.id, ok: false, code: 'ILLEGAL_TRANSITION' });
    const after = await Promise.all([good, bad, refused, twice].map((s) => statusOf(s!.id)));
    expect(after).toEqual(['done', 'pending', 'refused', 'done']);
    expect(await statusOf(stranger)).toBe('pending');
  });

  it('publishes delivered on first lease, then acknowledged and answered, keyed by notice', async () => {
    const [s] = await dispatch(['ICBC']);
    expect(await leasedIds('ICBC', 'w1', 5)).toContain(s!.id);
    await waitFor(() => progressOf(s!.id, 'RequestDelivered').length > 0, { what: 'RequestDelivered' });
    expect((await post(`/v1/agency/requests/${s!.id}/ack`, keyOf('ICBC'))).json()).toMatchObject({
      ok: true,
      status: 'acknowledged',
    });
    expect((await answer('ICBC', s!.id, done(42))).statusCode).toBe(200);
    await waitFor(() => progressOf(s!.id, 'RequestAnswered').length > 0, { what: 'RequestAnswered' });
    const seen = progressOf(s!.id);
    expect(seen.map((p) => p.envelope.type)).toEqual(['RequestDelivered', 'RequestAcknowledged', 'RequestAnswered']);
    expect(seen.every((p) => p.key === s!.noticeId && p.envelope.noticeId === s!.noticeId)).toBe(true);
    expect(seen[2]!.envelope.payload!.value).toMatchObject({ agency: 'bank', institution: 'ICBC', outcome: 'done' });
  });
});
