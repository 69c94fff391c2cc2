/**
 * The demo: what a court's client does. Waits for the hub, submits one inquiry notice (网络查控·查) for a
 * debtor to every agency, follows it to completion and prints what came back (account numbers masked); then
 * the control measures on the case (demo-controls.ts): a freeze plan, a queued hold, a deduction, the ledger;
 * then punishment and interception (demo-punishment.ts): a listing, the public list, a check and a report, deletion.
 */
import { findPerson } from '@hub/agency-sim';
import { formatYuan, maskAccount } from '@hub/domain';
import { demoControls } from './demo-controls.js';
import { demoPunishment } from './demo-punishment.js';

const gateway = process.env.HUB_GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 8080}`;
function demoDebtor(): string {
  const seed = Number(process.env.SIM_SEED ?? 2026);
  return findPerson(seed, (h) => h.banksWithAccounts.length >= 2 && h.units >= 1 && h.vehicles >= 1).idNumber;
}

const headers = { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' };
// A second court (川0105), for a freeze that waits in line behind the first court's (demo.sh gives it a key).
const otherCourt = { authorization: 'Bearer demo-court-2-key', 'content-type': 'application/json' };

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

await until(
  'the gateway to be ready',
  async () => ((await fetch(`${gateway}/readyz`)).ok ? true : undefined),
  90_000,
);
console.log(`hub: gateway ready at ${gateway}`);

const idNumber = demoDebtor();
// A case of its own for every run: the mock agencies' books start afresh with each hub, the hub's do not.
const caseSeq = 10_000 + (Math.floor(Date.now() / 1000) % 90_000);
const caseNo = `(2026)川0104执${caseSeq}号`;
const notice = {
  noticeNo: `${caseNo}-查${Date.now().toString(36)}`,
  caseNo,
  court: { code: '川0104', name: '成都市锦江区人民法院' },
  officer: { name: '王法官', phone: '028-00000000' },
  // A debtor of the mock population (SIM_SEED) who holds something everywhere: accounts, a flat, a car.
  debtor: { kind: 'person', name: '李某', idNumber },
  measure: 'query',
  targets: [
    { agency: 'bank' },
    { agency: 'real-estate' },
    { agency: 'public-security' },
    { agency: 'provident-fund' },
  ],
  params: {},
  legalBasis: `${caseNo}执行裁定书`,
  issuedAt: new Date().toISOString(),
};
const res = await fetch(`${gateway}/v1/notices`, { method: 'POST', headers, body: JSON.stringify(notice) });
if (res.status !== 202) throw new Error(`submit failed: ${res.status} ${await res.text()}`);
const { id } = (await res.json()) as { id: string };
console.log(`hub: notice ${notice.noticeNo} accepted, id ${id}`);

type Account = { accountNo: string; balanceFen: number };
type Result = {
  accounts?: Account[];
  units?: { unitNo: string; address: string }[];
  vehicles?: { plate: string }[];
  account?: { balanceFen: number };
};
type Body = {
  status: string;
  requests: {
    agency: string;
    institution: string;
    status: string;
    answer: { result?: Result; reason?: string } | null;
  }[];
  timeline: unknown[];
};
const started = Date.now();
let last = '';
const body = await until(
  'the notice to complete',
  async () => {
    const b = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers })).json()) as Body;
    const line = `${b.status}: ${b.requests.filter((r) => r.answer).length}/${b.requests.length} agencies answered`;
    if (line !== last) console.log(`hub: ${line}`);
    last = line;
    return b.status === 'completed' ? b : undefined;
  },
  60_000,
);
console.log(
  `hub: completed in ${((Date.now() - started) / 1000).toFixed(1)} s, ${body.timeline.length} timeline events`,
);
function describe(agency: string, result: Result | undefined): string {
  if (!result) return '';
  if (agency === 'provident-fund' && !result.account) return 'no fund account';
  if (result.accounts) {
    const total = result.accounts.reduce((sum, a) => sum + a.balanceFen, 0);
    const list = result.accounts
      .map((a) => `${maskAccount(a.accountNo)} ¥${formatYuan(a.balanceFen)}`)
      .join(', ');
    return `${result.accounts.length} account(s), ¥${formatYuan(total)}${list ? `  ${list}` : ''}`;
  }
  if (result.units)
    return `${result.units.length} unit(s)${result.units.map((u) => `  ${u.address}`).join('')}`;
  if (result.vehicles)
    return `${result.vehicles.length} vehicle(s)${result.vehicles.map((v) => `  ${v.plate}`).join('')}`;
  if ('account' in result)
    return result.account ? `fund balance ¥${formatYuan(result.account.balanceFen)}` : 'no fund account';
  return '';
}
for (const r of body.requests) {
  const what = r.answer?.result ? describe(r.agency, r.answer.result) : (r.answer?.reason ?? '');
  console.log(`  ${r.agency.padEnd(16)} ${r.institution.padEnd(11)} ${r.status.padEnd(8)} ${what}`);
}
await demoControls({ gateway, caseNo: notice.caseNo, idNumber, court: headers, otherCourt, until });
await demoPunishment({ gateway, caseNo: notice.caseNo, idNumber, court: headers, until });
console.log(`
Where to look:
  notice status   curl -H 'authorization: Bearer demo-court-key' ${gateway}/v1/notices/${id}
  case controls   curl -H 'authorization: Bearer demo-court-key' '${gateway}/v1/cases/${encodeURIComponent(notice.caseNo)}/controls'
  restrictions    curl -H 'authorization: Bearer demo-court-key' '${gateway}/v1/cases/${encodeURIComponent(notice.caseNo)}/restrictions'
  public list     curl '${gateway}/v1/public/dishonest?name=%E6%9D%8E%E6%9F%90'   (no sign-in; live listings only)
  ops console     http://127.0.0.1:8090/  (live SLA breaches, backlog, search; 中文/English)
  tracker (ops)   http://127.0.0.1:8090/v1/ops/notices/${id}
  agency report   http://127.0.0.1:8090/v1/ops/reports/agencies?format=html  (通报; csv too)
  agency APIs     http://127.0.0.1:8101/openapi.json (bank), 8102 real estate, 8103 public security, 8104 provident fund
  metrics         ${gateway}/metrics  (every service: /metrics, /readyz)
  Kafka topics    kcat -b 127.0.0.1:9092 -L   (event format: docs/events.md)
  hub log         .hub/hub.log   broker log: .hub/kafka/broker.log`);
