import { residentIdCheckChar, scaledClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../src/services.js';
import { type RunningStack, startStack } from '../src/stack.js';
import { queryNotice } from './demo-notice.js';

// An hour of hub time passes in about 36 ms: a 24 h answer deadline runs out in under a second.
const SCALE = 100_000;
const iso = isolate();
let stack: RunningStack;
let gateway = '';
const auth = { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' };

beforeAll(async () => {
  const env = hubEnv(iso, {
    HUB_TIME_SCALE: String(SCALE),
    HUB_INSTITUTIONS: 'bank:ICBC,bank:CCB,bank:CMB',
    SIM_SILENT: 'CMB', // takes its requests, never answers
    QUERY_REUSE_WINDOW_HOURS: String(24 * 365), // a year of hub time: the reuse test cannot outrun it
    GATEWAY_COURT_KEYS: 'demo-court-key=川0104,other-court-key=川0105',
  });
  stack = await startStack(Object.keys(SERVICES), env, {
    logger: createLogger({ service: 'inquiries-test', level: 'warn' }),
    clock: scaledClock({ scale: SCALE, origin: new Date() }),
  });
  gateway = stack.urls.get('gateway')!;
});

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

/** Valid, distinct resident IDs for generated debtors. */
function idNumber(i: number): string {
  const base = `51010419800101${String(i).padStart(3, '0')}`;
  return base + residentIdCheckChar(base);
}

type Report = {
  debtors: {
    totals: { depositsFen: number };
    breached: number;
    agencies: {
      institution: string;
      status: string;
      breached: boolean;
      reused: boolean;
      facts: { amountFen: number | null }[];
    }[];
  }[];
};
const report = async (caseNo: string, headers = auth) => {
  const res = await fetch(`${gateway}/v1/cases/${encodeURIComponent(caseNo)}/property-report`, {
    headers,
  });
  return { status: res.status, body: (await res.json()) as Report };
};
const get = async (id: string, headers = auth) =>
  (await (await fetch(`${gateway}/v1/notices/${id}`, { headers })).json()) as {
    status: string;
    breached: boolean;
    requests: { id: string; institution: string; status: string; breached: boolean }[];
  };

describe('inquiries (网络查控·查)', () => {
  it('shows a bank that never answers as breached while the others complete, in the notice and the report', async () => {
    const notice = {
      ...queryNotice(idNumber(1), 'silent'),
      caseNo: '(2026)川0104执7001号',
      targets: [{ agency: 'bank' }],
    };
    const res = await fetch(`${gateway}/v1/notices`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(notice),
    });
    const { id } = (await res.json()) as { id: string };
    const view = await waitFor(
      async () => {
        const v = await get(id);
        const cmb = v.requests.find((r) => r.institution === 'CMB');
        const others = v.requests.filter((r) => r.institution !== 'CMB');
        return cmb?.breached && others.length === 2 && others.every((r) => r.status === 'done')
          ? v
          : undefined;
      },
      { what: 'CMB breached, ICBC and CCB done', timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(view.status).toBe('in-progress');
    expect(view.breached).toBe(true);
    const { body } = await report(notice.caseNo);
    const cmb = body.debtors[0]!.agencies.find((a) => a.institution === 'CMB')!;
    expect(cmb.breached).toBe(true);
    // One definition of breached (domain isBreached): the report says what the notice says, a late answer
    // included (at this time scale the other banks may answer after their deadline).
    for (const a of body.debtors[0]!.agencies) {
      expect([a.institution, a.breached]).toEqual([
        a.institution,
        view.requests.find((r) => r.institution === a.institution)?.breached,
      ]);
    }
    expect(body.debtors[0]!.breached).toBe(view.requests.filter((r) => r.breached).length);
  });

  it('reuses a fresh answer for a repeated inquiry on the same debtor, and the report says so', async () => {
    const debtor = idNumber(2);
    const first = {
      ...queryNotice(debtor, 'r1'),
      caseNo: '(2026)川0104执7002号',
      targets: [{ agency: 'bank', institution: 'ICBC' }],
    };
    const a = (await (
      await fetch(`${gateway}/v1/notices`, { method: 'POST', headers: auth, body: JSON.stringify(first) })
    ).json()) as { id: string };
    await waitFor(async () => (await get(a.id)).status === 'completed', {
      what: 'first inquiry completed',
      timeoutMs: 30_000,
    });
    const second = { ...first, noticeNo: `${first.noticeNo}-again`, caseNo: '(2026)川0104执7003号' };
    const b = (await (
      await fetch(`${gateway}/v1/notices`, { method: 'POST', headers: auth, body: JSON.stringify(second) })
    ).json()) as { id: string };
    await waitFor(async () => (await get(b.id)).status === 'completed', {
      what: 'second inquiry completed',
      timeoutMs: 30_000,
    });
    const first1 = (await report(first.caseNo)).body.debtors[0]!;
    const second1 = (await report(second.caseNo)).body.debtors[0]!;
    expect(second1.agencies[0]!.reused).toBe(true);
    expect(first1.agencies[0]!.reused).toBe(false);
    expect(second1.totals.depositsFen).toBe(first1.totals.depositsFen);
    // ICBC was not asked again, but it knows of the second inquiry: a reuse record of its earlier answer.
    const asked = (await get(a.id)).requests[0]!.id;
    type ReuseRow = { noticeId: string; reusedFromRequestId: string; caseNo: string; noticeNo: string };
    const bank = stack.apps.get('adapter-bank') as unknown as {
      inbox: { reuseRecords(i: string, after: undefined, limit: number): Promise<ReuseRow[]> };
    };
    const records = await waitFor(
      async () =>
        ((r) => r.length > 0 && r)(
          (await bank.inbox.reuseRecords('ICBC', undefined, 500)).filter((r) => r.noticeId === b.id),
        ),
      { what: 'the reuse record at ICBC' },
    );
    expect(records).toEqual([
      expect.objectContaining({
        reusedFromRequestId: asked,
        caseNo: second.caseNo,
        noticeNo: second.noticeNo,
      }),
    ]);

    // Another court asking about the same debtor is answered by ICBC itself, never from the first court's answer.
    const otherAuth = { ...auth, authorization: 'Bearer other-court-key' };
    const third = {
      ...first,
      noticeNo: '(2026)川0105执7004号-查',
      caseNo: '(2026)川0105执7004号',
      court: { code: '川0105', name: '成都市青羊区人民法院' },
      legalBasis: '(2026)川0105执7004号执行裁定书',
    };
    const c = (await (
      await fetch(`${gateway}/v1/notices`, {
        method: 'POST',
        headers: otherAuth,
        body: JSON.stringify(third),
      })
    ).json()) as { id: string };
    await waitFor(async () => (await get(c.id, otherAuth)).status === 'completed', {
      what: 'the other court’s inquiry completed',
      timeoutMs: 30_000,
    });
    expect((await report(third.caseNo, otherAuth)).body.debtors[0]!.agencies[0]!.reused).toBe(false);
  });

  it('files 500 debtors in one batch and completes every one, each with its own result', async () => {
    const notices = Array.from({ length: 500 }, (_, i) => ({
      ...queryNotice(idNumber(100 + i), `batch-${i}`),
      caseNo: `(2026)川0104执${8000 + i}号`,
      targets: [
        { agency: 'bank', institution: 'ICBC' },
        { agency: 'bank', institution: 'CCB' },
      ],
    }));
    notices[250] = { ...notices[250]!, caseNo: 'not a case number' };
    const res = await fetch(`${gateway}/v1/notices/batch`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ notices }),
    });
    const { accepted, rejected, results } = (await res.json()) as {
      accepted: number;
      rejected: number;
      results: { index: number; ok: boolean; id?: string; error?: { code: string } }[];
    };
    expect([accepted, rejected]).toEqual([499, 1]);
    expect(results[250]).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const open = new Set(results.filter((r) => r.ok).map((r) => r.id!));
    await waitFor(
      async () => {
        for (const id of [...open].slice(0, 100)) if ((await get(id)).status === 'completed') open.delete(id);
        return open.size === 0;
      },
      { what: 'all 499 inquiries completed', timeoutMs: 200_000, intervalMs: 100 },
    );
    expect(open.size).toBe(0);
  }, 240_000); // 5,489 agency requests: ~30 s alone, longer beside the rest of the suite on 2 cores
});
