import { expectedQuery, findPerson } from '@hub/agency-sim';
import { systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../src/services.js';
import { type RunningStack, startStack } from '../src/stack.js';
import { queryNotice } from './demo-notice.js';

const iso = isolate();
let stack: RunningStack;
const auth = { authorization: 'Bearer demo-court-key' };

beforeAll(async () => {
  stack = await startStack(Object.keys(SERVICES), hubEnv(iso, { SIM_SEED: '42' }), {
    logger: createLogger({ service: 'e2e', level: 'warn' }),
    clock: systemClock,
  });
});

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

describe('one notice end to end, all services in one process', () => {
  it('reaches all four agency kinds over their own adapters and comes back answered by each', async () => {
    const gateway = stack.urls.get('gateway')!;
    const notice = {
      ...queryNotice('11010519491231002X', `all-${Date.now()}`),
      targets: [
        { agency: 'bank' },
        { agency: 'real-estate' },
        { agency: 'public-security' },
        { agency: 'provident-fund' },
      ],
    };
    const res = await fetch(`${gateway}/v1/notices`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(notice),
    });
    const { id } = (await res.json()) as { id: string };
    const done = await waitFor(
      async () => {
        const b = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers: auth })).json()) as {
          status: string;
          requests: { agency: string; status: string }[];
        };
        return b.status === 'completed' ? b : undefined;
      },
      { what: 'four-agency notice completed', timeoutMs: 45_000, intervalMs: 200 },
    );
    const kinds = new Set(done.requests.filter((r) => r.status === 'done').map((r) => r.agency));
    expect([...kinds].sort()).toEqual(['bank', 'provident-fund', 'public-security', 'real-estate']);
  });

  it('a query notice reaches every bank over Kafka and comes back completed with each bank’s ledger', async () => {
    const gateway = stack.urls.get('gateway')!;
    // Someone of the mock population with accounts at two banks or more (not asked about before here).
    const { idNumber } = findPerson(42, (h) => h.banksWithAccounts.length >= 2);
    const res = await fetch(`${gateway}/v1/notices`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(queryNotice(idNumber)),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    type Body = {
      status: string;
      requests: {
        agency: string;
        institution: string;
        status: string;
        answer: { result: { accounts: unknown[] } } | null;
      }[];
      timeline: { event: string }[];
    };
    const done = await waitFor(
      async () => {
        const r = await fetch(`${gateway}/v1/notices/${id}`, { headers: auth });
        const body = (await r.json()) as Body;
        return body.status === 'completed' ? body : undefined;
      },
      { what: 'notice completed', timeoutMs: 45_000, intervalMs: 200 },
    );

    const banks = done.requests.filter((r) => r.agency === 'bank');
    expect(banks.map((b) => b.institution).sort()).toEqual(['ABC', 'BOC', 'BOCOM', 'CCB', 'CMB', 'ICBC']);
    for (const b of banks) {
      expect(b.status).toBe('done');
      expect(b.answer?.result.accounts).toEqual(expectedQuery(42, 'bank', b.institution, idNumber).accounts);
    }
    const centres = done.requests.filter((r) => r.agency === 'real-estate');
    expect(centres.map((r) => r.institution).sort()).toEqual(['REC-110000', 'REC-440300', 'REC-510100']);
    expect(centres.every((r) => r.status === 'done')).toBe(true);
    const events = new Set(done.timeline.map((t) => t.event));
    // The mock agencies acknowledge (签收) with the lease: the acknowledgement is the delivery's only event.
    expect(events).not.toContain('RequestDelivered');
    for (const e of [
      'NoticeIssued',
      'RequestDispatched',
      'RequestAcknowledged',
      'RequestAnswered',
      'NoticeCompleted',
    ]) {
      expect(events).toContain(e);
    }
  });

  it('reports a debtor with accounts at three banks, a flat and a car: exactly those, with correct totals, each once', async () => {
    const gateway = stack.urls.get('gateway')!;
    const person = findPerson(
      42,
      (h) => h.banksWithAccounts.length === 3 && h.units === 1 && h.vehicles === 1,
    );
    const caseNo = '(2026)川0104执5555号';
    const file = async (suffix: string) => {
      const notice = {
        ...queryNotice(person.idNumber, suffix),
        caseNo,
        targets: [
          { agency: 'bank' },
          { agency: 'real-estate' },
          { agency: 'public-security' },
          { agency: 'provident-fund' },
        ],
      };
      const res = await fetch(`${gateway}/v1/notices`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(notice),
      });
      const { id } = (await res.json()) as { id: string };
      await waitFor(
        async () => {
          const b = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers: auth })).json()) as {
            status: string;
          };
          return b.status === 'completed';
        },
        { what: 'inquiry completed', timeoutMs: 45_000, intervalMs: 200 },
      );
    };
    type Report = {
      debtors: {
        totals: { depositsFen: number; realEstateUnits: number; vehicles: number; providentFundFen: number };
        agencies: {
          agency: string;
          institution: string;
          facts: { kind: string; key: string; amountFen: number | null }[];
        }[];
      }[];
    };
    const read = async () =>
      (await (
        await fetch(`${gateway}/v1/cases/${encodeURIComponent(caseNo)}/property-report`, { headers: auth })
      ).json()) as Report;

    await file('report-1');
    const report = await read();
    expect(report.debtors).toHaveLength(1);
    const d = report.debtors[0]!;
    const expectedAccounts = person.banksWithAccounts.flatMap(
      (bank) =>
        (expectedQuery(42, 'bank', bank, person.idNumber).accounts ?? []) as {
          accountNo: string;
          balanceFen: number;
        }[],
    );
    const deposits = d.agencies.flatMap((a) => a.facts.filter((f) => f.kind === 'deposit'));
    expect(deposits.map((f) => f.key).sort()).toEqual(expectedAccounts.map((a) => a.accountNo).sort());
    expect(d.totals.depositsFen).toBe(expectedAccounts.reduce((sum, a) => sum + a.balanceFen, 0));
    expect(
      d.agencies
        .filter((a) => a.facts.some((f) => f.kind === 'deposit'))
        .map((a) => a.institution)
        .sort(),
    ).toEqual([...person.banksWithAccounts].sort());
    expect(d.totals.realEstateUnits).toBe(1);
    expect(d.totals.vehicles).toBe(1);

    // Asked again in the same case: the same facts come back and are still counted once.
    await file('report-2');
    const again = (await read()).debtors[0]!;
    expect(again.totals).toEqual(d.totals);
  });
});
