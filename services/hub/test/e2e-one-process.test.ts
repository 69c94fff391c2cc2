import { accountsOf } from '@hub/agency-sim';
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
    const idNumber = '440524188001010014'; // not asked about before in this file: no answer to reuse
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
      expect(b.answer?.result.accounts).toEqual(accountsOf(42, b.institution, idNumber));
    }
    const centres = done.requests.filter((r) => r.agency === 'real-estate');
    expect(centres.map((r) => r.institution).sort()).toEqual(['REC-110000', 'REC-440300', 'REC-510100']);
    expect(centres.every((r) => r.status === 'done')).toBe(true);
    const events = new Set(done.timeline.map((t) => t.event));
    for (const e of [
      'NoticeIssued',
      'RequestDispatched',
      'RequestDelivered',
      'RequestAcknowledged',
      'RequestAnswered',
      'NoticeCompleted',
    ]) {
      expect(events).toContain(e);
    }
  });
});
