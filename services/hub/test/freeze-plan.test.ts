import { expectedQuery, personAt } from '@hub/agency-sim';
import { scaledClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../src/services.js';
import { type RunningStack, startStack } from '../src/stack.js';
import { queryNotice } from './demo-notice.js';

// A hub day passes in about 86 s: every freeze stays in force for the whole test.
const SCALE = 1_000;
const SEED = 42;
const BANKS = ['ICBC', 'CCB', 'ABC'];
const iso = isolate();
let stack: RunningStack;
let gateway = '';
const auth = { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' };
const officer = { name: '王法官', phone: '028-00000000' };

beforeAll(async () => {
  const env = hubEnv(iso, {
    HUB_TIME_SCALE: String(SCALE),
    SIM_SEED: String(SEED),
    HUB_INSTITUTIONS: BANKS.map((b) => `bank:${b}`).join(','),
    GATEWAY_COURT_KEYS: 'demo-court-key=川0104,other-court-key=川0105',
    // A fresh inquiry asks the banks again (reconciliation needs today's books, not a reused answer).
    QUERY_REUSE_WINDOW_HOURS: '0',
  });
  stack = await startStack(Object.keys(SERVICES), env, {
    logger: createLogger({ service: 'freeze-plan-test', level: 'warn' }),
    clock: scaledClock({ scale: SCALE, origin: new Date() }),
  });
  gateway = stack.urls.get('gateway')!;
});

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

const encoded = (caseNo: string) => encodeURIComponent(caseNo);
const postJson = async (path: string, body: unknown, headers: Record<string, string> = auth) => {
  const res = await fetch(`${gateway}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: Err } };
};
type Err = { code: string; details: { path: string; code: string }[] };
type Plan = {
  planId: string;
  replayed: boolean;
  owedFen: number;
  heldFen: number;
  plannedFen: number;
  reason: string | null;
  notices: {
    id: string;
    noticeNo: string;
    measure: string;
    institution: string;
    asset: { kind: string; key: string };
    amountFen: number;
    duplicate: boolean;
  }[];
};
const plan = async (caseNo: string, body: unknown, key?: string) => {
  const r = await postJson(
    `/v1/cases/${encoded(caseNo)}/freeze-plan`,
    body,
    key ? { ...auth, 'idempotency-key': key } : auth,
  );
  return { status: r.status, body: r.body as unknown as Plan & { error?: Err } };
};
const completed = (id: string, what: string) =>
  waitFor(
    async () => {
      const v = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers: auth })).json()) as {
        status: string;
      };
      return v.status === 'completed' ? v : undefined;
    },
    { what, timeoutMs: 30_000, intervalMs: 100 },
  );
type Controls = {
  totals: { owedFen: number | null; frozenFen: number; deductedFen: number };
  holds: { institution: string; asset: { key: string }; state: string; frozenFen: number }[];
  pending: unknown[];
};
type Reconciliation = {
  caseNo: string;
  books: { institution: string; reportedAt: string }[];
  checked: number;
  discrepancies: {
    kind: string;
    institution: string;
    asset: { kind: string; key: string };
    hub: { state: string; queuePosition: number; amountFen: number | null } | null;
    agency: { queuePosition: number; amountFen: number | null }[];
  }[];
  unchecked: unknown[];
  unreadable: string[];
};
const controls = async (caseNo: string) =>
  (await (
    await fetch(`${gateway}/v1/cases/${encoded(caseNo)}/controls`, { headers: auth })
  ).json()) as Controls;
const poolOf = (name: string) =>
  (stack.apps.get(name) as unknown as { runtime: { pool: Pool } }).runtime.pool;

/** The `nth` person of the mock population with money free to freeze at each of the three banks. */
function debtorWithThreeBanks(nth: number): string {
  let found = 0;
  for (let i = 0; i < 20_000; i++) {
    const { idNumber } = personAt(SEED, i);
    const free = BANKS.every((b) =>
      (
        (expectedQuery(SEED, 'bank', b, idNumber).accounts ?? []) as {
          balanceFen: number;
          frozenFen: number;
        }[]
      ).some((a) => a.balanceFen - a.frozenFen > 0),
    );
    if (free && found++ === nth) return idNumber;
  }
  throw new Error('no such person in the population');
}

/** A debtor with money at all three connected banks, inquired about for `caseNo` as a court would. */
/** Files one control notice of the case at one bank (its number `<caseNo>-<mark>`). */
function fileAtBank(
  caseNo: string,
  idNumber: string,
  mark: string,
  measure: string,
  institution: string,
  params: Record<string, unknown>,
) {
  return postJson('/v1/notices', {
    ...queryNotice(idNumber, mark),
    noticeNo: `${caseNo}-${mark}`,
    caseNo,
    legalBasis: `${caseNo}执行裁定书`,
    measure,
    targets: [{ agency: 'bank', institution }],
    params,
  });
}

async function inquire(caseNo: string, nth: number) {
  const idNumber = debtorWithThreeBanks(nth);
  const inquiry = await postJson('/v1/notices', {
    ...queryNotice(idNumber, `p${Date.now().toString(36)}`),
    noticeNo: `${caseNo}-查${Date.now().toString(36)}`,
    caseNo,
    legalBasis: `${caseNo}执行裁定书`,
    targets: [{ agency: 'bank' }],
  });
  expect(inquiry.status).toBe(202);
  await completed(inquiry.body.id as string, 'the inquiry completed');
  const report = (await (
    await fetch(`${gateway}/v1/cases/${encoded(caseNo)}/property-report`, { headers: auth })
  ).json()) as {
    debtors: {
      agencies: {
        institution: string;
        facts: { kind: string; key: string; amountFen: number; detail: { frozenFen?: number } }[];
      }[];
    }[];
  };
  const free = report.debtors[0]!.agencies.flatMap((a) =>
    a.facts
      .filter((f) => f.kind === 'deposit')
      .map((f) => ({
        institution: a.institution,
        accountNo: f.key,
        freeFen: f.amountFen - (f.detail.frozenFen ?? 0),
      }))
      .filter((f) => f.freeFen > 0),
  );
  return { idNumber, free: free.sort((a, b) => b.freeFen - a.freeFen) };
}

describe('freeze plan (查冻扣一体)', () => {
  it('a case without a property report is 409 NO_PROPERTY_REPORT, and bad bodies are 400 with field paths; nothing stored', async () => {
    const caseNo = '(2026)川0104执8101号';
    const none = await plan(caseNo, { owedFen: 100_000, officer, legalBasis: `${caseNo}执行裁定书` });
    expect(none.status).toBe(409);
    expect(none.body.error?.code).toBe('NO_PROPERTY_REPORT');

    const bad = await plan(caseNo, { owedFen: '100', officer: {}, legalBasis: '', seal: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error?.details.map((d) => d.path).sort()).toEqual(
      ['legalBasis', 'officer.name', 'owedFen', 'seal'].sort(),
    );
    // The officer's phone refused with its own code and words (it read code INVALID_FORMAT, message INVALID_PHONE).
    const phone = await plan(caseNo, {
      owedFen: 100,
      officer: { ...officer, phone: 'call me' },
      legalBasis: `${caseNo}执行裁定书`,
    });
    expect(phone.body.error?.details).toEqual([
      expect.objectContaining({
        path: 'officer.phone',
        code: 'INVALID_PHONE',
        message: 'not a phone number',
      }),
    ]);
    const beyond = await plan(caseNo, {
      owedFen: 2 ** 53,
      termDays: 400,
      officer,
      legalBasis: `${caseNo}执行裁定书`,
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error?.details.map((d) => [d.path, d.code])).toEqual([
      ['owedFen', 'NUMBER_OUT_OF_RANGE'],
      ['owedFen', 'TOO_BIG'],
    ]);
    const tooLong = await plan(caseNo, {
      owedFen: 1,
      termDays: 400,
      officer,
      legalBasis: `${caseNo}执行裁定书`,
    });
    expect(tooLong.body.error?.details).toEqual([
      expect.objectContaining({ path: 'termDays', code: 'TERM_EXCEEDS_LIMIT' }),
    ]);
    expect((await plan(caseNo, {})).status).toBe(400);
    const noAuth = await postJson(
      `/v1/cases/${encoded(caseNo)}/freeze-plan`,
      {},
      { 'content-type': 'application/json' },
    );
    expect(noAuth.status).toBe(401);

    const fd = poolOf('freeze-deduct');
    expect((await fd.query('SELECT 1 FROM freeze_plans WHERE case_no = $1', [caseNo])).rowCount).toBe(0);
    expect((await fd.query('SELECT 1 FROM case_owed WHERE case_no = $1', [caseNo])).rowCount).toBe(0);
  });

  it('a debtor with three banks: the plan freezes no more than owed, largest balances first, and /controls shows exactly owed frozen', async () => {
    const caseNo = '(2026)川0104执8102号';
    const { free, idNumber } = await inquire(caseNo, 0);
    expect(new Set(free.map((f) => f.institution))).toEqual(new Set(BANKS));
    const freeTotal = free.reduce((t, f) => t + f.freeFen, 0);
    // More than the largest account holds, less than all of them: at least two accounts, not all money.
    const owedFen = Math.min(freeTotal - 1, free[0]!.freeFen + Math.ceil(free[1]!.freeFen / 2));
    const key = `plan-${Date.now().toString(36)}`;
    const body = { owedFen, officer, legalBasis: `${caseNo}执行裁定书` };

    const made = await plan(caseNo, body, key);
    expect(made.status).toBe(202);
    expect(made.body).toMatchObject({
      owedFen,
      heldFen: 0,
      plannedFen: owedFen,
      replayed: false,
      reason: null,
    });
    const notices = made.body.notices;
    expect(notices.map((n) => [n.asset.key, n.amountFen])).toEqual([
      [free[0]!.accountNo, free[0]!.freeFen],
      [free[1]!.accountNo, owedFen - free[0]!.freeFen],
    ]);
    expect(new Set(notices.map((n) => `${n.institution}|${n.asset.key}`)).size).toBe(notices.length);

    // The same key again: the same plan and the same notices, nothing issued twice.
    const again = await plan(caseNo, body, key);
    expect(again.status).toBe(202);
    expect(again.body.replayed).toBe(true);
    expect(again.body.notices.map((n) => [n.id, n.duplicate])).toEqual(notices.map((n) => [n.id, true]));
    // The same key for another plan is a conflict.
    expect((await plan(caseNo, { ...body, owedFen: owedFen + 1 }, key)).body.error?.code).toBe(
      'PLAN_CONFLICT',
    );

    for (const n of notices) await completed(n.id, `freeze ${n.noticeNo} completed`);
    const after = await waitFor(
      async () => ((c) => c.holds.length === notices.length && c)(await controls(caseNo)),
      { what: 'the planned holds in /controls' },
    );
    expect(after.totals).toEqual({ owedFen, frozenFen: owedFen, deductedFen: 0 });
    expect(after.holds.every((h) => h.state === 'effective')).toBe(true);

    // Nothing more to freeze: a new plan says so and issues nothing.
    const more = await plan(caseNo, body, `${key}-2`);
    expect(more.status).toBe(200);
    expect(more.body).toMatchObject({
      notices: [],
      plannedFen: 0,
      heldFen: owedFen,
      reason: 'OWED_ALREADY_HELD',
    });

    // What is owed came from the plan, audited.
    const { rows } = await poolOf('freeze-deduct').query(
      'SELECT from_fen, to_fen, source, officer FROM case_owed_history WHERE case_no = $1 ORDER BY seq',
      [caseNo],
    );
    expect(rows.map((r) => [r.from_fen, Number(r.to_fen), r.source, r.officer])).toEqual([
      [null, owedFen, 'freeze-plan', officer.name],
    ]);

    // Part deducted; then what is owed may not be stated below it, by a plan or by a notice: nothing recorded.
    const held = after.holds[0]!;
    const stamp = Date.now().toString(36);
    const deduct = await fileAtBank(caseNo, idNumber, `扣${stamp}`, 'deduct', held.institution, {
      amountFen: 5_000,
      accountNo: held.asset.key,
    });
    expect(deduct.status).toBe(202);
    await completed(deduct.body.id as string, 'the deduction completed');
    const below = await plan(caseNo, { ...body, owedFen: 4_999 }, `${key}-below`);
    expect(below.status).toBe(409);
    expect(below.body.error).toMatchObject({
      code: 'OWED_BELOW_DEDUCTED',
      details: [{ path: 'owedFen', deductedFen: 5_000 }],
    });
    const stated = await fileAtBank(caseNo, idNumber, `冻${stamp}b`, 'freeze', held.institution, {
      amountFen: 1,
      termDays: 30,
      accountNo: held.asset.key,
      owedFen: 4_999,
    });
    expect(stated.status).toBe(409);
    expect(stated.body.error).toMatchObject({ code: 'OWED_BELOW_DEDUCTED' });
    expect((await controls(caseNo)).totals.owedFen).toBe(owedFen);
  });

  it('money frozen beyond what is owed, once the court states it, is released automatically, latest holds first, once', async () => {
    const caseNo = '(2026)川0104执8103号';
    const { idNumber, free } = await inquire(caseNo, 1);
    // The largest account at each bank, each frozen at once before the court states what is owed (a freeze
    // beyond a stated owed amount is refused at the door: FREEZE_EXCEEDS_OWED).
    const perBank = BANKS.map((b) => free.find((f) => f.institution === b)!);
    const owedFen = Math.min(...perBank.map((f) => f.freeFen)) + 1;
    const amounts = perBank.map((f) => Math.min(f.freeFen, owedFen));
    const heldFen = amounts.reduce((t, a) => t + a, 0);
    const stamp = Date.now().toString(36);
    const filed = await Promise.all(
      perBank.map((f, i) =>
        fileAtBank(caseNo, idNumber, `冻${stamp}-${i}`, 'freeze', f.institution, {
          amountFen: amounts[i],
          termDays: 30,
          accountNo: f.accountNo,
        }),
      ),
    );
    expect(filed.map((f) => f.status)).toEqual([202, 202, 202]);
    for (const f of filed) await completed(f.body.id as string, 'a freeze completed');
    // Now the court states what is owed, with a freeze plan: nothing is left to plan, and what the case holds
    // beyond it is more than the law allows to keep frozen.
    const stated = await plan(caseNo, { owedFen, officer, legalBasis: `${caseNo}执行裁定书` });
    expect(stated.status).toBe(200);
    expect(stated.body).toMatchObject({ reason: 'OWED_ALREADY_HELD', notices: [] });

    // The hub notices the excess and releases it: /controls comes down to exactly what is owed.
    const settled = await waitFor(
      async () =>
        ((c) => c.totals.frozenFen === owedFen && c.pending.length === 0 && c)(await controls(caseNo)),
      { what: 'the excess released', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(settled.totals).toEqual({ owedFen, frozenFen: owedFen, deductedFen: 0 });
    expect(settled.holds.some((h) => h.state === 'released')).toBe(true);
    // The latest holds gave up the excess: the earliest keeps all it froze (holds placed in the same instant
    // are ordered by id, so which of them is "earliest" is not for the test to say).
    const whole = settled.holds.filter(
      (h) =>
        h.state === 'effective' &&
        h.frozenFen === amounts[perBank.findIndex((f) => f.accountNo === h.asset.key)],
    );
    expect(whole.length).toBeGreaterThan(0);

    // Each release is the court's notice, sealed and tracked like any; the excess was released exactly once.
    const { rows: releases } = await poolOf('gateway').query(
      `SELECT id, body FROM notices WHERE case_no = $1 AND measure = 'release' ORDER BY received_at`,
      [caseNo],
    );
    expect(releases.length).toBeGreaterThan(0);
    for (const r of releases) {
      expect(r.body).toMatchObject({ court: { code: '川0104' }, debtor: { idNumber }, measure: 'release' });
      await completed(r.id, 'a release of excess completed');
    }
    const released = releases.reduce((t, r) => t + (r.body.params.amountFen as number), 0);
    expect(released).toBe(heldFen - owedFen);
    const { rows } = await poolOf('freeze-deduct').query(
      'SELECT amount_fen, settled_at FROM excess_releases WHERE case_no = $1',
      [caseNo],
    );
    expect(rows.reduce((t, r) => t + Number(r.amount_fen), 0)).toBe(heldFen - owedFen);
    expect(rows.every((r) => r.settled_at !== null)).toBe(true);
  });

  it('reconciliation (对账): after a freeze and a fresh inquiry the books agree; a hold the hub got wrong is listed by kind', async () => {
    const caseNo = '(2026)川0104执8104号';
    const path = `/v1/cases/${encoded(caseNo)}/reconciliation`;
    const reconcile = async (headers = auth) => {
      const res = await fetch(`${gateway}${path}`, { headers });
      return { status: res.status, body: (await res.json()) as Reconciliation & { error?: Err } };
    };
    const { free } = await inquire(caseNo, 2);
    const owedFen = free[0]!.freeFen;
    const made = await plan(caseNo, { owedFen, officer, legalBasis: `${caseNo}执行裁定书` });
    expect(made.body.notices).toHaveLength(1);
    await completed(made.body.notices[0]!.id, 'the freeze completed');
    const account = { kind: 'account', key: free[0]!.accountNo };

    // The books of the first inquiry predate the freeze: the bank's answer then showed no hold of the case.
    const stale = await reconcile();
    expect(stale.status).toBe(200);
    expect(stale.body.discrepancies.map((d) => [d.kind, d.institution, d.asset])).toEqual([
      ['missing-at-agency', free[0]!.institution, account],
    ]);

    // A fresh inquiry reads the books again: they agree with the hub.
    const asked = Date.now();
    await inquire(caseNo, 2);
    const fresh = await reconcile();
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({
      caseNo,
      checked: 1,
      discrepancies: [],
      unchecked: [],
      unreadable: [],
    });
    expect(fresh.body.books.map((b) => b.institution).sort()).toEqual([...BANKS].sort());
    for (const b of fresh.body.books) expect(Date.parse(b.reportedAt)).toBeGreaterThan(asked - 1);

    // A missed answer stands for itself: the hub's hold records less than the bank froze.
    await poolOf('freeze-deduct').query(
      'UPDATE holds SET frozen_fen = frozen_fen - 1 WHERE case_no = $1 AND asset_key = $2',
      [caseNo, account.key],
    );
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await reconcile();
      times.push(performance.now() - t0);
    }
    const wrong = await reconcile();
    expect(wrong.body.discrepancies).toEqual([
      {
        kind: 'amount',
        institution: free[0]!.institution,
        asset: account,
        hub: expect.objectContaining({ state: 'effective', queuePosition: 0, amountFen: owedFen - 1 }),
        agency: [expect.objectContaining({ queuePosition: 0, amountFen: owedFen })],
      },
    ]);
    times.sort((a, b) => a - b);
    console.info(
      `reconciliation of one case (3 banks, 1 hold), 10 calls: median ${times[5]!.toFixed(1)} ms, max ${times[9]!.toFixed(1)} ms`,
    );

    // Another court's case is not found, as on /controls.
    const other = await reconcile({ ...auth, authorization: 'Bearer other-court-key' });
    expect([other.status, other.body.error?.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('reconciliation of a case with a freeze but never queried is 409 NO_PROPERTY_REPORT', async () => {
    const caseNo = '(2026)川0104执8105号';
    const idNumber = debtorWithThreeBanks(3);
    const stamp = Date.now().toString(36);
    const accountNo = (
      expectedQuery(SEED, 'bank', BANKS[0]!, idNumber).accounts as { accountNo: string }[]
    )[0]!.accountNo;
    const filed = await fileAtBank(caseNo, idNumber, `冻${stamp}`, 'freeze', BANKS[0]!, {
      amountFen: 1,
      termDays: 30,
      accountNo,
    });
    expect(filed.status).toBe(202);
    const path = `${gateway}/v1/cases/${encoded(caseNo)}/reconciliation`;
    // 404 until freeze-deduct has the notice; then the case is the court's, with no books to compare.
    const refused = await waitFor(
      async () => {
        const res = await fetch(path, { headers: auth });
        return res.status === 404
          ? undefined
          : { status: res.status, body: (await res.json()) as { error?: Err } };
      },
      { what: 'the freeze notice at freeze-deduct', timeoutMs: 30_000, intervalMs: 100 },
    );
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'NO_PROPERTY_REPORT']);
  });

  it('the plan is documented in the gateway OpenAPI', async () => {
    const doc = (await (await fetch(`${gateway}/openapi.json`)).json()) as {
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: unknown }> } } }>;
    };
    const route = doc.paths['/v1/cases/{caseNo}/freeze-plan']?.post;
    expect(route?.requestBody?.content['application/json']?.schema).toMatchObject({
      required: expect.arrayContaining(['owedFen', 'officer', 'legalBasis']),
    });
    expect(Object.keys(doc.paths['/v1/cases/{caseNo}/reconciliation'] ?? {})).toEqual(['get']);
  });
});
