/**
 * Control notices the hub can already tell will fail are refused before they are stored: a 4xx with a
 * stable code and the field path, no notice row, no NoticeIssued, nothing in the freeze-deduct service.
 * The gateway asks the freeze-deduct service (its holds, owed record and notices in flight) and the case's
 * property report; REST single and batch, and gRPC, share that path.
 */
import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { CourtServiceClient, noticeToProto } from '@hub/contracts';
import { type NoticeSubmission, scaledClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../src/services.js';
import { type RunningStack, startStack } from '../src/stack.js';
import { COURT_KEYS, client, controlNotice, freeAccount } from './control-fixtures.js';

// A hub day passes in about 86 s: a 30-day freeze stays in force for the whole test.
const SCALE = 1_000;
const SEED = 42;
const BANKS = ['ICBC', 'CCB', 'ABC'];
const iso = isolate();
let stack: RunningStack;
const gateway = () => stack.urls.get('gateway')!;
const c = client(gateway);
const poolOf = (name: string) =>
  (stack.apps.get(name) as unknown as { runtime: { pool: Pool } }).runtime.pool;

let found: Awaited<ReturnType<typeof freeAccount>>;
let frozenFen = 0;
let owedFen = 0;
const CASE_A = '(2026)川0104执8101号';
const CASE_B = '(2026)川0105执8101号';
/** A bank account number no debtor of the population has. */
const STRANGER_ACCOUNT = '6222000000000000001';

beforeAll(async () => {
  const env = hubEnv(iso, {
    HUB_TIME_SCALE: String(SCALE),
    SIM_SEED: String(SEED),
    HUB_INSTITUTIONS: BANKS.map((b) => `bank:${b}`).join(','),
    GATEWAY_COURT_KEYS: COURT_KEYS,
  });
  stack = await startStack(Object.keys(SERVICES), env, {
    logger: createLogger({ service: 'control-admission-test', level: 'warn' }),
    clock: scaledClock({ scale: SCALE, origin: new Date() }),
  });
  // Court A freezes part of an account it found by its inquiry; court B freezes a little of it too.
  found = await freeAccount(c, gateway, SEED, BANKS, CASE_A);
  frozenFen = Math.min(Math.floor(found.freeFen / 2), 1_000_000);
  owedFen = frozenFen + 1_000;
  const at = { agency: 'bank', institution: found.institution };
  const a = await c.post(
    controlNotice(
      'a',
      CASE_A,
      'freeze',
      at,
      { amountFen: frozenFen, termDays: 30, accountNo: found.accountNo, owedFen },
      found.idNumber,
    ),
  );
  expect(a.status).toBe(202);
  await c.completed(a.body.id, 'court A’s freeze completed');
  const b = await c.post(
    controlNotice(
      'b',
      CASE_B,
      'freeze',
      at,
      { amountFen: 100, termDays: 30, accountNo: found.accountNo },
      found.idNumber,
    ),
    'b',
  );
  expect(b.status).toBe(202);
  await c.completed(b.body.id, 'court B’s freeze completed', 'b');
  const held = await c.controls(CASE_A);
  expect(held.body.holds).toEqual([expect.objectContaining({ state: 'effective', frozenFen })]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

const at = () => ({ agency: 'bank', institution: found.institution });
const notice = (court: 'a' | 'b', caseNo: string, measure: string, params: Record<string, unknown>) =>
  controlNotice(court, caseNo, measure, at(), params, found.idNumber);

/** Nothing of the notice is stored: no row at the gateway (its NoticeIssued commits with it, or not at all). */
const storedAtGateway = async (noticeNos: string[]) =>
  (
    await poolOf('gateway').query<{ notice_no: string }>(
      'SELECT notice_no FROM notices WHERE notice_no = ANY($1::text[])',
      [noticeNos],
    )
  ).rows.map((r) => r.notice_no);
/** The freeze-deduct service's notices of a case (it learns of a notice only from its NoticeIssued). */
const takenIn = async (caseNo: string) =>
  (await poolOf('freeze-deduct').query('SELECT id FROM notices WHERE case_no = $1', [caseNo])).rows.length;

describe('control notices refused before storage (REST)', () => {
  it.each([
    {
      what: 'a deduction without a freeze of the case',
      make: () =>
        notice('a', '(2026)川0104执8102号', 'deduct', { amountFen: 100, accountNo: found.accountNo }),
      status: 409,
      code: 'DEDUCT_WITHOUT_FREEZE',
      path: 'params.accountNo',
    },
    {
      what: 'a deduction above the frozen amount',
      make: () => notice('a', CASE_A, 'deduct', { amountFen: frozenFen + 1, accountNo: found.accountNo }),
      status: 409,
      code: 'DEDUCT_EXCEEDS_FROZEN',
      path: 'params.amountFen',
    },
    {
      what: 'a freeze beyond what is still owed',
      make: () =>
        notice('a', CASE_A, 'freeze', { amountFen: 2_000, termDays: 30, accountNo: found.accountNo }),
      status: 409,
      code: 'FREEZE_EXCEEDS_OWED',
      path: 'params.amountFen',
    },
    {
      what: 'a release of another court’s hold',
      make: () => notice('b', '(2026)川0105执8103号', 'release', { accountNo: found.accountNo }),
      status: 403,
      code: 'HOLD_OF_ANOTHER_COURT',
      path: 'params.accountNo',
    },
    {
      what: 'a renewal where the court holds nothing',
      make: () =>
        notice('a', CASE_A, 'renew-freeze', { amountFen: 100, termDays: 30, accountNo: STRANGER_ACCOUNT }),
      status: 409,
      code: 'NO_HOLD',
      path: 'params.accountNo',
    },
    {
      what: 'a freeze of an account the case’s property report never found at that bank',
      make: () =>
        notice('a', CASE_A, 'freeze', { amountFen: 100, termDays: 30, accountNo: STRANGER_ACCOUNT }),
      status: 422,
      code: 'UNKNOWN_ACCOUNT',
      path: 'params.accountNo',
    },
  ])('$what: $status $code, nothing stored', async ({ make, status, code, path }) => {
    const body = make();
    const res = await c.post(body, body.court.code === '川0104' ? 'a' : 'b');
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path, code })]);
    expect(await storedAtGateway([body.noticeNo])).toEqual([]);
  });

  it('a deduction beyond what is still owed: 409 DEDUCT_EXCEEDS_OWED once part was deducted', async () => {
    const first = await c.post(notice('a', CASE_A, 'deduct', { amountFen: 100, accountNo: found.accountNo }));
    expect(first.status).toBe(202);
    await c.completed(first.body.id, 'the first deduction completed');
    // The notice states the case owes less than before: 100 is deducted, so at most owed − 100 may follow.
    const stated = Math.floor(frozenFen / 2);
    const body = notice('a', CASE_A, 'deduct', {
      amountFen: stated - 99,
      owedFen: stated,
      accountNo: found.accountNo,
    });
    const res = await c.post(body);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'DEDUCT_EXCEEDS_OWED',
      details: [{ path: 'params.amountFen', code: 'DEDUCT_EXCEEDS_OWED', limitFen: stated - 100 }],
    });
    expect(await storedAtGateway([body.noticeNo])).toEqual([]);
    // Refused notices state nothing: what is owed is still what the freeze stated.
    expect((await c.controls(CASE_A)).body.totals).toMatchObject({ owedFen, deductedFen: 100 });
  });

  it('a renewal or release of a released hold: 409 HOLD_NOT_LIVE naming the hold’s state', async () => {
    const caseNo = '(2026)川0104执8104号';
    const placed = await c.post(
      notice('a', caseNo, 'freeze', { amountFen: 100, termDays: 30, accountNo: found.accountNo }),
    );
    await c.completed(placed.body.id, 'a small freeze completed');
    const release = await c.post(notice('a', caseNo, 'release', { accountNo: found.accountNo }));
    expect(release.status).toBe(202);
    await c.completed(release.body.id, 'its release completed');
    for (const [measure, params] of [
      ['renew-freeze', { amountFen: 100, termDays: 30, accountNo: found.accountNo }],
      ['release', { accountNo: found.accountNo }],
    ] as const) {
      const body = notice('a', caseNo, measure, params);
      const res = await c.post(body);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: 'HOLD_NOT_LIVE',
        details: [{ path: 'params.accountNo', code: 'HOLD_NOT_LIVE', state: 'released' }],
      });
      expect(await storedAtGateway([body.noticeNo])).toEqual([]);
    }
  });

  it('a renewal of a hold that lapsed: 409 HOLD_NOT_LIVE naming its state', async () => {
    const caseNo = '(2026)川0104执8107号';
    const placed = await c.post(
      notice('a', caseNo, 'freeze', { amountFen: 100, termDays: 30, accountNo: found.accountNo }),
    );
    await c.completed(placed.body.id, 'a small freeze completed');
    // Stands for the lapse timer having fired (services/freeze-deduct/test/hold-timers.test.ts proves it does).
    await poolOf('freeze-deduct').query(
      "UPDATE holds SET state = 'lapsed', frozen_fen = 0 WHERE case_no = $1",
      [caseNo],
    );
    const body = notice('a', caseNo, 'renew-freeze', {
      amountFen: 100,
      termDays: 30,
      accountNo: found.accountNo,
    });
    const res = await c.post(body);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'HOLD_NOT_LIVE',
      details: [{ path: 'params.accountNo', code: 'HOLD_NOT_LIVE', state: 'lapsed' }],
    });
    expect(await storedAtGateway([body.noticeNo])).toEqual([]);
  });

  it('an amount beyond a safe integer or a term beyond the legal maximum: 400 with the field path', async () => {
    for (const [params, path, code] of [
      [{ amountFen: 2 ** 53 + 2, accountNo: found.accountNo }, 'params.amountFen', 'NUMBER_OUT_OF_RANGE'],
      [
        { amountFen: 100, termDays: 367, accountNo: found.accountNo },
        'params.termDays',
        'TERM_EXCEEDS_LIMIT',
      ],
    ] as const) {
      const body = notice(
        'a',
        CASE_A,
        'amountFen' in params && !('termDays' in params) ? 'deduct' : 'freeze',
        {
          ...params,
        },
      );
      const res = await c.post(body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path, code }));
      expect(await storedAtGateway([body.noticeNo])).toEqual([]);
    }
  });

  it('a batch answers per item: the bad control notice alone is refused, the others are stored', async () => {
    const bad = notice('a', '(2026)川0104执8105号', 'deduct', { amountFen: 100, accountNo: found.accountNo });
    const good = notice('a', '(2026)川0104执8106号', 'freeze', {
      amountFen: 100,
      termDays: 30,
      accountNo: found.accountNo,
    });
    const res = await c.batch([good, bad]);
    expect(res.status).toBe(200);
    expect(
      res.body.results.map((r: { ok: boolean; error?: { code: string } }) => r.ok || r.error?.code),
    ).toEqual([true, 'DEDUCT_WITHOUT_FREEZE']);
    expect(await storedAtGateway([good.noticeNo, bad.noticeNo])).toEqual([good.noticeNo]);
    await c.completed(res.body.results[0]!.id, 'the good item completed');
    // The freeze-deduct service heard only of the stored one.
    expect(await takenIn('(2026)川0104执8105号')).toBe(0);
    expect(await takenIn('(2026)川0104执8106号')).toBe(1);
  });

  it('re-submitting a stored notice returns its id (duplicates are not judged again)', async () => {
    const body = notice('a', CASE_A, 'deduct', { amountFen: 100, accountNo: found.accountNo });
    const first = await c.post(body);
    expect(first.status).toBe(202);
    await c.completed(first.body.id, 'the deduction completed');
    const again = await c.post(body);
    expect(again).toMatchObject({ status: 202, body: { id: first.body.id, duplicate: true } });
  });
});

describe('control notices that no longer pass at intake', () => {
  it('two deductions that fit alone but not together, accepted in one batch: the second fails at intake with its code, never sent', async () => {
    const caseNo = '(2026)川0104执8108号';
    const placed = await c.post(
      notice('a', caseNo, 'freeze', { amountFen: 1_000, termDays: 30, accountNo: found.accountNo }),
    );
    await c.completed(placed.body.id, 'the freeze completed');
    // Each is judged alone against what is stored, so the gateway accepts both…
    const deduct = () => notice('a', caseNo, 'deduct', { amountFen: 600, accountNo: found.accountNo });
    const res = await c.batch([deduct(), deduct()]);
    expect(res.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true]);
    const [first, second] = await Promise.all(
      res.body.results.map((r: { id: string }) => c.completed(r.id, 'a deduction settled')),
    );
    // …and intake, taking them in order with the first in flight, fails the second's request visibly.
    const views = [first!, second!] as {
      requests: { id: string; status: string }[];
      timeline: { event: string; detail: string | null }[];
    }[];
    const outcomes = views.map((v) => v.requests.map((r) => r.status));
    expect(outcomes.sort()).toEqual([['done'], ['failed']]);
    const failed = views.find((v) => v.requests[0]!.status === 'failed')!;
    expect(failed.timeline).toContainEqual(
      expect.objectContaining({
        event: 'RequestFailed',
        detail: `${found.institution}: DEDUCT_EXCEEDS_FROZEN`,
      }),
    );
    // Never sent: the bank's adapter never had it, and the agency moved money once for the case.
    const { rows } = await poolOf('adapter-bank').query('SELECT id FROM requests WHERE id = $1', [
      failed.requests[0]!.id,
    ]);
    expect(rows).toEqual([]);
    const sim = stack.apps.get('agency-sim') as unknown as {
      http: {
        inject(o: object): Promise<{
          json(): {
            transfers: { requestId: string; caseNo: string; amountFen: number; transferRef: string }[];
          };
        }>;
      };
    };
    const { transfers } = (await sim.http.inject({ method: 'GET', url: '/v1/sim/transfers' })).json();
    expect(
      transfers
        .filter((t: { caseNo: string }) => t.caseNo === caseNo)
        .map((t: { amountFen: number }) => t.amountFen),
    ).toEqual([600]);
    const held = await c.controls(caseNo);
    expect(held.body.holds).toEqual([expect.objectContaining({ frozenFen: 400, deductedFen: 600 })]);
    // The hub keeps the agency's transfer reference with what the request moved.
    const recorded = await poolOf('freeze-deduct').query(
      'SELECT d.request_id, d.amount_fen, d.transfer_ref FROM deductions d JOIN holds h ON h.id = d.hold_id WHERE h.case_no = $1',
      [caseNo],
    );
    const transfer = transfers.find((t: { caseNo: string }) => t.caseNo === caseNo)!;
    expect(recorded.rows.map((r) => [r.request_id, Number(r.amount_fen), r.transfer_ref])).toEqual([
      [transfer.requestId, 600, transfer.transferRef],
    ]);
    // … and shows it in the case's controls.
    expect(held.body.deductions).toEqual([
      expect.objectContaining({
        requestId: transfer.requestId,
        amountFen: 600,
        transferRef: transfer.transferRef,
      }),
    ]);
  });
});

describe('control notices refused before storage (gRPC)', () => {
  it('SubmitNotice answers FAILED_PRECONDITION with the same code and details, and stores nothing', async () => {
    const grpcPort = (stack.apps.get('gateway') as unknown as { grpcPort: number }).grpcPort;
    const court = new CourtServiceClient(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', 'Bearer demo-court-key');
    const body = notice('a', '(2026)川0104执8107号', 'deduct', {
      amountFen: 100,
      accountNo: found.accountNo,
    });
    const err = await new Promise<ServiceError>((resolve) =>
      court.submitNotice({ notice: noticeToProto(body as NoticeSubmission) }, md, (e) => resolve(e!)),
    );
    court.close();
    expect(err.code).toBe(status.FAILED_PRECONDITION);
    expect(err.metadata.get('error-code')[0]).toBe('DEDUCT_WITHOUT_FREEZE');
    expect(JSON.parse(String(err.metadata.get('error-details')[0]))).toEqual([
      expect.objectContaining({ path: 'params.accountNo', code: 'DEDUCT_WITHOUT_FREEZE' }),
    ]);
    expect(await storedAtGateway([body.noticeNo])).toEqual([]);
  });
});

describe('two courts at once', () => {
  it('a concurrent mix of good and bad control notices: only the bad ones fail, each with its code', async () => {
    type Sent = { court: 'a' | 'b'; body: ReturnType<typeof notice>; expect: string };
    const mix: Sent[] = [];
    for (let i = 0; i < 4; i++) {
      for (const court of ['a', 'b'] as const) {
        const code = court === 'a' ? '川0104' : '川0105';
        const own = `(2026)${code}执82${court === 'a' ? 1 : 2}${i}号`;
        mix.push(
          {
            court,
            body: notice(court, own, 'freeze', { amountFen: 100, termDays: 30, accountNo: found.accountNo }),
            expect: 'ok',
          },
          {
            court,
            body: notice(court, `${own.slice(0, -1)}9号`, 'deduct', {
              amountFen: 100,
              accountNo: found.accountNo,
            }),
            expect: 'DEDUCT_WITHOUT_FREEZE',
          },
          {
            court,
            body: notice(court, `${own.slice(0, -1)}8号`, 'release', { accountNo: found.accountNo }),
            expect: 'HOLD_OF_ANOTHER_COURT',
          },
        );
      }
    }
    // Half sent one by one, half in one batch per court, all at the same time.
    const singles = mix.filter((_, i) => i % 2 === 0);
    const batched = mix.filter((_, i) => i % 2 === 1);
    const outcome = new Map<Sent, string>();
    await Promise.all([
      ...singles.map(async (s) => {
        const res = await c.post(s.body, s.court);
        outcome.set(s, res.status === 202 ? 'ok' : res.body.error.code);
      }),
      ...(['a', 'b'] as const).map(async (court) => {
        const mine = batched.filter((s) => s.court === court);
        const res = await c.batch(
          mine.map((s) => s.body),
          court,
        );
        mine.forEach((s, i) => {
          const r = res.body.results[i]!;
          outcome.set(s, r.ok ? 'ok' : String(r.error?.code));
        });
      }),
    ]);
    expect(mix.map((s) => outcome.get(s))).toEqual(mix.map((s) => s.expect));
    const good = mix.filter((s) => s.expect === 'ok').map((s) => s.body.noticeNo);
    expect((await storedAtGateway(mix.map((s) => s.body.noticeNo))).sort()).toEqual(good.sort());
    // Every good freeze is carried out.
    await waitFor(
      async () => {
        const { rows } = await poolOf('freeze-deduct').query(
          `SELECT count(*)::int AS n FROM notices WHERE case_no LIKE '(2026)川010_执82__号' AND status = 'completed'`,
        );
        return rows[0].n === good.length;
      },
      { what: 'the good freezes completed', timeoutMs: 60_000 },
    );
  });
});
