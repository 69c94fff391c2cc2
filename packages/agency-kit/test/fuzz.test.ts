import { randomUUID } from 'node:crypto';
import {
  encodeEnvelope,
  NoticeParams,
  type NoticeSubmission,
  requestTopicKey,
  topicName,
} from '@hub/contracts';
import { bankQuery } from '@hub/contracts/answers/test-support';
import { systemClock } from '@hub/domain';
import { createKafka, eventFactory } from '@hub/messaging';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import {
  endpoints,
  FuzzTally,
  hubEnv,
  isolate,
  nastyText,
  nearValid,
  percentEncode,
  waitFor,
  wireBody,
} from '@hub/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdapterApp, loadAdapterConfig, signAgencyRequest } from '../src/index.js';

/**
 * Issue 9: the agency API never answers 5xx to anything a partner sends, and stores nothing it refuses.
 * Every call is properly signed, so each input reaches validation. Inputs are mostly near-valid: a valid
 * call with one to three mutations (a NUL or lone surrogate planted in a string or a field name, huge
 * numbers, over-long text, deep nesting, fields dropped or added).
 */
const PER_ENDPOINT = Number(process.env.FUZZ_INPUTS ?? 5_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const iso = isolate();
const INSTITUTION = 'ICBC';
const SECRET = 'icbc-demo-secret';
const logger = createLogger({ service: 'agency-fuzz', level: 'fatal' });
const app = buildAdapterApp('bank', loadAdapterConfig('bank', hubEnv(iso)), { logger, clock: systemClock });
const pool = () => app.runtime.pool;
const tally = new FuzzTally();
let ids: string[] = [];

const ACCOUNT = '6222020200112233445';

/** Query (or freeze) requests for ICBC, dispatched over Kafka as a measure service would, stored in the inbox. */
async function dispatch(n: number, measure: 'query' | 'freeze' = 'query'): Promise<string[]> {
  const kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'agency-fuzz', logger });
  const producer = kafka.producer();
  await producer.connect();
  const court = { code: '川0104', name: '成都市锦江区人民法院' };
  const base = {
    caseNo: '(2026)川0104执1234号',
    noticeNo: '(2026)川0104执1234号-协01',
    legalBasis: '(2026)川0104执1234号执行裁定书',
  };
  const notice: NoticeSubmission = {
    ...base,
    measure,
    court,
    params:
      measure === 'freeze'
        ? NoticeParams.fromPartial({ amountFen: 50_000, termDays: 365, accountNo: ACCOUNT })
        : undefined,
    targets: [{ agency: 'bank', institution: '' }],
    issuedAt: '2026-11-23T09:00:00+08:00',
    confirmWarnings: [],
  };
  const seal = new Sealer('demo').seal(court.code, notice);
  const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });
  const sent = Array.from({ length: n }, () => ({ id: randomUUID(), noticeId: randomUUID() }));
  const topic = requestTopicKey('bank');
  const messages = sent.map((s) =>
    events.event(topic, s.noticeId, 'requestDispatched', {
      ...base,
      measure,
      court,
      requestId: s.id,
      noticeId: s.noticeId,
      agency: 'bank',
      institution: INSTITUTION,
      notice,
      seal,
    }),
  );
  await producer.send({
    topic: topicName(topic, iso.topicPrefix),
    messages: messages.map((m) => ({ key: m.key, value: encodeEnvelope(m.envelope) })),
  });
  await producer.disconnect();
  const all = sent.map((s) => s.id);
  await waitFor(
    async () =>
      (await pool().query('SELECT count(*)::int AS n FROM requests WHERE id = ANY($1::uuid[])', [all]))
        .rows[0].n === n,
    { what: `${n} requests in the inbox`, timeoutMs: 30_000 },
  );
  return all;
}

beforeAll(async () => {
  await app.start();
  ids = await dispatch(800);
}, 60_000);

afterAll(async () => {
  console.log(`agency API fuzz (seed ${SEED}, FUZZ_SEED to repeat):\n${tally.table()}`);
  await app.stop();
  await iso.cleanup();
});

type Call = { method: 'GET' | 'POST'; url: string; body?: string; worker?: string };

/** Sends one signed call and records it; returns status, body and the call. */
async function send(endpoint: string, call: Call) {
  const headers: Record<string, string> = {
    ...signAgencyRequest({
      institution: INSTITUTION,
      secret: SECRET,
      method: call.method,
      path: call.url,
      body: call.body ?? '',
    }),
  };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (call.worker !== undefined) headers['x-agency-worker'] = call.worker;
  const started = performance.now();
  const res = await app.http.inject({ method: call.method, url: call.url, headers, payload: call.body });
  let json: { error?: { code?: string }; results?: unknown[]; requests?: unknown[] } = {};
  try {
    json = res.json();
  } catch {
    // a non-JSON reply is recorded by its status alone
  }
  tally.record(endpoint, res.statusCode, json.error?.code, performance.now() - started, call);
  return { status: res.statusCode, json };
}

/** Runs `calls` a few at a time, as many partners' workers would. */
async function run<T>(calls: T[], each: (c: T, i: number) => Promise<void>, concurrency = 32) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls.length) {
        const i = next++;
        await each(calls[i]!, i);
      }
    }),
  );
}

const sample = <T>(arb: fc.Arbitrary<T>, salt: number) =>
  fc.sample(arb, { numRuns: PER_ENDPOINT, seed: SEED + salt });
const anId = () => ids[Math.floor(Math.random() * ids.length)]!;
/** A request id, usually a real one, sometimes mangled. */
const idArb = fc.oneof(
  { arbitrary: fc.constant(null).map(anId), weight: 4 },
  {
    arbitrary: nearValid(anId).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
    weight: 2,
  },
  { arbitrary: nastyText, weight: 1 },
);
const answerDoc = fc.constantFrom<object>(
  { outcome: 'done', result: bankQuery },
  { outcome: 'partial', result: bankQuery, reason: '部分账户查询中' },
  { outcome: 'cannot-assist', reason: '查无此人' },
  { outcome: 'refused', reason: '文书不全' },
);

describe('agency API fuzz (signed calls, mostly near-valid)', () => {
  it(`answers ${PER_ENDPOINT} inputs per endpoint without a 5xx and stores nothing it refuses`, async () => {
    // inbox: a unique worker per input, so a lease can be traced to the call that took it.
    const refusedWorkers: string[] = [];
    // Requests some call was answered ok for as acknowledged: by a lease that acknowledges, or by ack and acks.
    const acked = new Set<string>();
    const queries = sample(
      nearValid(() => ({ limit: 3, leaseSeconds: 30, acknowledge: 'true' })),
      1,
    );
    await run(queries, async (q, i) => {
      const worker = `fz${i}`;
      const qs =
        typeof q === 'object' && q !== null
          ? Object.entries(q)
              .map(
                ([k, v]) =>
                  `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`,
              )
              .join('&')
          : percentEncode(String(q));
      const { status, json } = await send('GET /v1/agency/inbox', {
        method: 'GET',
        url: qs ? `/v1/agency/inbox?${qs}` : '/v1/agency/inbox',
        worker,
      });
      if (status >= 400) refusedWorkers.push(worker);
      else
        for (const r of (json.requests ?? []) as { id: string; status: string }[])
          if (r.status === 'acknowledged') acked.add(r.id);
    });
    const leasedByRefused = await pool().query(
      'SELECT count(*)::int AS n FROM requests WHERE lease_owner = ANY($1::text[])',
      [refusedWorkers],
    );
    expect(leasedByRefused.rows[0].n).toBe(0);

    // ack and acks: a request is acknowledged only if some call was answered ok for it.
    const ackIds = ids.slice(0, 400);
    const ackCalls = sample(idArb, 2);
    await run(ackCalls, async (id) => {
      const { status, json } = await send('POST /v1/agency/requests/:id/ack', {
        method: 'POST',
        url: `/v1/agency/requests/${percentEncode(id)}/ack`,
      });
      if (status < 300) acked.add((json as { requestId: string }).requestId);
    });
    const ackBodies = sample(wireBody(nearValid(() => ({ requestIds: [ackIds[0], anId(), anId()] }))), 3);
    await run(ackBodies, async (body) => {
      const { json } = await send('POST /v1/agency/acks', { method: 'POST', url: '/v1/agency/acks', body });
      for (const r of (json.results ?? []) as { requestId: string; ok: boolean }[])
        if (r.ok) acked.add(r.requestId);
    });
    const { rows: acknowledged } = await pool().query<{ id: string }>(
      `SELECT id FROM requests WHERE acknowledged_at IS NOT NULL`,
    );
    expect(acknowledged.map((r) => r.id).filter((id) => !acked.has(id))).toEqual([]);

    // answer and answers: a request holds an answer only if a call was answered ok for it, with that outcome.
    const answered = new Map<string, Set<string>>();
    const took = (requestId: string, outcome: string) => {
      if (!answered.has(requestId)) answered.set(requestId, new Set());
      answered.get(requestId)!.add(outcome);
    };
    const single = sample(fc.tuple(idArb, wireBody(answerDoc.chain((d) => nearValid(() => d)))), 4);
    await run(single, async ([id, body]) => {
      const { status, json } = await send('POST /v1/agency/requests/:id/answer', {
        method: 'POST',
        url: `/v1/agency/requests/${percentEncode(id)}/answer`,
        body,
      });
      if (status < 300) took(id, (json as unknown as { status: string }).status);
    });
    const batches = sample(
      wireBody(
        fc
          .array(answerDoc, { minLength: 1, maxLength: 4 })
          .chain((docs) => nearValid(() => ({ answers: docs.map((d) => ({ requestId: anId(), ...d })) }))),
      ),
      5,
    );
    await run(batches, async (body) => {
      const { json } = await send('POST /v1/agency/answers', {
        method: 'POST',
        url: '/v1/agency/answers',
        body,
      });
      for (const r of (json.results ?? []) as { requestId: string; ok: boolean; status: string }[])
        if (r.ok) took(r.requestId, r.status);
    });
    const { rows: stored } = await pool().query<{ id: string; outcome: string }>(
      'SELECT id, outcome FROM requests WHERE outcome IS NOT NULL',
    );
    const unexplained = stored.filter((r) => !answered.get(r.id)?.has(r.outcome));
    expect(unexplained).toEqual([]);

    for (const endpoint of [
      'GET /v1/agency/inbox',
      'POST /v1/agency/requests/:id/ack',
      'POST /v1/agency/acks',
      'POST /v1/agency/requests/:id/answer',
      'POST /v1/agency/answers',
    ]) {
      expect(tally.count(endpoint).inputs).toBeGreaterThanOrEqual(PER_ENDPOINT);
      expect(tally.count(endpoint).ok).toBeGreaterThan(0);
    }
    expect(tally.fail5xx).toBe(0);
  }, 900_000); // 25,000 signed calls: about a minute alone, several on a busy 2-core machine
});

describe('hold-change report fuzz (signed calls, mostly near-valid)', () => {
  it(`answers ${PER_ENDPOINT} reports per endpoint without a 5xx and stores only the reports it accepted`, async () => {
    // Queued freezes (轮候冻结) answered by ICBC: the holds it may report on; the query requests are not holds.
    const holds = await dispatch(40, 'freeze');
    const queued = {
      accountNo: ACCOUNT,
      requestedFen: 50_000,
      frozenFen: 0,
      receipt: { effective: false, queuePosition: 3, registrationNo: 'ICBC-20261123-000001' },
    };
    await app.inbox.answer(
      INSTITUTION,
      holds.map((requestId) => ({ requestId, answer: { outcome: 'done', result: queued } })),
    );
    const aHold = () => (Math.random() < 0.8 ? holds : ids)[Math.floor(Math.random() * 40)]!;
    const at = new Date().toISOString(); // after the holds were asked for, not ahead of now
    const reportDoc = fc.constantFrom<(id: string) => object>(
      (requestId) => ({
        requestId,
        change: 'promoted',
        occurredAt: at,
        queuePosition: 0,
        term: { from: '2026-12-01', until: '2027-11-30' },
        registrationNo: 'ICBC-20261201-000002',
        frozenFen: 50_000,
      }),
      (requestId) => ({ requestId, change: 'released-by-other-court', occurredAt: at, queuePosition: 2 }),
      (requestId) => ({ requestId, change: 'lapsed', occurredAt: at, lastDay: '2027-11-30' }),
      (requestId) => ({ requestId, change: 'deducted', occurredAt: at, amountFen: 100, transferRef: 'TR-1' }),
      (requestId) => ({ requestId, change: 'disposed', occurredAt: at, reason: '前序查封财产已处分' }),
    );
    const fresh = (make: (id: string) => object) => () => ({
      reportId: `F-${randomUUID()}`,
      ...make(aHold()),
    });
    const accepted = new Set<string>();
    const single = sample(wireBody(reportDoc.chain((make) => nearValid(fresh(make)))), 6);
    await run(single, async (body) => {
      const { status, json } = await send('POST /v1/agency/hold-changes', {
        method: 'POST',
        url: '/v1/agency/hold-changes',
        body,
      });
      if (status < 300) accepted.add((json as unknown as { reportId: string }).reportId);
    });
    const batches = sample(
      wireBody(
        fc
          .array(reportDoc, { minLength: 1, maxLength: 4 })
          .chain((makes) => nearValid(() => ({ reports: makes.map((make) => fresh(make)()) }))),
      ),
      7,
    );
    await run(batches, async (body) => {
      const { json } = await send('POST /v1/agency/hold-changes/batch', {
        method: 'POST',
        url: '/v1/agency/hold-changes/batch',
        body,
      });
      for (const r of (json.results ?? []) as { reportId: string; ok: boolean }[])
        if (r.ok) accepted.add(r.reportId);
    });
    const { rows } = await pool().query<{ report_id: string }>('SELECT report_id FROM hold_reports');
    expect(rows.map((r) => r.report_id).filter((id) => !accepted.has(id))).toEqual([]);
    for (const endpoint of ['POST /v1/agency/hold-changes', 'POST /v1/agency/hold-changes/batch']) {
      expect(tally.count(endpoint).inputs).toBeGreaterThanOrEqual(PER_ENDPOINT);
      expect(tally.count(endpoint).ok).toBeGreaterThan(0);
    }
    expect(tally.fail5xx).toBe(0);
  }, 900_000);
});

describe('answers that cannot be stored fail alone', () => {
  const answerOf = (reason: string) => ({ outcome: 'cannot-assist' as const, reason });
  const statusOf = async (id: string) =>
    (await pool().query<{ status: string }>('SELECT status FROM requests WHERE id = $1', [id])).rows[0]
      ?.status;

  it('refuses text no hop can carry at the edge, in results, reasons and field names, item by item', async () => {
    const [a, b, c, d] = (await dispatch(4)) as [string, string, string, string];
    const body = JSON.stringify({
      answers: [
        { requestId: a, outcome: 'done', result: bankQuery },
        { requestId: b, outcome: 'cannot-assist', reason: '查无\u0000此人' },
        {
          requestId: c,
          outcome: 'done',
          result: { accounts: [{ ...bankQuery.accounts[1], ['x\uD800']: 1 }] },
        },
        { requestId: d, ...answerOf('查无此人') },
      ],
    });
    const { status, json } = await send('(isolation checks, not fuzz)', {
      method: 'POST',
      url: '/v1/agency/answers',
      body,
    });
    expect(status).toBe(200);
    const results = json.results as {
      ok: boolean;
      code?: string;
      details?: { path: string; code: string }[];
    }[];
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[1]!.details).toContainEqual(
      expect.objectContaining({ path: 'answers.1.reason', code: 'NUL_CHARACTER' }),
    );
    expect(results[2]!.details).toContainEqual(
      expect.objectContaining({ path: 'answers.2.result.accounts.0.x\\ud800', code: 'LONE_SURROGATE' }),
    );
    expect(await Promise.all([a, b, c, d].map(statusOf))).toEqual([
      'done',
      'pending',
      'pending',
      'cannot-assist',
    ]);
    // The same answer again is the same answer: accepted, not a 409 (nothing was altered on the way in).
    const again = JSON.stringify(answerOf('查无此人'));
    const retry = await send('(isolation checks, not fuzz)', {
      method: 'POST',
      url: `/v1/agency/requests/${d}/answer`,
      body: again,
    });
    expect(retry.status).toBe(200);
    const surrogate = await send('(isolation checks, not fuzz)', {
      method: 'POST',
      url: `/v1/agency/requests/${b}/answer`,
      body: JSON.stringify(answerOf('查无此人\uDC00')),
    });
    expect(surrogate.status).toBe(400);
  });

  it('stores the others when the database refuses one answer of a batch (past validation)', async () => {
    const ids4 = await dispatch(5);
    const results = await app.inbox.answer(
      INSTITUTION,
      ids4.map((requestId, i) => ({ requestId, answer: answerOf(i === 2 ? '无\u0000' : `查无此人${i}`) })),
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'ok', 'VALIDATION_FAILED', 'ok', 'ok']);
    expect(await Promise.all(ids4.map(statusOf))).toEqual([
      'cannot-assist',
      'cannot-assist',
      'pending',
      'cannot-assist',
      'cannot-assist',
    ]);
  });
});
