/**
 * The inquiry workload (网络查控·查): distinct debtors, each asked of every agency kind, filed in batches
 * through POST /v1/notices/batch by `concurrency` clients.
 */
import { residentIdCheckChar } from '@hub/domain';
import { type BenchHub, type Figures, postJson } from './harness.js';

export interface InquiryOptions {
  notices: number;
  batch: number;
  concurrency: number;
  targets: readonly string[];
  /** Case numbers start here, so two workloads of one run never share a case. */
  firstCase?: number;
}

/** Distinct valid resident IDs, so no two inquiries are about the same debtor. */
export function benchIdNumber(i: number): string {
  const first17 = `510104${String(19600101 + (i % 28))}${String(i % 1000).padStart(3, '0')}`.slice(0, 14);
  const seq = String(Math.floor(i / 28) % 1000).padStart(3, '0');
  const base = `${first17.slice(0, 14)}${seq}`;
  return base + residentIdCheckChar(base);
}

export const benchCaseNo = (i: number) => `(2026)川0104执${i + 1}号`;

export function inquiry(ns: string, i: number, targets: readonly string[], idNumber = benchIdNumber(i)) {
  return {
    noticeNo: `${benchCaseNo(i)}-查${ns}`,
    caseNo: benchCaseNo(i),
    court: { code: '川0104', name: '成都市锦江区人民法院' },
    officer: { name: '王法官' },
    debtor: { kind: 'person', name: '张某', idNumber },
    measure: 'query',
    targets: targets.map((agency) => ({ agency })),
    params: {},
    legalBasis: `${benchCaseNo(i)}执行裁定书`,
    issuedAt: '2026-11-23T09:00:00+08:00',
  };
}

/** Files notices in batches, `concurrency` batches in flight; returns each accepted id with when it was sent. */
export async function fileInBatches(
  hub: BenchHub,
  notices: readonly object[],
  batch: number,
  concurrency: number,
): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  let next = 0;
  let lastReport = performance.now();
  async function client() {
    while (next < notices.length) {
      const from = next;
      next = Math.min(notices.length, next + batch);
      const at = performance.now();
      const { results } = await postJson<{ results: { ok: boolean; id: string }[] }>(
        hub.gateway,
        '/v1/notices/batch',
        {
          notices: notices.slice(from, next),
        },
      );
      for (const r of results) if (r.ok) sentAt.set(r.id, at);
      if (performance.now() - lastReport > 2000) {
        lastReport = performance.now();
        console.log(`bench: ${next}/${notices.length} filed`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  return sentAt;
}

export async function runInquiries(hub: BenchHub, o: InquiryOptions): Promise<Figures> {
  const first = o.firstCase ?? 0;
  console.log(
    `bench: filing ${o.notices} inquiries in batches of ${o.batch}, ${o.concurrency} in flight, targets ${o.targets.join(',')}`,
  );
  const started = performance.now();
  const notices = Array.from({ length: o.notices }, (_, k) => inquiry(hub.ns, first + k, o.targets));
  const sentAt = await fileInBatches(hub, notices, o.batch, o.concurrency);
  const done = await hub.completed(sentAt.keys(), (n) =>
    console.log(`bench: ${n}/${sentAt.size} inquiries completed`),
  );
  const last = Math.max(...[...done.values()].map((c) => c.at));
  return {
    workload: 'inquiry',
    notices: done.size,
    requests: [...done.values()].reduce((t, c) => t + c.requests, 0),
    seconds: (last - started) / 1000,
    latenciesMs: [...done].map(([id, c]) => c.at - sentAt.get(id)!),
  };
}
