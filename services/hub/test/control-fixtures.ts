/** A court client's side of control notices (冻结, 扣划 …) for the end-to-end tests: submit, wait, read. */
import { findPerson } from '@hub/agency-sim';
import { waitFor } from '@hub/testkit';
import { queryNotice } from './demo-notice.js';

export const COURTS = {
  a: { code: '川0104', name: '成都市锦江区人民法院', key: 'demo-court-key' },
  b: { code: '川0105', name: '成都市青羊区人民法院', key: 'other-court-key' },
} as const;
export type CourtName = keyof typeof COURTS;
export const COURT_KEYS = 'demo-court-key=川0104,other-court-key=川0105';

export const headersOf = (court: CourtName) => ({
  authorization: `Bearer ${COURTS[court].key}`,
  'content-type': 'application/json',
});

let seq = 0;
/** A unique suffix for notice numbers. */
export const tag = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

/**
 * What the tests read of the court API's replies, every endpoint's fields in one shape: a field the
 * endpoint does not send is undefined at run time (and the assertion reading it fails).
 */
export interface Reply {
  status: number;
  body: {
    id: string;
    duplicate: boolean;
    error: { code: string; message: string; details: Record<string, unknown>[] };
    results: { index: number; ok: boolean; id: string; error?: { code: string } }[];
    holds: { state: string; frozenFen: number; deductedFen: number; asset: { kind: string; key: string } }[];
    totals: { owedFen: number | null; frozenFen: number; deductedFen: number };
    deductions: { requestId: string; accountNo: string; amountFen: number; transferRef: string }[];
  };
}

export interface NoticeView {
  status: string;
  requests: { id: string; status: string }[];
  timeline: { event: string; requestId: string | null; detail: string | null }[];
}

export interface Client {
  post(body: unknown, court?: CourtName): Promise<Reply>;
  batch(bodies: unknown[], court?: CourtName): Promise<Reply>;
  completed(id: string, what: string, court?: CourtName): Promise<NoticeView>;
  controls(caseNo: string, court?: CourtName): Promise<Reply>;
}

export function client(gateway: () => string): Client {
  const json = async (res: Response) => ({
    status: res.status,
    body: (await res.json()) as Reply['body'],
  });
  return {
    // A court's client retries a 503 UNAVAILABLE (the freeze-deduct service missed the gateway's deadline while
    // the whole suite loads the machine); the notice number makes the retry safe. Any other reply is returned.
    post: async (body, court = 'a') => {
      for (let attempt = 1; ; attempt++) {
        const reply = await json(
          await fetch(`${gateway()}/v1/notices`, {
            method: 'POST',
            headers: headersOf(court),
            body: JSON.stringify(body),
          }),
        );
        if (reply.status !== 503 || reply.body.error?.code !== 'UNAVAILABLE' || attempt === 3) return reply;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    },
    batch: async (bodies, court = 'a') =>
      json(
        await fetch(`${gateway()}/v1/notices/batch`, {
          method: 'POST',
          headers: headersOf(court),
          body: JSON.stringify({ notices: bodies }),
        }),
      ),
    completed: (id, what, court = 'a') =>
      waitFor(
        async () => {
          const res = await fetch(`${gateway()}/v1/notices/${id}`, { headers: headersOf(court) });
          const v = (await res.json()) as NoticeView;
          return v.status === 'completed' ? v : undefined;
        },
        { what, timeoutMs: 60_000, intervalMs: 100 },
      ),
    controls: async (caseNo, court = 'a') =>
      json(
        await fetch(`${gateway()}/v1/cases/${encodeURIComponent(caseNo)}/controls`, {
          headers: headersOf(court),
        }),
      ),
  };
}

/** A control notice of `court` for `caseNo` (its own 案号 unless another court's is given). */
export function controlNotice(
  court: CourtName,
  caseNo: string,
  measure: string,
  target: { agency: string; institution?: string },
  params: Record<string, unknown>,
  idNumber: string,
) {
  return {
    ...queryNotice(idNumber, tag()),
    noticeNo: `${caseNo}-${measure}-${tag()}`,
    caseNo,
    court: { code: COURTS[court].code, name: COURTS[court].name },
    legalBasis: `${caseNo}执行裁定书`,
    measure,
    targets: [target],
    params,
  };
}

/**
 * An account of a debtor with money free to freeze, found as a court would: by an inquiry for the case
 * first (so the case has a property report). The debtor is one the mock population gives accounts at one
 * of `banks`.
 */
export async function freeAccount(
  c: Client,
  gateway: () => string,
  seed: number,
  banks: readonly string[],
  caseNo: string,
) {
  const { idNumber } = findPerson(seed, (h) => h.banksWithAccounts.some((b) => banks.includes(b)));
  const { body } = await c.post({ ...queryNotice(idNumber, tag()), caseNo, targets: [{ agency: 'bank' }] });
  await c.completed(body.id, 'the inquiry completed');
  const res = await fetch(`${gateway()}/v1/cases/${encodeURIComponent(caseNo)}/property-report`, {
    headers: headersOf('a'),
  });
  const report = (await res.json()) as {
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
      if (f.kind === 'deposit' && freeFen > 10_000)
        return { idNumber, institution: a.institution, accountNo: f.key, freeFen };
    }
  throw new Error('the debtor has no money free to freeze');
}
