import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import {
  CourtServiceClient,
  decodeEnvelope,
  NOTICE_TOPIC_KEYS,
  noticeToProto,
  payloadAs,
  topicName,
} from '@hub/contracts';
import { type NoticeSubmission, systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { auth, notice } from './fixtures.js';

const iso = isolate();
const config = loadConfig(
  hubEnv(iso, {
    GATEWAY_COURT_KEYS: 'demo-court-key=川0104,other-key=京01',
    TRACKER_GRPC_URL: '127.0.0.1:1',
  }),
);
const app = buildApp(config, {
  logger: createLogger({ service: 'gateway-test', level: 'warn' }),
  clock: systemClock,
});

const counts = async () => {
  const n = await app.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notices');
  const o = await app.runtime.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM processed_events`);
  return { notices: n.rows[0]!.n, processed: o.rows[0]!.n };
};
const submit = (body: unknown, headers: Record<string, string> = auth) =>
  app.http.inject({ method: 'POST', url: '/v1/notices', headers, payload: body as object });

beforeAll(async () => {
  await app.start();
});

afterAll(async () => {
  await app.stop();
  await iso.cleanup();
});

describe('POST /v1/notices', () => {
  it('accepts a valid notice with 202 and publishes NoticeIssued through the outbox', async () => {
    const body = notice();
    const res = await submit(body);
    expect(res.statusCode).toBe(202);
    const { id, duplicate } = res.json();
    expect(duplicate).toBe(false);
    const consumer = app.runtime.kafka.consumer({ groupId: `${iso.namespace}-reader` });
    const seen: string[] = [];
    const on = new Map<string, string>();
    await consumer.connect();
    // Every notice topic: the notice must land on its measure service's (an inquiry: query's), and only there.
    await consumer.subscribe({
      topics: NOTICE_TOPIC_KEYS.map((k) => topicName(k, iso.topicPrefix)),
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const issued = payloadAs(decodeEnvelope(message.value!), 'noticeIssued');
        if (issued) {
          seen.push(issued.noticeId);
          on.set(issued.noticeId, topic);
        }
        expect(message.key?.toString()).toBe(issued?.noticeId);
      },
    });
    try {
      await waitFor(() => seen.includes(id), { what: 'NoticeIssued on Kafka' });
      expect(body.measure).toBe('query');
      expect(on.get(id)).toBe(topicName('noticesQuery', iso.topicPrefix));
      expect(seen.filter((s) => s === id)).toHaveLength(1);
    } finally {
      await consumer.disconnect();
    }
  });

  it.each([
    [
      'a resident ID with a wrong check digit',
      notice({ debtor: { kind: 'person', name: '李某', idNumber: '110105194912310021' } }),
      'debtor.idNumber',
      'INVALID_RESIDENT_ID',
    ],
    ['a missing case number', notice({ caseNo: undefined }), 'caseNo', 'REQUIRED'],
    ['a malformed case number', notice({ caseNo: '2026川0104执1234' }), 'caseNo', 'INVALID_CASE_NO'],
    ['an unknown measure', notice({ measure: 'confiscate' }), 'measure', 'INVALID_VALUE'],
    [
      'an unknown agency',
      notice({ targets: [{ agency: 'tax-bureau' }] }),
      'targets.0.agency',
      'INVALID_VALUE',
    ],
    [
      'a freeze without an amount',
      notice({ measure: 'freeze', params: {} }),
      'params.amountFen',
      'AMOUNT_REQUIRED',
    ],
    [
      'money as a float',
      notice({ measure: 'freeze', params: { amountFen: 12.5 } }),
      'params.amountFen',
      'NOT_INTEGER',
    ],
    ['an unknown field', notice({ priority: 'high' }), 'priority', 'UNKNOWN_FIELD'],
    [
      "another court's case number",
      notice({ caseNo: '(2026)川0105执7777号' }),
      'caseNo',
      'CASE_NOT_OF_COURT',
    ],
    [
      'an issue time ahead of the gateway clock',
      notice({ issuedAt: '2999-01-01T00:00:00+08:00' }),
      'issuedAt',
      'ISSUED_AT_OUT_OF_RANGE',
    ],
    [
      'a bank freeze without an account number',
      notice({ measure: 'freeze', params: { amountFen: 100, termDays: 30 } }),
      'params.accountNo',
      'ACCOUNT_REQUIRED',
    ],
  ])(
    'rejects %s with 400, a stable code and its field path, storing nothing',
    async (_what, body, path, code) => {
      const before = await counts();
      const res = await submit(body);
      expect(res.statusCode).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]));
      expect(await counts()).toEqual(before);
    },
  );

  it("accepts another court's case number with a jurisdiction decision, stored and sealed with it", async () => {
    const jurisdiction = { kind: 'designated', decisionNo: '(2026)川01执他12号决定书' };
    const res = await submit(notice({ caseNo: '(2026)川0105执7777号', jurisdiction }));
    expect(res.statusCode).toBe(202);
    const { rows } = await app.runtime.pool.query<{ body: unknown }>(
      'SELECT body FROM notices WHERE id = $1',
      [res.json().id],
    );
    expect(rows[0]?.body).toMatchObject({ caseNo: '(2026)川0105执7777号', jurisdiction });
  });

  it('stores a resident ID in its normalised 18-character form (x → X, 15 → 18 digits)', async () => {
    const res = await submit(
      notice({ debtor: { kind: 'person', name: '李某', idNumber: '110105491231002' } }),
    );
    expect(res.statusCode).toBe(202);
    const { rows } = await app.runtime.pool.query<{ body: { debtor: { idNumber: string } } }>(
      'SELECT body FROM notices WHERE id = $1',
      [res.json().id],
    );
    expect(rows[0]?.body.debtor.idNumber).toBe('11010519491231002X');
  });

  it('rejects malformed JSON and a non-object body with 400, never 500', async () => {
    const bad = await app.http.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"noticeNo": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const arr = await submit([1, 2, 3]);
    expect(arr.statusCode).toBe(400);
  });

  it('requires court credentials (401) and lets a key act only for its own court (403)', async () => {
    expect((await submit(notice(), {})).statusCode).toBe(401);
    expect((await submit(notice(), { authorization: 'Bearer nope' })).json().error.code).toBe(
      'UNAUTHENTICATED',
    );
    const other = await submit(notice(), { authorization: 'Bearer other-key' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
  });

  it('returns the same id when the same (court, notice number) is submitted again, and 409 when its content differs', async () => {
    const body = notice();
    const first = (await submit(body)).json();
    const again = await submit(body);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id: first.id, duplicate: true });
    const changed = await submit({ ...body, legalBasis: '(2026)川0104执9999号执行裁定书' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('NOTICE_CONFLICT');
    const { rows } = await app.runtime.pool.query('SELECT 1 FROM notices WHERE notice_no = $1', [
      body.noticeNo,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('refuses a notice naming an institution that is not connected (422, nothing stored); a batch fails that item alone', async () => {
    const body = notice({
      targets: [
        { agency: 'bank', institution: 'ICBC' },
        { agency: 'bank', institution: 'NOPE' },
      ],
    });
    const res = await submit(body);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'INSTITUTION_NOT_CONNECTED',
      details: [{ path: 'targets.1.institution', code: 'INSTITUTION_NOT_CONNECTED', institution: 'NOPE' }],
    });
    // A real-estate registry is no bank: the directory is per agency kind.
    const wrongKind = await submit(notice({ targets: [{ agency: 'bank', institution: 'REC-510100' }] }));
    expect(wrongKind.json().error.code).toBe('INSTITUTION_NOT_CONNECTED');
    const good = notice();
    const batch = await app.http.inject({
      method: 'POST',
      url: '/v1/notices/batch',
      headers: auth,
      payload: { notices: [good, body] },
    });
    expect(
      batch.json().results.map((r: { ok: boolean; error?: { code: string } }) => [r.ok, r.error?.code]),
    ).toEqual([
      [true, undefined],
      [false, 'INSTITUTION_NOT_CONNECTED'],
    ]);
    const { rows } = await app.runtime.pool.query('SELECT notice_no FROM notices WHERE notice_no = ANY($1)', [
      [body.noticeNo, good.noticeNo],
    ]);
    expect(rows.map((r) => r.notice_no)).toEqual([good.noticeNo]);
  });

  it('takes a retry that writes the same issuedAt another way as the same notice; another instant is a conflict', async () => {
    const body = { ...notice(), issuedAt: '2026-11-23T09:00:00+08:00' };
    const first = (await submit(body)).json();
    for (const issuedAt of [
      '2026-11-23T01:00:00Z',
      '2026-11-23T01:00:00.000Z',
      '2026-11-23T09:00:00.000+08:00',
    ]) {
      const again = await submit({ ...body, issuedAt });
      expect(again.statusCode, issuedAt).toBe(202);
      expect(again.json()).toMatchObject({ id: first.id, duplicate: true });
    }
    const later = await submit({ ...body, issuedAt: '2026-11-23T09:00:01+08:00' });
    expect(later.json().error.code).toBe('NOTICE_CONFLICT');
  });

  it('stores each of many concurrent submissions once, duplicates included', async () => {
    const bodies = Array.from({ length: 150 }, () => notice());
    const all = [...bodies, ...bodies.slice(0, 50)];
    const results = await Promise.all(all.map((b) => submit(b)));
    expect(results.every((r) => r.statusCode === 202)).toBe(true);
    const ids = results.map((r) => r.json().id as string);
    expect(new Set(ids).size).toBe(150);
    for (let i = 0; i < 50; i++) expect(ids[150 + i]).toBe(ids[i]);
  });

  it('asks the officer to confirm a credit code that fails its check character (422), then accepts it', async () => {
    const debtor = { kind: 'organisation', name: '某公司', creditCode: '91350100M000100Y44' };
    const res = await submit(notice({ debtor }));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('CONFIRMATION_REQUIRED');
    const confirmed = await submit(notice({ debtor, confirmWarnings: ['CREDIT_CODE_CHECK_FAILED'] }));
    expect(confirmed.statusCode).toBe(202);
    expect(confirmed.json().warnings).toEqual(['CREDIT_CODE_CHECK_FAILED']);
  });
});

describe('POST /v1/notices/batch', () => {
  it('files 500 notices in one call with a result per item, in order; bad items fail alone', async () => {
    const bodies: Record<string, unknown>[] = Array.from({ length: 500 }, () => notice());
    bodies[7] = notice({ caseNo: 'nonsense' });
    bodies[123] = notice({ debtor: { kind: 'person', name: '李某', idNumber: '110105194912310021' } });
    bodies[499] = { ...bodies[0] }; // the same notice twice in one batch
    const res = await app.http.inject({
      method: 'POST',
      url: '/v1/notices/batch',
      headers: auth,
      payload: { notices: bodies },
    });
    expect(res.statusCode).toBe(200);
    const { accepted, rejected, results } = res.json();
    expect([accepted, rejected]).toEqual([498, 2]);
    expect(results.map((r: { index: number }) => r.index)).toEqual([...Array(500).keys()]);
    expect(results[7]).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(results[7].error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'caseNo' })]),
    );
    expect(results[123].error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'debtor.idNumber', code: 'INVALID_RESIDENT_ID' }),
      ]),
    );
    expect(results[499]).toMatchObject({ ok: true, id: results[0].id });
    const stored = await app.runtime.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notices WHERE id = ANY($1::uuid[])',
      [results.filter((r: { ok: boolean }) => r.ok).map((r: { id: string }) => r.id)],
    );
    expect(stored.rows[0]!.n).toBe(497);
  });

  it('rejects an empty or oversized batch as a whole, with the field path', async () => {
    for (const notices of [[], 'x', undefined]) {
      const res = await app.http.inject({
        method: 'POST',
        url: '/v1/notices/batch',
        headers: auth,
        payload: { notices },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].path).toBe('notices');
    }
  });
});

describe('GET /v1/notices/:id', () => {
  it('answers 404 for unknown ids and for another court’s notice', async () => {
    const { id } = (await submit(notice())).json();
    expect((await app.http.inject({ url: `/v1/notices/not-a-uuid`, headers: auth })).statusCode).toBe(404);
    const other = await app.http.inject({
      url: `/v1/notices/${id}`,
      headers: { authorization: 'Bearer other-key' },
    });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('NOTICE_NOT_FOUND');
  });

  it('reports 503 UNAVAILABLE, not a guess, when the tracker cannot be reached', async () => {
    const { id } = (await submit(notice())).json();
    const res = await app.http.inject({ url: `/v1/notices/${id}`, headers: auth });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('UNAVAILABLE');
  });
});

describe('gRPC CourtService', () => {
  const client = () => new CourtServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
  const md = (key = 'demo-court-key') => {
    const m = new Metadata();
    m.set('authorization', `Bearer ${key}`);
    return m;
  };

  it('submits a notice like REST does, idempotently', async () => {
    const c = client();
    const proto = noticeToProto(notice() as NoticeSubmission);
    const call = () =>
      new Promise<{ id: string; duplicate: boolean }>((resolve, reject) =>
        c.submitNotice({ notice: proto }, md(), (err, res) => (err ? reject(err) : resolve(res!))),
      );
    const first = await call();
    const second = await call();
    expect(second).toMatchObject({ id: first.id, duplicate: true });
    c.close();
  });

  it('carries a jurisdiction exception over the wire', async () => {
    const c = client();
    const jurisdiction = { kind: 'cross' as const, decisionNo: '(2026)川执他3号' };
    const body = notice({ caseNo: '(2026)川0105执7777号', jurisdiction }) as NoticeSubmission;
    const proto = noticeToProto(body);
    const res = await new Promise<{ id: string }>((resolve, reject) =>
      c.submitNotice({ notice: proto }, md(), (err, r) => (err ? reject(err) : resolve(r!))),
    );
    expect(res.id).toBeTruthy();
    const without = noticeToProto({ ...body, noticeNo: `${body.noticeNo}-b`, jurisdiction: undefined });
    const err = await new Promise<ServiceError>((resolve) =>
      c.submitNotice({ notice: without }, md(), (e) => resolve(e!)),
    );
    expect(JSON.parse(String(err.metadata.get('error-details')[0]))).toEqual([
      expect.objectContaining({ path: 'caseNo', code: 'CASE_NOT_OF_COURT' }),
    ]);
    c.close();
  });

  it('rejects bad input with INVALID_ARGUMENT and the same stable code and paths as REST', async () => {
    const c = client();
    const proto = noticeToProto(notice() as NoticeSubmission);
    proto.caseNo = '';
    const err = await new Promise<ServiceError>((resolve) =>
      c.submitNotice({ notice: proto }, md(), (e) => resolve(e!)),
    );
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.metadata.get('error-code')[0]).toBe('VALIDATION_FAILED');
    expect(JSON.parse(String(err.metadata.get('error-details')[0]))).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'caseNo', code: 'REQUIRED' })]),
    );
    c.close();
  });
});
