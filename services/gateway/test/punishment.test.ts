/**
 * Punishment notices at the gateway (纳入/删除失信名单, 限制/解除限制高消费, 限制/解除限制出境): validated against
 * the rules in @hub/domain, judged by the punishment service before they are stored (CheckPunishments), sealed
 * with their grounds and responsible persons; a case's restrictions for its court; the public list.
 * The punishment service is a stand-in here (PunishmentDouble); PostgreSQL, Kafka and Redis are real.
 */
import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import {
  CourtServiceClient,
  decodeEnvelope,
  type NoticeIssued,
  noticeFromProto,
  noticeToProto,
  payloadAs,
  topicName,
} from '@hub/contracts';
import { type NoticeSubmission, systemClock } from '@hub/domain';
import { SealVerifier } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { auth, notice } from './fixtures.js';
import { PunishmentDouble } from './punishment-double.js';

const iso = isolate();
const logger = createLogger({ service: 'gateway-test', level: 'warn' });
const PUBLIC_PER_MINUTE = 5;
const gatewayWith = (punishmentUrl: string) =>
  buildApp(
    loadConfig(
      hubEnv(iso, {
        GATEWAY_COURT_KEYS: 'demo-court-key=川0104,other-key=京01',
        TRACKER_GRPC_URL: '127.0.0.1:1',
        FREEZE_DEDUCT_GRPC_URL: '127.0.0.1:1',
        HUB_MEASURE_SERVICES: 'query,punishment',
        PUNISHMENT_GRPC_URL: punishmentUrl,
        GATEWAY_PUBLIC_RATE_LIMIT_PER_MINUTE: String(PUBLIC_PER_MINUTE),
      }),
    ),
    { logger, clock: systemClock },
  );

const double = new PunishmentDouble();
let app: ReturnType<typeof buildApp>;
/** The same gateway where the punishment service cannot be reached. */
let unreachable: ReturnType<typeof buildApp>;

beforeAll(async () => {
  app = gatewayWith(await double.start());
  unreachable = gatewayWith('127.0.0.1:1');
  await app.start();
  await unreachable.start();
});

afterAll(async () => {
  await unreachable?.stop();
  await app?.stop();
  await double.stop();
  await iso.cleanup();
});

const listing = (params: Record<string, unknown> = { ground: 'able-but-refuses' }) =>
  notice({ measure: 'dishonest-list', targets: [], params });
const PUNISHMENTS: Record<string, Record<string, unknown>> = {
  'dishonest-list': { ground: 'evades-enforcement' },
  'dishonest-list-removal': { removalReason: 'performed', groundAroseAt: '2026-11-20T10:00:00+08:00' },
  'restrict-consumption': {},
  'restrict-consumption-lift': {},
  'restrict-exit': {},
  'restrict-exit-lift': {},
};
const punishment = (measure: string) => notice({ measure, targets: [], params: PUNISHMENTS[measure] ?? {} });

const post = (gateway: typeof app, body: unknown) =>
  gateway.http.inject({ method: 'POST', url: '/v1/notices', headers: auth, payload: body as object });
const batch = (gateway: typeof app, notices: unknown[]) =>
  gateway.http.inject({ method: 'POST', url: '/v1/notices/batch', headers: auth, payload: { notices } });
const stored = async (noticeNos: unknown[]) => {
  const { rows } = await app.runtime.pool.query<{ notice_no: string }>(
    'SELECT notice_no FROM notices WHERE notice_no = ANY($1::text[])',
    [noticeNos],
  );
  return rows.map((r) => r.notice_no).sort();
};
const refuse = (noticeNo: unknown, errorCode: string, details: unknown[] = []) =>
  double.verdicts.set(String(noticeNo), { errorCode, errorDetailsJson: JSON.stringify(details) });

describe('admission of punishment notices (PunishmentService.CheckPunishments)', () => {
  it.each([
    ['dishonest-list', 'RELISTING_BARRED', 409],
    ['dishonest-list', 'ALREADY_LISTED', 409],
    ['dishonest-list-removal', 'LISTING_NOT_FOUND', 404],
    ['dishonest-list-removal', 'LISTING_OF_ANOTHER_COURT', 403],
    ['restrict-consumption', 'ALREADY_RESTRICTED', 409],
    ['restrict-exit', 'ALREADY_RESTRICTED', 409],
    ['restrict-consumption-lift', 'RESTRICTION_NOT_FOUND', 404],
    ['restrict-exit-lift', 'RESTRICTION_OF_ANOTHER_COURT', 403],
  ])(
    'a %s the service refuses with %s is answered %i with its details, and not stored',
    async (measure, code, http) => {
      const body = punishment(measure);
      const details = [{ path: 'debtor', code, rule: '法释〔2017〕7号', until: '2027-05-20' }];
      refuse(body.noticeNo, code, details);
      const res = await post(app, body);
      expect(res.statusCode).toBe(http);
      expect(res.json().error).toMatchObject({ code, details });
      expect(await stored([body.noticeNo])).toEqual([]);
      // The service was asked about this notice, as the court sent it.
      const asked = double.checked.find((n) => n.noticeNo === body.noticeNo);
      expect(asked).toMatchObject({ measure, court: { code: '川0104' }, caseNo: body.caseNo });
    },
  );

  it('accepts each punishment measure the service admits, without targets (they broadcast)', async () => {
    for (const measure of Object.keys(PUNISHMENTS)) {
      const body = punishment(measure);
      const res = await post(app, body);
      expect(res.statusCode, measure).toBe(202);
      expect(await stored([body.noticeNo])).toEqual([body.noticeNo]);
    }
  });

  it('refuses in a batch only the items the service refuses; the others are stored', async () => {
    const bodies = [listing(), punishment('restrict-exit'), notice(), punishment('restrict-consumption')];
    refuse(bodies[1]!.noticeNo, 'ALREADY_RESTRICTED', [{ path: 'measure', code: 'ALREADY_RESTRICTED' }]);
    const res = await batch(app, bodies);
    expect(res.statusCode).toBe(200);
    const { accepted, rejected, results } = res.json();
    expect([accepted, rejected]).toEqual([3, 1]);
    expect(results[1]).toMatchObject({
      index: 1,
      ok: false,
      error: { code: 'ALREADY_RESTRICTED', details: [{ path: 'measure', code: 'ALREADY_RESTRICTED' }] },
    });
    expect(await stored(bodies.map((b) => b.noticeNo))).toEqual(
      [bodies[0], bodies[2], bodies[3]].map((b) => b!.noticeNo as string).sort(),
    );
    // Query notices are nobody's to judge: the service heard of the punishment notices only.
    expect(double.checked.some((n) => n.noticeNo === bodies[2]!.noticeNo)).toBe(false);
  });

  it('answers the re-submission of a stored listing as a duplicate, without asking the service again', async () => {
    const body = listing();
    const first = await post(app, body);
    expect(first.statusCode).toBe(202);
    // The service now knows the listing: asked again it would say ALREADY_LISTED.
    refuse(body.noticeNo, 'ALREADY_LISTED');
    const asked = double.checked.length;
    const again = await post(app, body);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true });
    expect(double.checked.length).toBe(asked);
  });

  it('answers a listing sent again while its first sending is being stored as a duplicate, not ALREADY_LISTED', async () => {
    // Three identical listings in parallel: the one asked about first is held back until another has been
    // stored and taken in, and the service (now knowing the listing) refuses it ALREADY_LISTED. It is the same
    // notice, so the court gets its id, as for any re-sending (probing from outside found 202, 202, 409).
    const body = listing();
    let held = true;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    double.beforeAnswer = async (asked) => {
      if (!asked.some((n) => n.noticeNo === body.noticeNo) || !held) return;
      held = false;
      await released;
      refuse(body.noticeNo, 'ALREADY_LISTED', [{ path: 'measure', code: 'ALREADY_LISTED' }]);
    };
    try {
      const first = post(app, body);
      await waitFor(() => (held ? undefined : true));
      const second = await post(app, body);
      expect(second.statusCode).toBe(202);
      release();
      const [late, third] = await Promise.all([first, post(app, body)]);
      expect([late.statusCode, third.statusCode]).toEqual([202, 202]);
      expect(new Set([second, late, third].map((r) => r.json().id)).size).toBe(1);
      expect(await stored([body.noticeNo])).toEqual([body.noticeNo]);
    } finally {
      double.beforeAnswer = undefined;
    }
  });

  it('still refuses a listing the service refuses when no notice of its number has been stored', async () => {
    const body = listing();
    double.beforeAnswer = async () => {
      refuse(body.noticeNo, 'ALREADY_LISTED', [{ path: 'measure', code: 'ALREADY_LISTED' }]);
    };
    try {
      const res = await post(app, body);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('ALREADY_LISTED');
      expect(await stored([body.noticeNo])).toEqual([]);
    } finally {
      double.beforeAnswer = undefined;
    }
  });

  it.each(Object.keys(PUNISHMENTS))(
    'a %s with params null is 400 INVALID_TYPE at params, not stored',
    async (measure) => {
      const body: Record<string, unknown> = { ...punishment(measure), params: null };
      const res = await post(app, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toContainEqual(
        expect.objectContaining({ path: 'params', code: 'INVALID_TYPE' }),
      );
      expect(await stored([String(body.noticeNo)])).toEqual([]);
    },
  );

  it('refuses over gRPC with the same code in the error-code trailer', async () => {
    const c = new CourtServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', auth.authorization);
    const body = listing();
    refuse(body.noticeNo, 'RELISTING_BARRED', [{ path: 'params.ground', code: 'RELISTING_BARRED' }]);
    const err = await new Promise<ServiceError>((resolve) =>
      c.submitNotice({ notice: noticeToProto(body as NoticeSubmission) }, md, (e) => resolve(e!)),
    );
    c.close();
    expect(err.code).toBe(status.FAILED_PRECONDITION);
    expect(err.metadata.get('error-code')[0]).toBe('RELISTING_BARRED');
    expect(await stored([body.noticeNo])).toEqual([]);
  });

  it('is 503 UNAVAILABLE when the service cannot be reached, for those items only, and stores none of them', async () => {
    const body = listing();
    const res = await post(unreachable, body);
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'UNAVAILABLE', details: [{ dependency: 'punishment' }] });
    const bodies = [notice(), punishment('restrict-exit'), punishment('dishonest-list-removal')];
    const many = await batch(unreachable, bodies);
    expect(
      many.json().results.map((r: { ok: boolean; error?: { code: string } }) => r.ok || r.error?.code),
    ).toEqual([true, 'UNAVAILABLE', 'UNAVAILABLE']);
    expect(await stored([body.noticeNo, ...bodies.map((b) => b.noticeNo)])).toEqual([bodies[0]!.noticeNo]);
  });
});

describe('validation of punishment notices', () => {
  it.each([
    ['an unknown ground', listing({ ground: 'owes-money' }), 'params.ground', 'UNKNOWN_GROUND'],
    ['a listing without its ground', listing({}), 'params.ground', 'GROUND_REQUIRED'],
    [
      'an extension beyond 3 years',
      listing({ ground: 'obstructs-enforcement', extensionYears: 4 }),
      'params.extensionYears',
      'EXTENSION_EXCEEDS_RULES',
    ],
    [
      'an extension of a listing on the one ground without a fixed term',
      listing({ ground: 'able-but-refuses', extensionYears: 1 }),
      'params.extensionYears',
      'EXTENSION_NOT_ALLOWED',
    ],
    [
      'an extension for a single ground that is not aggravated',
      listing({ ground: 'breaches-property-report', extensionYears: 2 }),
      'params.extensionYears',
      'EXTENSION_NOT_ALLOWED',
    ],
    [
      'a removal without its reason',
      notice({ measure: 'dishonest-list-removal', targets: [], params: {} }),
      'params.removalReason',
      'REMOVAL_REASON_REQUIRED',
    ],
    [
      'a ground on an inquiry',
      notice({ params: { ground: 'able-but-refuses' } }),
      'params.ground',
      'PARAM_NOT_FOR_MEASURE',
    ],
    [
      'an extension on a consumption restriction',
      notice({ measure: 'restrict-consumption', targets: [], params: { extensionYears: 1 } }),
      'params.extensionYears',
      'PARAM_NOT_FOR_MEASURE',
    ],
    [
      'a removal reason on a listing',
      listing({ ground: 'able-but-refuses', removalReason: 'performed' }),
      'params.removalReason',
      'PARAM_NOT_FOR_MEASURE',
    ],
    [
      'a ground that arose after the removal was issued',
      notice({
        measure: 'dishonest-list-removal',
        targets: [],
        params: { removalReason: 'performed', groundAroseAt: '2026-11-24T09:00:00+08:00' },
      }),
      'params.groundAroseAt',
      'GROUND_AROSE_AFTER_ISSUE',
    ],
    [
      'a term on an exit restriction (the rules set it, not the court)',
      notice({ measure: 'restrict-exit', targets: [], params: { termDays: 2147483647 } }),
      'params.termDays',
      'PARAM_NOT_FOR_MEASURE',
    ],
    [
      'a term on a listing (2 years and its extension, never termDays)',
      listing({ ground: 'evades-enforcement', termDays: 3650 }),
      'params.termDays',
      'PARAM_NOT_FOR_MEASURE',
    ],
    [
      'an amount on an exit restriction',
      notice({ measure: 'restrict-exit', targets: [], params: { amountFen: 5 } }),
      'params.amountFen',
      'PARAM_NOT_FOR_MEASURE',
    ],
    [
      'an account on a consumption restriction',
      notice({ measure: 'restrict-consumption', targets: [], params: { accountNo: '6222020200112233445' } }),
      'params.accountNo',
      'PARAM_NOT_FOR_MEASURE',
    ],
    ['an inquiry without targets', notice({ targets: [] }), 'targets', 'TOO_SHORT'],
  ])(
    'refuses %s with 400 at its field path, asks no one and stores nothing',
    async (_what, body, path, code) => {
      const asked = double.checked.length;
      const res = await post(app, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path, code })]),
      );
      expect(await stored([body.noticeNo])).toEqual([]);
      expect(double.checked.length).toBe(asked);
    },
  );
});

describe('a listing as stored and sealed', () => {
  it('carries its grounds, extension and responsible persons on the wire, under the court seal', async () => {
    const body = notice({
      measure: 'dishonest-list',
      targets: [],
      debtor: {
        kind: 'organisation',
        name: '某某建材有限公司',
        creditCode: '91350100M000100Y43',
        legalRepresentative: { name: '张某', idNumber: '510104198001011236' },
        responsiblePersons: [{ role: 'actual-controller', name: '赵某', idNumber: '510104197503154566' }],
      },
      params: {
        ground: 'obstructs-enforcement',
        otherGrounds: ['breaches-property-report'],
        extensionYears: 2,
      },
    });
    const res = await post(app, body);
    expect(res.statusCode).toBe(202);
    const { id } = res.json();

    const issued = await noticeIssued(id);
    const sealed = issued.notice!;
    expect(sealed.params).toMatchObject({
      ground: 'obstructs-enforcement',
      otherGrounds: ['breaches-property-report'],
      extensionYears: 2,
    });
    expect(sealed.debtor?.responsiblePersons).toEqual([
      { role: 'actual-controller', name: '赵某', idNumber: '510104197503154566' },
    ]);
    // Read back as the court sent it.
    expect(noticeFromProto(sealed)).toMatchObject({ params: body.params, debtor: body.debtor });
    // The seal covers them: change the extension, the ground or a bound person and it no longer verifies.
    const verifier = new SealVerifier('demo');
    expect(verifier.check(sealed, issued.seal)).toEqual({ ok: true });
    const tampered = [
      { ...sealed, params: { ...sealed.params!, extensionYears: 3 } },
      { ...sealed, params: { ...sealed.params!, ground: 'evades-enforcement' } },
      { ...sealed, params: { ...sealed.params!, otherGrounds: [] } },
      { ...sealed, debtor: { ...sealed.debtor!, responsiblePersons: [] } },
    ];
    for (const t of tampered)
      expect(verifier.check(t, issued.seal)).toEqual({ ok: false, code: 'SEAL_INVALID' });
  });
});

async function noticeIssued(noticeId: string): Promise<NoticeIssued> {
  const consumer = app.runtime.kafka.consumer({ groupId: `${iso.namespace}-seal-${noticeId}` });
  let found: NoticeIssued | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topicName('noticesPunishment', iso.topicPrefix), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const issued = payloadAs(decodeEnvelope(message.value!), 'noticeIssued');
        if (issued?.noticeId === noticeId) found = issued;
      },
    });
    await waitFor(() => found !== undefined, { what: 'NoticeIssued of the listing on Kafka' });
  } finally {
    await consumer.disconnect();
  }
  return found!;
}
