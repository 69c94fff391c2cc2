import { decodeEnvelope, type EventEnvelope, topicName } from '@hub/contracts';
import { creditCodeCheckChar, residentIdCheckChar, systemClock } from '@hub/domain';
import { type InterceptionEntry, InterceptionProjection, subjectHash } from '@hub/interception';
import { createKafka, type Kafka } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, nastyText, nearValid, waitFor, wireBody } from '@hub/testkit';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdapterApp, loadAdapterConfig, signAgencyRequest } from '../src/index.js';

/**
 * The interception API on the real stack: two adapters (bank, public security) reading the projection the
 * punishment service writes (filled here through InterceptionProjection.apply), reports stored in
 * PostgreSQL and published on the interceptions topic.
 */
const iso = isolate();
const env = hubEnv(iso);
const logger = createLogger({ service: 'interception-test', level: 'warn' });
const bank = buildAdapterApp('bank', loadAdapterConfig('bank', env), { logger, clock: systemClock });
const psb = buildAdapterApp('public-security', loadAdapterConfig('public-security', env), {
  logger,
  clock: systemClock,
});
const redis = new Redis(endpoints().redisUrl);
const projection = new InterceptionProjection(redis, iso.namespace);

const residentId = (seq: number, birth = '19800101') => {
  const first17 = `110105${birth}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};
const creditCode = (() => {
  const first17 = '91510100MA6CGUQ23';
  return first17 + creditCodeCheckChar(first17);
})();
/** A 15-digit first-generation ID and the 18-digit form it becomes (born 1966). */
const OLD_ID = '110105660101123';
const OLD_ID_18 = (() => {
  const first17 = '11010519660101123';
  return first17 + residentIdCheckChar(first17);
})();
const WITH_X = (() => {
  for (let seq = 0; seq < 1000; seq++) {
    const id = residentId(seq, '19700101');
    if (id.endsWith('X')) return id;
  }
  throw new Error('no ID with check character X');
})();

/**
 * Digits alone failing both checks: an early pilot credit code a court listed after confirming
 * CREDIT_CODE_CHECK_FAILED (the hub holds it), and one it does not hold (a mistyped resident ID, for all we know).
 */
const checkFailed = (first17: string) => first17 + (creditCodeCheckChar(first17) === '0' ? '1' : '0');
const PILOT = checkFailed('91110000100000001');
const UNKNOWN_PILOT = checkFailed('91110000100000002');

const DEBTOR = residentId(1);
const LEGAL_REP = residentId(2);
const FREE = residentId(3);
const EXPIRED = residentId(4);
const NOTICE_ID = '0b7a1c4e-5f00-4d6e-9a51-6b1f0e4f2a11';
const base = {
  courtCode: '川0104',
  caseNo: '(2026)川0104执1234号',
  noticeId: NOTICE_ID,
  since: '2026-11-23T01:00:00.000Z',
  debtorKind: 'person',
};
const LISTED: InterceptionEntry = {
  ...base,
  entryId: 'e-list-1',
  measure: 'dishonest-list',
  endsAt: '2099-11-23T00:00:00.000Z',
  ground: 'evading-enforcement',
  role: 'debtor',
};
const CONSUMPTION: InterceptionEntry = {
  ...base,
  entryId: 'e-cons-1',
  measure: 'restrict-consumption',
  role: 'debtor',
  impliedBy: 'e-list-1',
};
const EXIT: InterceptionEntry = { ...base, entryId: 'e-exit-1', measure: 'restrict-exit', role: 'debtor' };
const REP: InterceptionEntry = {
  ...base,
  entryId: 'e-cons-rep',
  measure: 'restrict-consumption',
  role: 'legal-representative',
  debtorKind: 'organisation',
};
const LAPSED: InterceptionEntry = {
  ...LISTED,
  entryId: 'e-list-old',
  endsAt: '2020-01-01T00:00:00.000Z',
};

const secretOf = (institution: string) => `${institution.toLowerCase()}-demo-secret`;
type App = typeof bank;
function post(app: App, url: string, payload: unknown, institution = 'ICBC', headers = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signed = signAgencyRequest({
    institution,
    secret: secretOf(institution),
    method: 'POST',
    path: url,
    body,
  });
  return app.http.inject({
    method: 'POST',
    url,
    headers: { ...signed, 'content-type': 'application/json', ...headers },
    payload: body,
  });
}
const check = (app: App, id: unknown, institution?: string) =>
  post(app, '/v1/agency/interception/check', { id }, institution);
const checks = (app: App, ids: unknown[], institution?: string) =>
  post(app, '/v1/agency/interception/checks', { ids }, institution);
type Reply = Awaited<ReturnType<typeof check>>;
const errorOf = (res: Reply) => [res.statusCode, res.json().error?.code];
const detailsOf = (res: Reply) => res.json().error?.details as { path: string; code: string }[];

let kafka: Kafka;
let reader: ReturnType<Kafka['consumer']>;
const published: { key: string; envelope: EventEnvelope }[] = [];

beforeAll(async () => {
  await Promise.all([bank.start(), psb.start()]);
  await projection.apply([
    { hash: subjectHash(DEBTOR), version: 3, entries: [LISTED, CONSUMPTION, EXIT] },
    { hash: subjectHash(LEGAL_REP), version: 1, entries: [REP] },
    {
      hash: subjectHash(creditCode),
      version: 1,
      entries: [{ ...LISTED, entryId: 'e-org', debtorKind: 'organisation' }],
    },
    { hash: subjectHash(EXPIRED), version: 1, entries: [LAPSED] },
    {
      hash: subjectHash(PILOT),
      version: 1,
      entries: [{ ...LISTED, entryId: 'e-pilot', debtorKind: 'organisation' }],
    },
    { hash: subjectHash(OLD_ID_18), version: 1, entries: [CONSUMPTION] },
    { hash: subjectHash(WITH_X), version: 1, entries: [CONSUMPTION] },
  ]);
  await projection.markReady('test', new Date());
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'interception-test', logger });
  reader = kafka.consumer({ groupId: `${iso.namespace}.test-interceptions`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topic: topicName('interceptions', iso.topicPrefix), fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message: m }) =>
      void published.push({ key: String(m.key), envelope: decodeEnvelope(m.value!) }),
  });
}, 60_000);

afterAll(async () => {
  await reader?.disconnect();
  await Promise.all([bank.stop(), psb.stop()]);
  const keys = await redis.keys(`${iso.namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await iso.cleanup();
});

describe.sequential('interception checks', () => {
  it('answers a restricted subject with the entries its agency kind acts on', async () => {
    const atBank = await check(bank, DEBTOR);
    expect(atBank.statusCode).toBe(200);
    const body = atBank.json();
    expect(body.restricted).toBe(true);
    expect(Date.parse(body.checkedAt)).not.toBeNaN();
    // Exit restrictions are public security's alone: the bank never sees them.
    expect(body.entries).toEqual([
      {
        entryId: 'e-list-1',
        measure: 'dishonest-list',
        since: LISTED.since,
        endsAt: LISTED.endsAt,
        courtCode: '川0104',
        caseNo: '(2026)川0104执1234号',
        ground: 'evading-enforcement',
        role: 'debtor',
      },
      {
        entryId: 'e-cons-1',
        measure: 'restrict-consumption',
        since: CONSUMPTION.since,
        courtCode: '川0104',
        caseNo: '(2026)川0104执1234号',
        role: 'debtor',
      },
    ]);
    const atPsb = await check(psb, DEBTOR, 'PSB-510100');
    expect(atPsb.json().entries.map((e: { entryId: string }) => e.entryId)).toEqual([
      'e-list-1',
      'e-cons-1',
      'e-exit-1',
    ]);
  });

  it('answers a subject bound only by an exit restriction as not restricted at the bank', async () => {
    await projection.apply([{ hash: subjectHash(residentId(9)), version: 1, entries: [EXIT] }]);
    expect((await check(bank, residentId(9))).json()).toMatchObject({ restricted: false, entries: [] });
    expect((await check(psb, residentId(9), 'PSB-510100')).json()).toMatchObject({ restricted: true });
  });

  it('answers not restricted for a subject on no list and for one whose only entry has ended', async () => {
    for (const id of [FREE, EXPIRED]) {
      const res = await check(bank, id);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ restricted: false, entries: [] });
    }
  });

  it('binds a legal representative by role, and an organisation by its credit code', async () => {
    expect((await check(bank, LEGAL_REP)).json().entries).toMatchObject([
      { entryId: 'e-cons-rep', role: 'legal-representative' },
    ]);
    expect((await check(bank, creditCode)).json()).toMatchObject({
      restricted: true,
      entries: [{ entryId: 'e-org' }],
    });
    expect((await check(bank, creditCode.toLowerCase())).json()).toMatchObject({ restricted: true });
  });

  it('normalises a 15-digit ID and a lower-case x as people write them', async () => {
    expect((await check(bank, OLD_ID)).json()).toMatchObject({ restricted: true });
    expect((await check(bank, WITH_X.toLowerCase())).json()).toMatchObject({ restricted: true });
  });

  it('refuses a malformed ID with the field path and stable code', async () => {
    const bad = DEBTOR.slice(0, 17) + (DEBTOR[17] === '0' ? '1' : '0');
    const cases: [unknown, string][] = [
      [bad, 'INVALID_RESIDENT_ID'],
      ['12345', 'INVALID_RESIDENT_ID'],
      ['91510100MA6CGUQ2IO', 'INVALID_ID'],
      ['李某', 'INVALID_ID'],
      [42, 'INVALID_TYPE'],
      [undefined, 'REQUIRED'],
    ];
    for (const [id, code] of cases) {
      const res = await check(bank, id);
      expect(errorOf(res), String(id)).toEqual([400, 'VALIDATION_FAILED']);
      expect(detailsOf(res)).toMatchObject([{ path: 'id', code }]);
    }
    const extra = await post(bank, '/v1/agency/interception/check', { id: DEBTOR, name: '李某' });
    expect(detailsOf(extra)).toMatchObject([{ path: 'name', code: 'UNKNOWN_FIELD' }]);
  });

  it('answers a listed pilot credit code of digits alone failing its check, and refuses one the hub never held', async () => {
    expect((await check(bank, PILOT)).json()).toMatchObject({
      restricted: true,
      entries: [{ entryId: 'e-pilot' }],
    });
    const unknown = await check(bank, UNKNOWN_PILOT);
    expect(errorOf(unknown)).toEqual([400, 'VALIDATION_FAILED']);
    expect(detailsOf(unknown)).toMatchObject([{ path: 'id', code: 'INVALID_RESIDENT_ID' }]);
    const both = await checks(bank, [DEBTOR, PILOT]);
    expect(both.statusCode).toBe(200);
    expect(both.json().results.map((r: { restricted: boolean }) => r.restricted)).toEqual([true, true]);
    // In a batch the unknown one is named with the other bad IDs, and nothing is answered.
    const mixed = await checks(bank, [PILOT, UNKNOWN_PILOT, 7, FREE]);
    expect(errorOf(mixed)).toEqual([400, 'VALIDATION_FAILED']);
    expect(detailsOf(mixed).map((d) => [d.path, d.code])).toEqual([
      ['ids.1', 'INVALID_RESIDENT_ID'],
      ['ids.2', 'INVALID_TYPE'],
    ]);
    const unknownOnly = await checks(bank, [FREE, UNKNOWN_PILOT]);
    expect(detailsOf(unknownOnly).map((d) => [d.path, d.code])).toEqual([['ids.1', 'INVALID_RESIDENT_ID']]);
  });

  it('keeps a refusal small whatever the body: ten unknown fields named, a long name cut short, the rest counted', async () => {
    const body = { id: DEBTOR, ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])) };
    const res = await post(bank, '/v1/agency/interception/check', body);
    expect(errorOf(res)).toEqual([400, 'VALIDATION_FAILED']);
    expect(detailsOf(res)).toHaveLength(11);
    expect(detailsOf(res).at(-1)).toMatchObject({ path: '', code: 'UNKNOWN_FIELD' });
    const long = await post(bank, '/v1/agency/interception/check', { id: DEBTOR, ['k'.repeat(200_000)]: 1 });
    expect(detailsOf(long)).toMatchObject([{ path: `${'k'.repeat(64)}…`, code: 'UNKNOWN_FIELD' }]);
    expect(long.body.length).toBeLessThan(1000);
  });

  it('checks the signature before the body: unsigned malformed JSON is 401, signed it is 400 and spends its nonce', async () => {
    for (const url of ['/v1/agency/interception/check', '/v1/agency/interceptions', '/v1/agency/acks']) {
      const unsigned = await bank.http.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{"id":',
      });
      expect(errorOf(unsigned), url).toEqual([401, 'UNAUTHENTICATED']);
      const headers = signAgencyRequest({
        institution: 'ICBC',
        secret: secretOf('ICBC'),
        method: 'POST',
        path: url,
        body: '{"id":',
      });
      const send = () =>
        bank.http.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: '{"id":',
        });
      const signed = await send();
      expect(errorOf(signed), url).toEqual([400, 'VALIDATION_FAILED']);
      expect(detailsOf(signed)).toMatchObject([{ path: '', code: 'MALFORMED_BODY' }]);
      expect((await send()).statusCode, `${url} replayed`).toBe(401);
    }
  });

  it('answers a batch of 1,000 in order, each as a single check would', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => residentId(i, '19900101'));
    ids[10] = DEBTOR;
    ids[500] = EXPIRED;
    ids[999] = creditCode;
    const res = await checks(bank, ids);
    expect(res.statusCode).toBe(200);
    const { results } = res.json() as {
      results: { index: number; restricted: boolean; entries: unknown[] }[];
    };
    expect(results.map((r) => r.index)).toEqual(ids.map((_, i) => i));
    expect(results.filter((r) => r.restricted).map((r) => r.index)).toEqual([10, 999]);
    expect(results[10]!.entries).toEqual((await check(bank, DEBTOR)).json().entries);
  });

  it('answers nothing of a batch with a malformed ID, naming every bad one', async () => {
    const ids: unknown[] = [DEBTOR, FREE, EXPIRED, '110105198001010011', creditCode, 7, 'XYZ'];
    const res = await checks(bank, ids);
    expect(errorOf(res)).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().results).toBeUndefined();
    expect(detailsOf(res).map((d) => [d.path, d.code])).toEqual([
      ['ids.3', 'INVALID_RESIDENT_ID'],
      ['ids.5', 'INVALID_TYPE'],
      ['ids.6', 'INVALID_ID'],
    ]);
    const tooMany = await checks(bank, Array(1001).fill(FREE));
    expect(errorOf(tooMany)).toEqual([400, 'VALIDATION_FAILED']);
    expect(detailsOf(tooMany)).toMatchObject([{ path: 'ids', code: 'TOO_LONG' }]);
    expect(detailsOf(await checks(bank, []))).toMatchObject([{ path: 'ids', code: 'TOO_SHORT' }]);
  });

  it('refuses unsigned, wrongly signed and replayed checks', async () => {
    const url = '/v1/agency/interception/check';
    const body = JSON.stringify({ id: DEBTOR });
    const call = (headers: Record<string, string>) =>
      bank.http.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: body,
      });
    expect(errorOf(await call({}))).toEqual([401, 'UNAUTHENTICATED']);
    const sign = (secret: string) =>
      signAgencyRequest({ institution: 'ICBC', secret, method: 'POST', path: url, body });
    expect(errorOf(await call(sign('a-wrong-secret-123')))).toEqual([401, 'SIGNATURE_INVALID']);
    // Another kind's institution, signing with its own secret, is a stranger here.
    const stranger = signAgencyRequest({
      institution: 'PSB-510100',
      secret: secretOf('PSB-510100'),
      method: 'POST',
      path: url,
      body,
    });
    expect(errorOf(await call(stranger))).toEqual([401, 'UNAUTHENTICATED']);
    const once = sign(secretOf('ICBC'));
    expect((await call(once)).statusCode).toBe(200);
    const replayed = await call(once);
    expect(errorOf(replayed)).toEqual([401, 'REQUEST_REPLAYED']);
    expect(detailsOf(replayed)).toMatchObject([{ code: 'NONCE_REUSED' }]);
    // A refused (malformed) call spends its nonce too.
    const badBody = JSON.stringify({ id: 'nope' });
    const badSigned = signAgencyRequest({
      institution: 'ICBC',
      secret: secretOf('ICBC'),
      method: 'POST',
      path: url,
      body: badBody,
    });
    const again = () =>
      bank.http.inject({
        method: 'POST',
        url,
        headers: { ...badSigned, 'content-type': 'application/json' },
        payload: badBody,
      });
    expect(errorOf(await again())).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await again())).toEqual([401, 'REQUEST_REPLAYED']);
  });
});

describe.sequential('interception reports', () => {
  const report = (over: object = {}) => ({
    reportRef: 'LOAN-2026-0001',
    id: DEBTOR,
    entryId: 'e-list-1',
    action: 'loan',
    occurredAt: '2026-12-01T10:00:00+08:00',
    ...over,
  });
  const ofRef = (ref: string) =>
    published.filter(
      (p) => (p.envelope.payload?.value as { partnerRef?: string } | undefined)?.partnerRef === ref,
    );

  it('stores a report once and publishes it on the entry’s notice, the subject masked', async () => {
    const first = await post(bank, '/v1/agency/interceptions', report());
    expect(first.statusCode).toBe(202);
    const { reportId, status } = first.json();
    expect(status).toBe('accepted');
    const again = await post(bank, '/v1/agency/interceptions', report());
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ reportRef: 'LOAN-2026-0001', reportId, status: 'duplicate' });
    // The same reference from another institution is that institution's own report.
    const other = await post(bank, '/v1/agency/interceptions', report(), 'CCB');
    expect(other.json().reportId).not.toBe(reportId);

    const [message] = await waitFor(() => ((m) => m.length >= 2 && m)(ofRef('LOAN-2026-0001')), {
      what: 'InterceptionReported',
    });
    const mine = ofRef('LOAN-2026-0001').filter(
      (p) => (p.envelope.payload?.value as { institution?: string } | undefined)?.institution === 'ICBC',
    );
    expect(mine).toHaveLength(1);
    expect(message!.key).toBe(NOTICE_ID);
    expect(mine[0]!.envelope.noticeId).toBe(NOTICE_ID);
    expect(mine[0]!.envelope.type).toBe('InterceptionReported');
    const value = mine[0]!.envelope.payload!.value as unknown as Record<string, unknown>;
    expect(value).toMatchObject({
      reportId,
      partnerRef: 'LOAN-2026-0001',
      agency: 'bank',
      institution: 'ICBC',
      entryId: 'e-list-1',
      measure: 'dishonest-list',
      courtCode: '川0104',
      caseNo: '(2026)川0104执1234号',
      noticeId: NOTICE_ID,
      action: 'loan',
      subjectMasked: `110105********${DEBTOR.slice(-4)}`,
    });
    expect(JSON.parse(value.signatureJson as string)).toMatchObject({ nonce: expect.any(String) });
    expect(JSON.stringify(mine[0]!.envelope)).not.toContain(DEBTOR);
    const { rows } = await bank.runtime.pool.query('SELECT * FROM interception_reports');
    expect(JSON.stringify(rows)).not.toContain(DEBTOR);
    expect(rows.filter((r) => r.institution === 'ICBC')).toMatchObject([{ report_id: reportId }]);
  });

  it('refuses a different report under a used reference (409), storing nothing more', async () => {
    const res = await post(bank, '/v1/agency/interceptions', report({ action: 'other' }));
    expect(errorOf(res)).toEqual([409, 'INTERCEPTION_REPORT_CONFLICT']);
  });

  it('refuses a report on an entry that does not bind the subject or that the agency kind does not see', async () => {
    for (const over of [
      { reportRef: 'R-2', entryId: 'e-exit-1', action: 'exit' }, // the bank does not act on exit restrictions
      { reportRef: 'R-3', entryId: 'e-nope' },
      { reportRef: 'R-4', id: FREE },
      { reportRef: 'R-5', id: EXPIRED, entryId: 'e-list-old' },
    ]) {
      const res = await post(bank, '/v1/agency/interceptions', report(over));
      expect(errorOf(res), JSON.stringify(over)).toEqual([404, 'RESTRICTION_NOT_FOUND']);
    }
    const exit = await post(
      psb,
      '/v1/agency/interceptions',
      report({ reportRef: 'R-2', entryId: 'e-exit-1', action: 'exit' }),
      'PSB-510100',
    );
    expect(exit.json()).toMatchObject({ status: 'accepted' });
    const { rows } = await bank.runtime.pool.query(
      "SELECT report_ref FROM interception_reports WHERE report_ref LIKE 'R-%'",
    );
    expect(rows).toEqual([]);
  });

  it('takes a report of a block made before the restriction was removed, sent after; not one made after', async () => {
    // A debtor listed on 11-23, blocked on 12-01, removed (removal taken in) on 12-03: the entry stays in the
    // standing, marked `until`, so the bank's report sent after the removal still counts; no check finds it.
    const id = residentId(21);
    const listed = { ...LISTED, entryId: 'e-list-21' };
    await projection.apply([{ hash: subjectHash(id), version: 1, entries: [listed] }]);
    expect((await check(bank, id)).json()).toMatchObject({ restricted: true });
    await projection.apply([
      { hash: subjectHash(id), version: 2, entries: [{ ...listed, until: '2026-12-03T02:00:00.000Z' }] },
    ]);
    expect((await check(bank, id)).json()).toMatchObject({ restricted: false, entries: [] });
    expect((await checks(bank, [id])).json().results).toMatchObject([{ restricted: false, entries: [] }]);
    const before = await post(
      bank,
      '/v1/agency/interceptions',
      report({ reportRef: 'LATE-1', id, entryId: 'e-list-21', occurredAt: '2026-12-01T10:00:00+08:00' }),
    );
    expect(before.statusCode).toBe(202);
    expect(before.json()).toMatchObject({ status: 'accepted' });
    const after = await post(
      bank,
      '/v1/agency/interceptions',
      report({ reportRef: 'LATE-2', id, entryId: 'e-list-21', occurredAt: '2026-12-03T10:00:00+08:00' }),
    );
    expect(errorOf(after)).toEqual([404, 'RESTRICTION_NOT_FOUND']);
    expect(detailsOf(after)).toEqual([expect.objectContaining({ path: 'occurredAt', code: 'NOT_IN_FORCE' })]);
    // A term that ran out likewise: a block before its end counts, one after it does not.
    const ran = residentId(22);
    const term = { since: '2026-01-05T01:00:00.000Z', endsAt: '2026-06-01T00:00:00.000Z' };
    await projection.apply([
      { hash: subjectHash(ran), version: 1, entries: [{ ...LISTED, ...term, entryId: 'e-22' }] },
    ]);
    expect((await check(bank, ran)).json()).toMatchObject({ restricted: false });
    const lapsed = (reportRef: string, occurredAt: string) =>
      post(bank, '/v1/agency/interceptions', report({ reportRef, id: ran, entryId: 'e-22', occurredAt }));
    expect((await lapsed('LATE-3', '2026-05-01T10:00:00+08:00')).json()).toMatchObject({
      status: 'accepted',
    });
    expect(errorOf(await lapsed('LATE-4', '2026-06-02T10:00:00+08:00'))).toEqual([
      404,
      'RESTRICTION_NOT_FOUND',
    ]);
    const { rows } = await bank.runtime.pool.query(
      "SELECT report_ref FROM interception_reports WHERE report_ref LIKE 'LATE-%' ORDER BY report_ref",
    );
    expect(rows.map((r) => r.report_ref)).toEqual(['LATE-1', 'LATE-3']);
  });

  it('refuses a block the institution’s kind cannot make, or one the entry cannot cause', async () => {
    const psbReport = (over: object) =>
      post(psb, '/v1/agency/interceptions', report({ entryId: 'e-list-1', ...over }), 'PSB-510100');
    const detail = async (res: Reply) => [errorOf(res), detailsOf(res).map((d) => [d.path, d.code])];
    // Public security does not lend; a bank registers no property transfers.
    expect(await detail(await psbReport({ reportRef: 'A-1', action: 'loan' }))).toEqual([
      [400, 'VALIDATION_FAILED'],
      [['action', 'ACTION_NOT_FOR_AGENCY']],
    ]);
    const atBank = await post(
      bank,
      '/v1/agency/interceptions',
      report({ reportRef: 'A-2', action: 'property-transfer' }),
    );
    expect(await detail(atBank)).toEqual([[400, 'VALIDATION_FAILED'], [['action', 'ACTION_NOT_FOR_AGENCY']]]);
    // An exit is stopped because of an exit restriction, not because of a listing.
    expect(await detail(await psbReport({ reportRef: 'A-3', action: 'exit' }))).toEqual([
      [400, 'VALIDATION_FAILED'],
      [['action', 'ACTION_NOT_FOR_MEASURE']],
    ]);
    expect((await psbReport({ reportRef: 'A-4', action: 'other' })).json()).toMatchObject({
      status: 'accepted',
    });
    const { rows } = await psb.runtime.pool.query(
      "SELECT report_ref FROM interception_reports WHERE report_ref LIKE 'A-%' ORDER BY report_ref",
    );
    expect(rows.map((r) => r.report_ref)).toEqual(['A-4']);
  });

  it('takes a report on a listed pilot credit code, and refuses one on a code the hub never held', async () => {
    const pilot = report({ reportRef: 'PILOT-1', id: PILOT, entryId: 'e-pilot' });
    expect((await post(bank, '/v1/agency/interceptions', pilot)).statusCode).toBe(202);
    const unknown = await post(
      bank,
      '/v1/agency/interceptions',
      report({ reportRef: 'PILOT-2', id: UNKNOWN_PILOT, entryId: 'e-pilot' }),
    );
    expect(errorOf(unknown)).toEqual([400, 'VALIDATION_FAILED']);
    expect(detailsOf(unknown)).toMatchObject([{ path: 'id', code: 'INVALID_RESIDENT_ID' }]);
  });

  it('validates reports with field paths, and takes a batch item by item', async () => {
    const res = await post(bank, '/v1/agency/interceptions', report({ id: '123', action: 'bribe' }));
    expect(errorOf(res)).toEqual([400, 'VALIDATION_FAILED']);
    expect(detailsOf(res).map((d) => [d.path, d.code])).toEqual(
      expect.arrayContaining([
        ['id', 'INVALID_RESIDENT_ID'],
        ['action', 'INVALID_VALUE'],
      ]),
    );
    const future = await post(
      bank,
      '/v1/agency/interceptions',
      report({ reportRef: 'FUTURE-1', occurredAt: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    expect(errorOf(future)).toEqual([400, 'VALIDATION_FAILED']);
    expect(detailsOf(future)).toMatchObject([{ path: 'occurredAt', code: 'IN_THE_FUTURE' }]);
    // A block before the restriction existed (or in year 0000) counts nothing: refused, nothing stored.
    for (const [i, occurredAt] of ['2000-01-01T00:00:00+08:00', '0000-01-01T00:00:00Z'].entries()) {
      const early = await post(
        bank,
        '/v1/agency/interceptions',
        report({ reportRef: `EARLY-${i}`, occurredAt }),
      );
      expect(errorOf(early)).toEqual([400, 'VALIDATION_FAILED']);
      expect(detailsOf(early)).toMatchObject([{ path: 'occurredAt', code: 'BEFORE_RESTRICTION' }]);
    }
    const { rows: early } = await bank.runtime.pool.query(
      "SELECT 1 FROM interception_reports WHERE report_ref LIKE 'EARLY-%'",
    );
    expect(early).toEqual([]);
    const batch = await post(bank, '/v1/agency/interceptions/batch', {
      reports: [
        report({ reportRef: 'B-1', action: 'high-consumption', entryId: 'e-cons-1' }),
        report({ reportRef: 'B-2', id: 'x' }),
        report({ reportRef: 'B-3', entryId: 'e-nope' }),
        report(),
      ],
    });
    expect(batch.statusCode).toBe(200);
    expect(batch.json().results).toMatchObject([
      { ok: true, reportRef: 'B-1', status: 'accepted' },
      { ok: false, reportRef: 'B-2', code: 'VALIDATION_FAILED', details: [{ path: 'reports.1.id' }] },
      {
        ok: false,
        reportRef: 'B-3',
        code: 'RESTRICTION_NOT_FOUND',
        details: [{ path: 'reports.2.entryId' }],
      },
      { ok: true, reportRef: 'LOAN-2026-0001', status: 'duplicate' },
    ]);
  });
});

describe.sequential('garbage and rebuilds', () => {
  it('never answers 5xx to garbage bodies', async () => {
    const runs = Number(process.env.FUZZ_INPUTS ?? 300);
    const bodies = fc.sample(
      fc.oneof(
        wireBody(nearValid(() => ({ id: DEBTOR }))),
        wireBody(nearValid(() => ({ ids: [DEBTOR, FREE, creditCode] }))),
        wireBody(
          nearValid(() => ({
            reportRef: `F-${Math.random().toString(36).slice(2)}`,
            id: DEBTOR,
            entryId: 'e-cons-1',
            action: 'loan',
            occurredAt: '2026-12-01T10:00:00+08:00',
          })),
        ),
        nastyText,
      ),
      { numRuns: runs },
    );
    const urls = [
      '/v1/agency/interception/check',
      '/v1/agency/interception/checks',
      '/v1/agency/interceptions',
      '/v1/agency/interceptions/batch',
    ];
    const statuses = new Map<number, number>();
    for (const [i, body] of bodies.entries()) {
      const res = await post(bank, urls[i % urls.length]!, body);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      expect(res.statusCode, `${urls[i % urls.length]} ${body.slice(0, 200)}`).toBeLessThan(500);
    }
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  });

  it('answers 503 with Retry-After while the projection is rebuilt, never "not restricted"', async () => {
    await projection.markRebuilding();
    try {
      for (const res of [
        await check(bank, FREE),
        await checks(bank, [FREE, DEBTOR]),
        await post(bank, '/v1/agency/interceptions', {
          reportRef: 'DURING-REBUILD',
          id: DEBTOR,
          entryId: 'e-list-1',
          action: 'loan',
          occurredAt: '2026-12-01T10:00:00+08:00',
        }),
      ]) {
        expect(errorOf(res)).toEqual([503, 'INTERCEPTION_UNAVAILABLE']);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    } finally {
      await projection.markReady('test', new Date());
    }
    expect((await check(bank, FREE)).json()).toMatchObject({ restricted: false });
  });
});
