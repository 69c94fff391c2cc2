import { signAgencyRequest } from '@hub/agency-kit';
import { findPerson } from '@hub/agency-sim';
import { scaledClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYABLE_MEASURE_SERVICES, SERVICES } from '../src/services.js';
import { type RunningStack, startStack } from '../src/stack.js';
import { queryNotice } from './demo-notice.js';

// A hub day passes in about 86 s: a 30-day freeze stays in force for the whole test.
const SCALE = 1_000;
const SEED = 42;
const BANKS = ['ICBC', 'CCB', 'ABC'];
const iso = isolate();
type Db = { query: (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }> };
let stack: RunningStack;
let gateway = '';
const auth = { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' };
const other = { authorization: 'Bearer other-court-key', 'content-type': 'application/json' };

beforeAll(async () => {
  const env = hubEnv(iso, {
    HUB_TIME_SCALE: String(SCALE),
    SIM_SEED: String(SEED),
    HUB_INSTITUTIONS: BANKS.map((b) => `bank:${b}`).join(','),
    GATEWAY_COURT_KEYS: 'demo-court-key=川0104,other-court-key=川0105',
  });
  stack = await startStack(Object.keys(SERVICES), env, {
    logger: createLogger({ service: 'controls-test', level: 'warn' }),
    clock: scaledClock({ scale: SCALE, origin: new Date() }),
  });
  gateway = stack.urls.get('gateway')!;
});

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

const post = async (body: unknown, headers = auth) => {
  const res = await fetch(`${gateway}/v1/notices`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { id: string; error?: { code: string } } };
};
const completed = (id: string, what: string, headers = auth) =>
  waitFor(
    async () => {
      const v = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers })).json()) as {
        status: string;
        requests: { status: string }[];
      };
      return v.status === 'completed' ? v : undefined;
    },
    { what, timeoutMs: 30_000, intervalMs: 100 },
  );

type Controls = {
  totals: { owedFen: number | null; frozenFen: number; deductedFen: number };
  holds: {
    id: string;
    institution: string;
    asset: { kind: string; key: string };
    state: string;
    queuePosition: number;
    frozenFen: number;
    deductedFen: number;
    term: { from: string | null; until: string | null };
    daysToExpiry: number | null;
  }[];
  pending: unknown[];
};
/** A started service's own schema. */
const poolOf = (name: string) =>
  (stack.apps.get(name) as unknown as { runtime: { pool: Pool } }).runtime.pool;
/** A hold-change report to the bank adapter, signed as `institution` with its demo secret; [status, outcome]. */
const signedPost = async (institution: string, path: string, body: unknown) => {
  const text = JSON.stringify(body);
  const secret = `${institution.toLowerCase()}-demo-secret`;
  const res = await fetch(`${stack.urls.get('adapter-bank')}${path}`, {
    method: 'POST',
    headers: {
      ...signAgencyRequest({ institution, secret, method: 'POST', path, body: text }),
      'content-type': 'application/json',
    },
    body: text,
  });
  const json = (await res.json()) as { status?: string; error?: { code: string } };
  return [res.status, json.status ?? json.error?.code];
};
const controls = async (caseNo: string, headers = auth) => {
  const res = await fetch(`${gateway}/v1/cases/${encodeURIComponent(caseNo)}/controls`, { headers });
  return { status: res.status, body: (await res.json()) as Controls & { error?: { code: string } } };
};

/**
 * An account of a debtor with money free to freeze, found as a court would: by an inquiry first. The
 * debtor is one the mock population (SIM_SEED) gives accounts at one of the connected banks (the `nth`
 * such, so a test can have a debtor no other test froze: an inquiry within the reuse window is answered
 * from the court's earlier answer, which predates those freezes).
 */
async function freeAccount(caseNo: string, nth = 0) {
  let skip = nth;
  const { idNumber } = findPerson(
    SEED,
    (h) => h.banksWithAccounts.some((b) => BANKS.includes(b)) && skip-- === 0,
  );
  const { body } = await post({
    ...queryNotice(idNumber, `c${Date.now().toString(36)}`),
    caseNo,
    targets: [{ agency: 'bank' }],
  });
  await completed(body.id, 'the inquiry completed');
  const report = (await (
    await fetch(`${gateway}/v1/cases/${encodeURIComponent(caseNo)}/property-report`, { headers: auth })
  ).json()) as {
    debtors: {
      agencies: {
        institution: string;
        facts: { kind: string; key: string; amountFen: number; detail: { frozenFen?: number } }[];
      }[];
    }[];
  };
  for (const a of report.debtors[0]?.agencies ?? [])
    for (const f of a.facts) {
      const freeFen = f.amountFen - (f.detail.frozenFen ?? 0);
      if (f.kind === 'deposit' && freeFen > 0)
        return { idNumber, institution: a.institution, accountNo: f.key, freeFen };
    }
  throw new Error('the debtor has no money free to freeze');
}

describe('controls (冻结, 解冻)', () => {
  it('the gateway accepts freeze notices when the freeze-deduct service is deployed', () => {
    expect(DEPLOYABLE_MEASURE_SERVICES).toContain('freeze-deduct');
    expect(stack.env.HUB_MEASURE_SERVICES?.split(',')).toContain('freeze-deduct');
  });

  it('a freeze completes as an effective hold in /controls, and a release leaves it released', async () => {
    const caseNo = '(2026)川0104执8001号';
    const found = await freeAccount(caseNo);
    const amountFen = Math.min(found.freeFen, 1_000_000);
    const notice = {
      ...queryNotice(found.idNumber, 'f1'),
      noticeNo: `(2026)川0104执8001号-冻${Date.now().toString(36)}`,
      caseNo,
      measure: 'freeze',
      targets: [{ agency: 'bank', institution: found.institution }],
      // What the case owes is stated on the money notice and kept with the case.
      params: { amountFen, termDays: 30, accountNo: found.accountNo, owedFen: amountFen + 500 },
    };
    const placed = await post(notice);
    expect(placed.status).toBe(202);
    await completed(placed.body.id, 'freeze completed');

    const after = await waitFor(async () => ((c) => c.body.holds.length > 0 && c)(await controls(caseNo)), {
      what: 'the hold in /controls',
    });
    expect(after.status).toBe(200);
    expect(after.body.holds).toEqual([
      expect.objectContaining({
        institution: found.institution,
        asset: { kind: 'account', key: found.accountNo },
        state: 'effective',
        queuePosition: 0,
        frozenFen: amountFen,
        deductedFen: 0,
      }),
    ]);
    const hold = after.body.holds[0]!;
    expect(hold.term.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(hold.daysToExpiry).toBeGreaterThan(0);
    expect(hold.daysToExpiry).toBeLessThanOrEqual(29);
    expect(after.body.totals).toEqual({ owedFen: amountFen + 500, frozenFen: amountFen, deductedFen: 0 });
    expect(after.body.pending).toEqual([]);

    // Another court sees nothing of this case.
    expect((await controls(caseNo, other)).status).toBe(404);

    // Naming only the agency kind: the release goes to the bank holding the account, not to every bank with the
    // debtor's ID and account number (DESIGN §5).
    const release = await post({
      ...notice,
      noticeNo: `${notice.noticeNo}-解`,
      measure: 'release',
      targets: [{ agency: 'bank' }],
      params: { accountNo: found.accountNo, owedFen: amountFen },
    });
    expect(release.status).toBe(202);
    const releasedView = (await completed(release.body.id, 'release completed')) as unknown as {
      requests: { institution: string; status: string }[];
    };
    expect(releasedView.requests.map((r) => [r.institution, r.status])).toEqual([
      [found.institution, 'done'],
    ]);
    const released = await controls(caseNo);
    expect(released.body.holds).toEqual([
      expect.objectContaining({
        asset: { kind: 'account', key: found.accountNo },
        state: 'released',
        frozenFen: 0,
      }),
    ]);
    expect(released.body.holds[0]!.daysToExpiry).toBeNull();
    expect(released.body.totals).toMatchObject({ frozenFen: 0, owedFen: amountFen });
    // Changing what is owed is audited: each statement, from what, by whom, from which notice.
    const { rows } = await poolOf('freeze-deduct').query(
      'SELECT from_fen, to_fen, source, notice_id, officer FROM case_owed_history WHERE case_no = $1 ORDER BY seq',
      [caseNo],
    );
    expect(
      rows.map((r) => [r.from_fen && Number(r.from_fen), Number(r.to_fen), r.source, r.notice_id]),
    ).toEqual([
      [null, amountFen + 500, 'notice', placed.body.id],
      [amountFen + 500, amountFen, 'notice', release.body.id],
    ]);
    expect(rows.every((r) => r.officer === notice.officer.name)).toBe(true);
  });

  it('a second court’s freeze on money already frozen waits in line (轮候): queued with its position', async () => {
    const found = await freeAccount('(2026)川0104执8002号');
    const freeze = (court: string, caseNo: string, amountFen: number) => ({
      ...queryNotice(found.idNumber, 'q'),
      noticeNo: `${caseNo}-冻${Date.now().toString(36)}`,
      caseNo,
      court: { code: court, name: court === '川0104' ? '成都市锦江区人民法院' : '成都市青羊区人民法院' },
      legalBasis: `${caseNo}执行裁定书`,
      measure: 'freeze',
      targets: [{ agency: 'bank', institution: found.institution }],
      params: { amountFen, termDays: 30, accountNo: found.accountNo },
    });
    const first = await post(freeze('川0104', '(2026)川0104执8002号', found.freeFen));
    await completed(first.body.id, 'the first freeze completed');
    const second = await post(freeze('川0105', '(2026)川0105执8002号', 100), other);
    expect(second.status).toBe(202);
    await completed(second.body.id, 'the second freeze completed', other);
    const { body } = await controls('(2026)川0105执8002号', other);
    expect(body.holds).toEqual([
      expect.objectContaining({ state: 'queued', frozenFen: 0, term: { from: null, until: null } }),
    ]);
    expect(body.holds[0]!.queuePosition).toBeGreaterThan(0);
    expect(body.holds[0]!.daysToExpiry).toBeNull();
  });

  it('a queued hold is promoted when the earlier court releases: the agency reports it and /controls shows it in effect', async () => {
    const found = await freeAccount('(2026)川0104执8003号', 1);
    const freeze = (court: string, caseNo: string, amountFen: number) => ({
      ...queryNotice(found.idNumber, 'p'),
      noticeNo: `${caseNo}-冻${Date.now().toString(36)}`,
      caseNo,
      court: { code: court, name: court === '川0104' ? '成都市锦江区人民法院' : '成都市青羊区人民法院' },
      legalBasis: `${caseNo}执行裁定书`,
      measure: 'freeze',
      targets: [{ agency: 'bank', institution: found.institution }],
      params: { amountFen, termDays: 30, accountNo: found.accountNo },
    });
    const a = freeze('川0104', '(2026)川0104执8003号', found.freeFen);
    const first = await post(a);
    await completed(first.body.id, 'court A froze every free fen');
    const second = await post(freeze('川0105', '(2026)川0105执8003号', 100), other);
    await completed(second.body.id, 'court B’s freeze completed', other);
    const queued = (await controls('(2026)川0105执8003号', other)).body.holds[0]!;
    expect(queued).toMatchObject({ state: 'queued', frozenFen: 0, term: { from: null, until: null } });
    expect(queued.queuePosition).toBeGreaterThan(0);

    const release = await post({
      ...a,
      noticeNo: `${a.noticeNo}-解`,
      measure: 'release',
      params: { accountNo: found.accountNo },
    });
    await completed(release.body.id, 'court A’s release completed');
    const promoted = await waitFor(
      async () =>
        ((c) => c.body.holds[0]?.state === 'effective' && c)(await controls('(2026)川0105执8003号', other)),
      { what: 'court B’s hold in effect', timeoutMs: 30_000, intervalMs: 100 },
    );
    const hold = promoted.body.holds[0]!;
    expect(hold).toMatchObject({ state: 'effective', queuePosition: 0, frozenFen: 100 });
    expect(hold.term.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(hold.term.until! >= hold.term.from!).toBe(true);
    expect(hold.daysToExpiry).toBeGreaterThan(0);
    expect(promoted.body.totals.frozenFen).toBe(100);
    // The agency's report made the change, once, and it is in the hold's history.
    const freezeDeduct = (stack.apps.get('freeze-deduct') as unknown as { runtime: { pool: Db } }).runtime
      .pool;
    const { rows } = await freezeDeduct.query(
      `SELECT r.change, r.outcome, h.from_state, h.to_state FROM hold_reports r
       JOIN hold_history h ON h.request_id = r.event_id WHERE r.hold_id = $1`,
      [hold.id],
    );
    expect(rows).toEqual([
      { change: 'promoted', outcome: 'applied', from_state: 'queued', to_state: 'effective' },
    ]);
    // The same report sent again is a duplicate; a new report the hold cannot take (promoted again) is
    // accepted by the adapter, kept by freeze-deduct with its reason, and changes nothing.
    const adapter = (stack.apps.get('adapter-bank') as unknown as { runtime: { pool: Db } }).runtime.pool;
    const placing = (await freezeDeduct.query('SELECT placed_by FROM holds WHERE id = $1', [hold.id]))
      .rows[0] as {
      placed_by: string;
    };
    const sent = (
      await adapter.query('SELECT body FROM hold_reports WHERE request_id = $1', [placing.placed_by])
    ).rows as { body: Record<string, unknown> }[];
    expect(sent).toHaveLength(1);
    const report = (body: unknown) => signedPost(found.institution, '/v1/agency/hold-changes', body);
    expect(await report(sent[0]!.body)).toEqual([202, 'duplicate']);
    const again = { ...sent[0]!.body, reportId: `P-again-${Date.now()}` };
    expect(await report(again)).toEqual([202, 'accepted']);
    const refused = await waitFor(
      async () =>
        ((r) => r[0])(
          (
            await freezeDeduct.query('SELECT outcome FROM hold_reports WHERE report_id = $1', [
              again.reportId,
            ])
          ).rows,
        ),
      { what: 'the repeated promotion kept with its reason' },
    );
    expect(refused).toEqual({ outcome: 'MOVE_NOT_ALLOWED' });
    const history = await freezeDeduct.query('SELECT to_state FROM hold_history WHERE hold_id = $1', [
      hold.id,
    ]);
    expect(history.rows).toEqual([{ to_state: 'queued' }, { to_state: 'effective' }]);
    // Court A's own hold stays released: the report moved only B's.
    expect((await controls('(2026)川0104执8003号')).body.holds[0]).toMatchObject({ state: 'released' });
  });
});
