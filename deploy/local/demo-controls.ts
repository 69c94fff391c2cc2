/**
 * The demo's second half: control measures on the case whose inquiry just completed (查冻扣一体). The court
 * files a freeze plan from the property report (freezes across the banks up to what is owed, and seals the
 * flat and the car); a second court freezes money already frozen and waits in line (轮候); the first court
 * deducts part of what it froze (扣划); then the case's control ledger is printed. Account numbers masked.
 */
import { formatYuan, maskAccount } from '@hub/domain';

export interface DemoContext {
  gateway: string;
  caseNo: string;
  idNumber: string;
  /** Headers of the demo court (川0104) and of a second court (川0105). */
  court: Record<string, string>;
  otherCourt: Record<string, string>;
  until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T>;
}

type Fact = { kind: string; key: string; amountFen: number; detail: { frozenFen?: number } };
type Report = { debtors: { agencies: { agency: string; institution: string; facts: Fact[] }[] }[] };
type Planned = {
  id: string;
  measure: string;
  institution: string;
  asset: { kind: string; key: string };
  amountFen: number | null;
};
type Plan = { owedFen: number; plannedFen: number; reason: string | null; notices: Planned[] };
type Hold = {
  measure: string;
  institution: string;
  asset: { kind: string; key: string };
  state: string;
  queuePosition: number;
  frozenFen: number;
  deductedFen: number;
  daysToExpiry: number | null;
};
type Controls = {
  totals: { owedFen: number | null; frozenFen: number; deductedFen: number };
  holds: Hold[];
  deductions: { institution: string; accountNo: string; amountFen: number; transferRef: string }[];
};

const shown = (a: { kind: string; key: string }) => (a.kind === 'account' ? maskAccount(a.key) : a.key);

export async function demoControls(c: DemoContext): Promise<void> {
  const url = (path: string) => `${c.gateway}${path}`;
  const caseUrl = (caseNo: string, what: string) => url(`/v1/cases/${encodeURIComponent(caseNo)}/${what}`);
  const post = async (path: string, body: unknown, headers = c.court) => {
    const res = await fetch(url(path), { method: 'POST', headers, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const completed = (id: string, headers = c.court) =>
    c.until(
      `notice ${id} to complete`,
      async () => {
        const v = (await (await fetch(url(`/v1/notices/${id}`), { headers })).json()) as { status: string };
        return v.status === 'completed' ? v : undefined;
      },
      60_000,
    );
  const controls = async (caseNo: string, headers = c.court) =>
    (await (await fetch(caseUrl(caseNo, 'controls'), { headers })).json()) as Controls;

  // What the inquiry found free at the banks, largest first.
  const report = (await (
    await fetch(caseUrl(c.caseNo, 'property-report'), { headers: c.court })
  ).json()) as Report;
  const free = (report.debtors[0]?.agencies ?? [])
    .filter((a) => a.agency === 'bank')
    .flatMap((a) =>
      a.facts
        .filter((f) => f.kind === 'deposit')
        .map((f) => ({
          institution: a.institution,
          accountNo: f.key,
          freeFen: f.amountFen - (f.detail.frozenFen ?? 0),
        })),
    )
    .filter((f) => f.freeFen > 0)
    .sort((a, b) => b.freeFen - a.freeFen);
  const largest = free[0];
  if (!largest) {
    console.log('hub: the debtor has no money free to freeze; the control demo is skipped');
    return;
  }
  // Owed: all of the largest account and half of the next, so the plan freezes one account whole.
  const owedFen = largest.freeFen + Math.floor((free[1]?.freeFen ?? 0) / 2);

  console.log(
    `\nhub: 查冻扣一体 — freeze plan for ${c.caseNo}, owed ¥${formatYuan(owedFen)} (执行标的 plus costs)`,
  );
  const plan = (await post(
    `/v1/cases/${encodeURIComponent(c.caseNo)}/freeze-plan`,
    {
      owedFen,
      officer: { name: '王法官', phone: '028-00000000' },
      legalBasis: `${c.caseNo}执行裁定书`,
      sealProperty: true,
    },
    { ...c.court, 'idempotency-key': `demo-${Date.now().toString(36)}` },
  )) as unknown as Plan;
  for (const n of plan.notices)
    console.log(
      `  ${n.measure.padEnd(6)} ${n.institution.padEnd(11)} ${shown(n.asset).padEnd(22)} ${n.amountFen === null ? '' : `¥${formatYuan(n.amountFen)}`}`,
    );
  console.log(`hub: ${plan.notices.length} notices planned, ¥${formatYuan(plan.plannedFen)} to freeze`);
  for (const n of plan.notices) await completed(n.id);
  console.log('hub: every planned notice completed');

  // A second court's freeze on the account the first froze whole waits in line (轮候).
  const otherCase = c.caseNo.replace('川0104', '川0105');
  const queued = (await post(
    '/v1/notices',
    {
      noticeNo: `${otherCase}-冻${Date.now().toString(36)}`,
      caseNo: otherCase,
      court: { code: '川0105', name: '成都市青羊区人民法院' },
      officer: { name: '赵法官' },
      debtor: { kind: 'person', name: '李某', idNumber: c.idNumber },
      measure: 'freeze',
      targets: [{ agency: 'bank', institution: largest.institution }],
      params: { amountFen: 100_000, termDays: 365, accountNo: largest.accountNo },
      legalBasis: `${otherCase}执行裁定书`,
      issuedAt: new Date().toISOString(),
    },
    c.otherCourt,
  )) as { id: string };
  await completed(queued.id, c.otherCourt);
  const waiting = (await controls(otherCase, c.otherCourt)).holds[0];
  if (waiting)
    console.log(
      `hub: 川0105 froze ${largest.institution} ${maskAccount(largest.accountNo)} too: ${waiting.state}, place ${waiting.queuePosition} in line`,
    );

  // The first court deducts part of what it froze there (扣划), once.
  const deductFen = Math.min(largest.freeFen, 500_000);
  const deduct = (await post('/v1/notices', {
    noticeNo: `${c.caseNo}-扣${Date.now().toString(36)}`,
    caseNo: c.caseNo,
    court: { code: '川0104', name: '成都市锦江区人民法院' },
    officer: { name: '王法官', phone: '028-00000000' },
    debtor: { kind: 'person', name: '李某', idNumber: c.idNumber },
    measure: 'deduct',
    targets: [{ agency: 'bank', institution: largest.institution }],
    params: { amountFen: deductFen, accountNo: largest.accountNo },
    legalBasis: `${c.caseNo}执行裁定书`,
    issuedAt: new Date().toISOString(),
  })) as { id: string };
  await completed(deduct.id);
  const ledger = await c.until(
    'the deduction in the control ledger',
    async () => ((v) => (v.totals.deductedFen > 0 ? v : undefined))(await controls(c.caseNo)),
    30_000,
  );

  const t = ledger.totals;
  console.log(
    `\nhub: control ledger of ${c.caseNo}: owed ¥${formatYuan(t.owedFen ?? 0)}, frozen ¥${formatYuan(t.frozenFen)}, deducted ¥${formatYuan(t.deductedFen)}`,
  );
  for (const h of ledger.holds)
    console.log(
      `  ${h.measure.padEnd(6)} ${h.institution.padEnd(11)} ${shown(h.asset).padEnd(22)} ${h.state.padEnd(9)}` +
        `${h.queuePosition > 0 ? ` place ${h.queuePosition}` : ''}` +
        `${h.measure === 'freeze' ? ` frozen ¥${formatYuan(h.frozenFen)}` : ''}` +
        `${h.deductedFen > 0 ? `, deducted ¥${formatYuan(h.deductedFen)}` : ''}` +
        `${h.daysToExpiry === null ? '' : `, ${h.daysToExpiry} days to expiry`}`,
    );
  for (const d of ledger.deductions)
    console.log(
      `  deducted ¥${formatYuan(d.amountFen)} from ${d.institution} ${maskAccount(d.accountNo)}, transfer ${d.transferRef}`,
    );
}
