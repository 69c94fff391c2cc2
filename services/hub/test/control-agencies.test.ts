/**
 * Seed 001's court could not deduct from a housing provident fund or seal a flat online. Through the whole
 * hub with the mock agencies: a provident-fund freeze and a deduction from it, a real-estate seal and a
 * vehicle seal each complete online, and the case's controls show what they left.
 */
import { expectedQuery, personAt } from '@hub/agency-sim';
import { scaledClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../src/services.js';
import { type RunningStack, startStack } from '../src/stack.js';
import { queryNotice } from './demo-notice.js';

const SCALE = 1_000;
const SEED = 7;
const FUND = 'PF-510100';
const REGISTRY = 'REC-510100';
const PSB = 'PSB-510100';
const iso = isolate();
let stack: RunningStack;
let gateway = '';
const auth = { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' };

beforeAll(async () => {
  const env = hubEnv(iso, {
    HUB_TIME_SCALE: String(SCALE),
    SIM_SEED: String(SEED),
    HUB_INSTITUTIONS: `bank:ICBC,provident-fund:${FUND},real-estate:${REGISTRY},public-security:${PSB}`,
  });
  stack = await startStack(Object.keys(SERVICES), env, {
    logger: createLogger({ service: 'control-agencies-test', level: 'warn' }),
    clock: scaledClock({ scale: SCALE, origin: new Date() }),
  });
  gateway = stack.urls.get('gateway')!;
});

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

/** A debtor of the mock population with money in a fund account, a flat at REGISTRY and a car. */
function debtorWithEverything() {
  for (let i = 0; i < 20_000; i++) {
    const { idNumber } = personAt(SEED, i);
    const fund = expectedQuery(SEED, 'provident-fund', FUND, idNumber) as {
      account?: { accountNo: string; balanceFen: number; frozenFen: number; status: string };
    };
    const units = (expectedQuery(SEED, 'real-estate', REGISTRY, idNumber).units ?? []) as {
      unitNo: string;
    }[];
    const vehicles = (expectedQuery(SEED, 'public-security', PSB, idNumber).vehicles ?? []) as {
      plate: string;
    }[];
    const a = fund.account;
    if (a && a.status === 'active' && a.balanceFen - a.frozenFen >= 10_000 && units[0] && vehicles[0])
      return { idNumber, fund: a, unitNo: units[0].unitNo, plate: vehicles[0].plate };
  }
  throw new Error('no such debtor in the population');
}

const post = async (body: unknown) => {
  const res = await fetch(`${gateway}/v1/notices`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { id: string; error?: unknown } };
};
type NoticeView = { status: string; requests: { status: string; answer: { outcome: string } | null }[] };
const completed = (id: string, what: string) =>
  waitFor(
    async () => {
      const v = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers: auth })).json()) as NoticeView;
      return v.status === 'completed' ? v : undefined;
    },
    { what, timeoutMs: 30_000, intervalMs: 100 },
  );
type Hold = {
  agency: string;
  asset: { kind: string; key: string };
  state: string;
  frozenFen: number;
  deductedFen: number;
};
const controls = async (caseNo: string) =>
  (await (
    await fetch(`${gateway}/v1/cases/${encodeURIComponent(caseNo)}/controls`, { headers: auth })
  ).json()) as { holds: Hold[]; totals: { frozenFen: number; deductedFen: number } };

describe('control measures at the agencies seed 001 could not reach online', () => {
  it('a provident-fund freeze and a deduction from it, a flat sealed and a car sealed, all complete', async () => {
    const d = debtorWithEverything();
    const caseNo = '(2026)川0104执8101号';
    const base = { ...queryNotice(d.idNumber, 'x'), caseNo, legalBasis: `${caseNo}执行裁定书` };
    const notice = (
      suffix: string,
      measure: string,
      agency: string,
      institution: string,
      params: object,
    ) => ({
      ...base,
      noticeNo: `${caseNo}-${suffix}${Date.now().toString(36)}`,
      measure,
      targets: [{ agency, institution }],
      params,
    });
    const freeFen = d.fund.balanceFen - d.fund.frozenFen;
    const freezeFen = Math.min(freeFen, 500_000);
    const steps = [
      notice('冻', 'freeze', 'provident-fund', FUND, {
        amountFen: freezeFen,
        termDays: 365,
        accountNo: d.fund.accountNo,
      }),
      notice('封房', 'seal', 'real-estate', REGISTRY, { termDays: 3 * 365, unitNo: d.unitNo }),
      notice('封车', 'seal', 'public-security', PSB, { termDays: 2 * 365, plate: d.plate }),
    ];
    const placed = await Promise.all(steps.map(post));
    expect(placed.map((p) => p.status)).toEqual([202, 202, 202]);
    for (const [i, p] of placed.entries()) {
      const v = await completed(p.body.id, `${steps[i]!.measure} at ${steps[i]!.targets[0]!.agency}`);
      expect(v.requests.map((r) => r.answer?.outcome)).toEqual(['done']);
    }

    const deductFen = Math.floor(freezeFen / 2);
    const deduct = await post(
      notice('扣', 'deduct', 'provident-fund', FUND, { amountFen: deductFen, accountNo: d.fund.accountNo }),
    );
    expect(deduct.status).toBe(202);
    const deducted = await completed(deduct.body.id, 'the deduction');
    expect(deducted.requests.map((r) => r.answer?.outcome)).toEqual(['done']);

    const c = await waitFor(
      async () => ((v) => (v.totals.deductedFen === deductFen ? v : undefined))(await controls(caseNo)),
      { what: 'the deduction in the controls' },
    );
    const byAsset = Object.fromEntries(c.holds.map((h) => [h.asset.kind, h]));
    expect(byAsset.account).toMatchObject({
      agency: 'provident-fund',
      state: 'effective',
      deductedFen: deductFen,
    });
    expect(byAsset.account!.frozenFen).toBe(freezeFen - deductFen);
    expect(byAsset.unit).toMatchObject({
      agency: 'real-estate',
      state: 'effective',
      asset: { key: d.unitNo },
    });
    expect(byAsset.plate).toMatchObject({
      agency: 'public-security',
      state: 'effective',
      asset: { key: d.plate },
    });
  });
});
