import { randomUUID } from 'node:crypto';
import { signAgencyRequest } from '@hub/agency-kit';
import {
  decodeEnvelope,
  type EventEnvelope,
  encodeEnvelope,
  holdReportKey,
  NoticeParams,
  type NoticeSubmission,
  payloadAs,
  topicName,
} from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka } from '@hub/messaging';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';

// Agency-initiated hold-change reports (agency-kit POST /v1/agency/hold-changes): signed like answers,
// only about holds placed through the reporting bank's own requests, validated item by item, stored once.
const iso = isolate();
type Bank = 'ICBC' | 'CCB';
const sign = (
  bank: Bank,
  method: string,
  url: string,
  body: string,
  secret = `${bank.toLowerCase()}-demo-secret`,
) => signAgencyRequest({ institution: bank, secret, method, path: url, body });
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });
const app = buildApp(loadConfig(hubEnv(iso)), {
  logger: createLogger({ service: 'hold-changes-test', level: 'warn' }),
  clock: systemClock,
});
let kafka: Kafka;
let send: ReturnType<Kafka['producer']>;
let holdsReader: ReturnType<Kafka['consumer']>;
/** Everything the adapter published on the holds topic. */
const published: { key: string; envelope: EventEnvelope }[] = [];

beforeAll(async () => {
  const quiet = createLogger({ service: 'hold-changes-test', level: 'error' });
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'hold-changes-test', logger: quiet });
  await app.start();
  send = kafka.producer();
  await send.connect();
  holdsReader = kafka.consumer({ groupId: `${iso.namespace}.test-holds`, maxWaitTimeInMs: 100 });
  await holdsReader.connect();
  await holdsReader.subscribe({ topic: topicName('holdReports', iso.topicPrefix), fromBeginning: true });
  await holdsReader.run({
    eachMessage: async ({ message: m }) =>
      void published.push({ key: String(m.key), envelope: decodeEnvelope(m.value!) }),
  });
});

afterAll(async () => {
  await holdsReader?.disconnect();
  await send?.disconnect();
  await app.stop();
  await iso.cleanup();
});

const ACCOUNT = '6222020200112233445';
const COURT = { code: '川0104', name: '成都市锦江区人民法院' };

/** One request of `measure` for `bank`, sealed by the court as the measure service would send it. */
async function dispatch(bank: Bank, measure: 'freeze' | 'query') {
  const caseNo = '(2026)川0104执1234号';
  const notice: NoticeSubmission = {
    noticeNo: `${caseNo}-协${randomUUID().slice(0, 8)}`,
    caseNo,
    measure,
    legalBasis: `${caseNo}执行裁定书`,
    court: COURT,
    targets: [{ agency: 'bank', institution: bank }],
    params:
      measure === 'freeze'
        ? NoticeParams.fromPartial({ amountFen: 50_000, termDays: 365, accountNo: ACCOUNT })
        : undefined,
    issuedAt: '2026-11-23T09:00:00+08:00',
    confirmWarnings: [],
  };
  const requestId = randomUUID();
  const noticeId = randomUUID();
  const m = events.event('requestsBank', noticeId, 'requestDispatched', {
    requestId,
    noticeId,
    agency: 'bank',
    institution: bank,
    measure,
    noticeNo: notice.noticeNo,
    caseNo,
    legalBasis: notice.legalBasis,
    notice,
    seal: new Sealer('demo').seal(COURT.code, notice),
  });
  await send.send({ topic: m.topic, messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }] });
  const stored = async () =>
    (await app.runtime.pool.query('SELECT 1 FROM requests WHERE id = $1', [requestId])).rows.length === 1;
  await waitFor(stored, { what: 'the request in the inbox' });
  return requestId;
}

const post = (url: string, bank: Bank | undefined, payload: unknown, secret?: string) => {
  const body = JSON.stringify(payload);
  const headers = {
    ...(bank ? sign(bank, 'POST', url, body, secret) : {}),
    'content-type': 'application/json',
  };
  return app.http.inject({ method: 'POST', url, headers, payload: body });
};
const errorOf = (res: Awaited<ReturnType<typeof post>>) => [res.statusCode, res.json().error?.code];
const stored = async () =>
  Number((await app.runtime.pool.query('SELECT count(*) FROM hold_reports')).rows[0].count);

/** A queued freeze (轮候冻结) placed through `bank`'s request, answered as such. */
async function queuedFreeze(bank: Bank) {
  const id = await dispatch(bank, 'freeze');
  const res = await post(`/v1/agency/requests/${id}/answer`, bank, {
    outcome: 'done',
    result: {
      accountNo: ACCOUNT,
      requestedFen: 50_000,
      frozenFen: 0,
      receipt: { effective: false, queuePosition: 2, registrationNo: `${bank}-20261123-000001` },
    },
  });
  expect(res.statusCode).toBe(200);
  return id;
}

const promoted = (requestId: string, reportId = `P-${randomUUID()}`) => ({
  reportId,
  requestId,
  change: 'promoted',
  occurredAt: new Date().toISOString(),
  queuePosition: 0,
  term: { from: '2026-12-01', until: '2027-11-30' },
  registrationNo: 'ICBC-20261201-000007',
  frozenFen: 50_000,
});

describe('hold-change reports', () => {
  it('an unsigned or forged report is 401 and nothing is stored', async () => {
    const id = await queuedFreeze('ICBC');
    const before = await stored();
    expect(errorOf(await post('/v1/agency/hold-changes', undefined, promoted(id)))).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    expect(errorOf(await post('/v1/agency/hold-changes', 'ICBC', promoted(id), 'not-icbc-secret'))).toEqual([
      401,
      'SIGNATURE_INVALID',
    ]);
    expect(await stored()).toBe(before);
  });

  it('a bank reports only on holds placed through its own requests: another bank’s is 404, a query is no hold', async () => {
    const icbc = await queuedFreeze('ICBC');
    const query = await dispatch('CCB', 'query');
    const before = await stored();
    expect(errorOf(await post('/v1/agency/hold-changes', 'CCB', promoted(icbc)))).toEqual([
      404,
      'REQUEST_NOT_FOUND',
    ]);
    expect(errorOf(await post('/v1/agency/hold-changes', 'CCB', promoted(query)))).toEqual([
      409,
      'NOT_A_HOLD',
    ]);
    // A freeze not yet answered has placed nothing to report on.
    const unanswered = await dispatch('CCB', 'freeze');
    expect(errorOf(await post('/v1/agency/hold-changes', 'CCB', promoted(unanswered)))).toEqual([
      409,
      'NOT_A_HOLD',
    ]);
    expect(await stored()).toBe(before);
  });

  it('a malformed report is 400 with every field path, and nothing is stored', async () => {
    const id = await queuedFreeze('ICBC');
    const before = await stored();
    const res = await post('/v1/agency/hold-changes', 'ICBC', {
      ...promoted(id),
      queuePosition: 1,
      term: { from: '2026-12-01', until: '2026-11-30' },
      registrationNo: undefined,
      frozenFen: Number.MAX_SAFE_INTEGER + 2,
      extra: 1,
    });
    expect(errorOf(res)).toEqual([400, 'VALIDATION_FAILED']);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['queuePosition', 'term.until', 'registrationNo', 'frozenFen']),
    );
    const unknownChange = await post('/v1/agency/hold-changes', 'ICBC', {
      ...promoted(id),
      change: 'stolen',
    });
    expect(errorOf(unknownChange)).toEqual([400, 'VALIDATION_FAILED']);
    expect(unknownChange.json().error.details.map((d: { path: string }) => d.path)).toContain('change');
    // A deduction is about money; the schema checks its amount.
    const deducted = await post('/v1/agency/hold-changes', 'ICBC', {
      reportId: 'D-1',
      requestId: id,
      change: 'deducted',
      occurredAt: new Date().toISOString(),
      amountFen: 0,
      transferRef: 'TR-1',
    });
    expect(errorOf(deducted)).toEqual([400, 'VALIDATION_FAILED']);
    expect(await stored()).toBe(before);
  });

  it('a report sent twice is stored and announced once, keyed by the held asset; a changed one is a conflict', async () => {
    const id = await queuedFreeze('ICBC');
    const report = promoted(id);
    const first = await post('/v1/agency/hold-changes', 'ICBC', report);
    expect([first.statusCode, first.json()]).toEqual([
      202,
      { reportId: report.reportId, ok: true, status: 'accepted' },
    ]);
    const again = await post('/v1/agency/hold-changes', 'ICBC', report);
    expect([again.statusCode, again.json().status]).toEqual([202, 'duplicate']);
    const changed = await post('/v1/agency/hold-changes', 'ICBC', { ...report, frozenFen: 1 });
    expect(errorOf(changed)).toEqual([409, 'HOLD_REPORT_CONFLICT']);

    const mine = () =>
      published.filter((p) => payloadAs(p.envelope, 'holdChangeReported')?.reportId === report.reportId);
    const [event] = await waitFor(() => (mine().length > 0 ? mine() : undefined), {
      what: 'HoldChangeReported',
    });
    expect(event!.key).toBe(holdReportKey('ICBC', 'account', ACCOUNT));
    expect(payloadAs(event!.envelope, 'holdChangeReported')).toMatchObject({
      requestId: id,
      agency: 'bank',
      institution: 'ICBC',
      change: 'promoted',
      assetKind: 'account',
      assetKey: ACCOUNT,
      queuePosition: 0,
      termFrom: '2026-12-01',
      termUntil: '2027-11-30',
      frozenFen: 50_000,
    });
    expect(JSON.parse(payloadAs(event!.envelope, 'holdChangeReported')!.signatureJson)).toHaveProperty(
      'signature',
    );
    // A later report (another event on the same key) shows the first was not sent again.
    const lapsed = {
      reportId: `L-${randomUUID()}`,
      requestId: id,
      change: 'lapsed',
      occurredAt: new Date(Date.now() + 60_000).toISOString(), // a minute ahead: clocks differ
    };
    expect((await post('/v1/agency/hold-changes', 'ICBC', lapsed)).statusCode).toBe(202);
    await waitFor(
      () => published.find((p) => payloadAs(p.envelope, 'holdChangeReported')?.reportId === lapsed.reportId),
      {
        what: 'the later report',
      },
    );
    expect(mine()).toHaveLength(1);
  });

  it('in a batch each report stands alone: results by position, only the valid ones stored', async () => {
    const id = await queuedFreeze('CCB');
    const icbc = await queuedFreeze('ICBC');
    const before = await stored();
    const moved = {
      reportId: `M-${randomUUID()}`,
      requestId: id,
      change: 'released-by-other-court',
      occurredAt: new Date().toISOString(),
      queuePosition: 1,
    };
    const res = await post('/v1/agency/hold-changes/batch', 'CCB', {
      reports: [
        moved,
        { ...moved, reportId: 'bad', queuePosition: 0 },
        promoted(icbc, 'P-other'),
        moved,
        // Items that are no report at all, or dated when the change cannot have happened: each refused alone.
        'x',
        null,
        { ...moved, reportId: 'year-9999', occurredAt: '9999-12-31T23:59:59Z' },
        { ...moved, reportId: 'year-0', occurredAt: '0000-01-01T00:00:00Z' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const results = res.json().results;
    expect(results[0]).toEqual({ reportId: moved.reportId, ok: true, status: 'accepted' });
    expect(results[1]).toMatchObject({ reportId: 'bad', ok: false, code: 'VALIDATION_FAILED' });
    expect(results[1].details.map((d: { path: string }) => d.path)).toEqual(['reports.1.queuePosition']);
    expect(results[2]).toEqual({ reportId: 'P-other', ok: false, code: 'REQUEST_NOT_FOUND' });
    expect(results[3]).toEqual({ reportId: moved.reportId, ok: true, status: 'duplicate' });
    expect(results[4]).toMatchObject({ reportId: '', ok: false, code: 'VALIDATION_FAILED' });
    expect(results[5]).toMatchObject({ reportId: '', ok: false, code: 'VALIDATION_FAILED' });
    expect(results[6]).toMatchObject({
      reportId: 'year-9999',
      ok: false,
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'occurredAt', code: 'IN_THE_FUTURE' })],
    });
    expect(results[7]).toMatchObject({
      reportId: 'year-0',
      ok: false,
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'occurredAt', code: 'BEFORE_HOLD' })],
    });
    expect(await stored()).toBe(before + 1);
    expect(errorOf(await post('/v1/agency/hold-changes/batch', 'CCB', { reports: [] }))).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
  });
});
