/**
 * The freeze-plan workload (查冻扣一体): debtors with money at the mock banks are first inquired about (setup,
 * not measured); then one freeze plan per case is POSTed, `concurrency` in flight, and every notice the plans
 * issued is followed to its NoticeCompleted.
 */
import { BANKS, expectedQuery, personAt } from '@hub/agency-sim';
import { type BenchHub, COURT_HEADERS, type Figures, percentile, postJson } from './harness.js';
import { benchCaseNo, fileInBatches, inquiry } from './inquiries.js';

export interface FreezePlanOptions {
  /** Cases, one debtor each. */
  cases: number;
  concurrency: number;
  /** Case numbers start here, so two workloads of one run never share a case. */
  firstCase: number;
  /** ID numbers not to use (another workload's debtors). */
  avoid?: ReadonlySet<string>;
}

interface Debtor {
  idNumber: string;
  /** What the debtor has free to freeze at the connected banks, as the mock banks will answer. */
  freeFen: number;
}

/** The first `n` people of the mock population with money free to freeze at some bank. */
function debtorsWithMoney(seed: number, n: number, avoid: ReadonlySet<string>): Debtor[] {
  const found: Debtor[] = [];
  for (let i = 0; found.length < n; i++) {
    const { idNumber } = personAt(seed, i);
    if (avoid.has(idNumber)) continue;
    let freeFen = 0;
    for (const bank of BANKS) {
      const accounts = (expectedQuery(seed, 'bank', bank, idNumber).accounts ?? []) as {
        balanceFen: number;
        frozenFen: number;
      }[];
      for (const a of accounts) freeFen += Math.max(0, a.balanceFen - a.frozenFen);
    }
    if (freeFen > 1) found.push({ idNumber, freeFen });
  }
  return found;
}

export async function runFreezePlans(hub: BenchHub, o: FreezePlanOptions): Promise<Figures> {
  const debtors = debtorsWithMoney(hub.seed, o.cases, o.avoid ?? new Set());
  const caseOf = (k: number) => o.firstCase + k;

  // Setup: each case's property report, from an inquiry of every bank.
  console.log(`bench: inquiring about ${debtors.length} debtors with money at banks (setup, not measured)`);
  const inquiries = debtors.map((d, k) => inquiry(hub.ns, caseOf(k), ['bank'], d.idNumber));
  const filed = await fileInBatches(hub, inquiries, 100, o.concurrency);
  await hub.completed(filed.keys(), (n) =>
    console.log(`bench: ${n}/${filed.size} setup inquiries completed`),
  );

  // Measured: one plan per case, owing half of what the debtor has free, so most plans freeze several accounts.
  console.log(`bench: posting ${debtors.length} freeze plans, ${o.concurrency} in flight`);
  const sentAt = new Map<string, number>();
  const postMs: number[] = [];
  let next = 0;
  async function client() {
    while (next < debtors.length) {
      const k = next++;
      const caseNo = benchCaseNo(caseOf(k));
      const at = performance.now();
      const plan = await postJson<{ notices: { id: string }[] }>(
        hub.gateway,
        `/v1/cases/${encodeURIComponent(caseNo)}/freeze-plan`,
        {
          owedFen: Math.floor(debtors[k]!.freeFen / 2),
          officer: { name: '王法官' },
          legalBasis: `${caseNo}执行裁定书`,
          agencies: ['bank'],
        },
        { ...COURT_HEADERS, 'idempotency-key': `${hub.ns}-${k}` },
      );
      for (const n of plan.notices) sentAt.set(n.id, at);
      postMs.push(performance.now() - at);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, client));
  postMs.sort((a, b) => a - b);
  console.log(
    `bench: ${postMs.length} plans posted in ${((performance.now() - started) / 1000).toFixed(1)} s (POST p50 ${percentile(postMs, 50).toFixed(0)} ms, p95 ${percentile(postMs, 95).toFixed(0)} ms), ${sentAt.size} notices issued`,
  );
  const done = await hub.completed(sentAt.keys(), (n) =>
    console.log(`bench: ${n}/${sentAt.size} planned notices completed`),
  );
  const last = Math.max(...[...done.values()].map((c) => c.at));
  return {
    workload: 'freeze-plan',
    notices: done.size,
    requests: [...done.values()].reduce((t, c) => t + c.requests, 0),
    seconds: (last - started) / 1000,
    latenciesMs: [...done].map(([id, c]) => c.at - sentAt.get(id)!),
  };
}
