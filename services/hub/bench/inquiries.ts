/**
 * Inquiry throughput benchmark (网络查控·查), end to end on the real stack: every service in this
 * process, mock agencies answering at once, notices filed in batches through the gateway's REST API.
 * Completion is observed as NoticeCompleted on Kafka; latency is submission → completion.
 *
 *   npm run bench -- --notices 2000 --batch 100 --concurrency 4 [--mode separate]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { decodeEnvelope, payloadAs, topicName } from '@hub/contracts';
import { residentIdCheckChar, systemClock } from '@hub/domain';
import { createKafka } from '@hub/messaging';
import { ANY_FREE_PORTS, createLogger } from '@hub/service-kit';
import { startProcesses } from '../src/processes.js';
import { SERVICES } from '../src/services.js';
import { startStack } from '../src/stack.js';

const { values } = parseArgs({
  options: {
    notices: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    targets: { type: 'string', default: 'bank,real-estate,public-security,provident-fund' },
    /** `one`: every service in this process; `separate`: every service its own process (2 cores). */
    mode: { type: 'string', default: 'one' },
  },
});
const total = Number(values.notices);
const batchSize = Number(values.batch);
const concurrency = Number(values.concurrency);
const targets = String(values.targets)
  .split(',')
  .map((agency) => ({ agency }));

const ns = `bench${randomBytes(3).toString('hex')}`;
const env = {
  ...process.env,
  HUB_NAMESPACE: ns,
  HUB_TOPIC_PREFIX: `${ns}.`,
  LOG_LEVEL: 'warn',
  ...ANY_FREE_PORTS,
  SIM_POLL_MS: process.env.SIM_POLL_MS ?? '100',
  SIM_BATCH: '500',
  QUERY_REUSE_WINDOW_HOURS: '0', // every inquiry really goes to every agency
  GATEWAY_RATE_LIMIT_PER_MINUTE: '10000000',
};
const logger = createLogger({ service: 'bench', level: 'warn' });

/** Distinct valid resident IDs, so no two inquiries are about the same debtor. */
function idNumber(i: number): string {
  const first17 = `510104${String(19600101 + (i % 28))}${String(i % 1000).padStart(3, '0')}`.slice(0, 14);
  const seq = String(Math.floor(i / 28) % 1000).padStart(3, '0');
  const base = `${first17.slice(0, 14)}${seq}`;
  return base + residentIdCheckChar(base);
}

function notice(i: number) {
  return {
    noticeNo: `(2026)川0104执${i}号-查${ns}`,
    caseNo: `(2026)川0104执${i + 1}号`,
    court: { code: '川0104', name: '成都市锦江区人民法院' },
    officer: { name: '王法官' },
    debtor: { kind: 'person', name: '张某', idNumber: idNumber(i) },
    measure: 'query',
    targets,
    params: {},
    legalBasis: `(2026)川0104执${i + 1}号执行裁定书`,
    issuedAt: '2026-11-23T09:00:00+08:00',
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

console.log(
  `bench: starting the hub (namespace ${ns}, ${values.mode === 'separate' ? 'one process per service' : 'one process'}) …`,
);
const stack =
  values.mode === 'separate'
    ? await startProcesses(env)
    : await startStack(Object.keys(SERVICES), env, { logger, clock: systemClock }).then((s) => ({
        gateway: s.urls.get('gateway')!,
        stop: () => s.stop(),
      }));
const gateway = stack.gateway;
const kafka = createKafka({
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  clientId: 'bench',
  logger,
});
const consumer = kafka.consumer({ groupId: `${ns}.bench`, maxWaitTimeInMs: 50 });
const submittedAt = new Map<string, number>();
const latencies: number[] = [];
let requests = 0;
let finished: () => void = () => undefined;
const allDone = new Promise<void>((resolve) => {
  finished = resolve;
});
await consumer.connect();
await consumer.subscribe({ topic: topicName('notices', `${ns}.`), fromBeginning: true });
await consumer.run({
  eachBatch: async ({ batch }) => {
    const now = performance.now();
    for (const m of batch.messages) {
      const done = m.value ? payloadAs(decodeEnvelope(m.value), 'noticeCompleted') : undefined;
      const at = done ? submittedAt.get(done.noticeId) : undefined;
      if (!done || at === undefined) continue;
      latencies.push(now - at);
      requests += done.requests;
      submittedAt.delete(done.noticeId);
      if (latencies.length === total) finished();
    }
  },
});

console.log(
  `bench: filing ${total} inquiries in batches of ${batchSize}, ${concurrency} in flight, targets ${values.targets}`,
);
const started = performance.now();
let next = 0;
let lastReport = started;
async function worker() {
  while (next < total) {
    const from = next;
    next = Math.min(total, next + batchSize);
    const body = JSON.stringify({ notices: Array.from({ length: next - from }, (_, k) => notice(from + k)) });
    const sentAt = performance.now();
    const res = await fetch(`${gateway}/v1/notices/batch`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' },
      body,
    });
    if (!res.ok) throw new Error(`batch failed: ${res.status} ${await res.text()}`);
    const { results } = (await res.json()) as { results: { ok: boolean; id: string }[] };
    for (const r of results) if (r.ok) submittedAt.set(r.id, sentAt);
    if (performance.now() - lastReport > 2000) {
      lastReport = performance.now();
      console.log(`bench: ${next}/${total} filed, ${latencies.length} completed`);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const filedIn = (performance.now() - started) / 1000;
const progress = setInterval(() => console.log(`bench: ${latencies.length}/${total} completed`), 2000);
await allDone;
clearInterval(progress);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
console.log(`
inquiries            ${total} (${targets.length} agency kinds each; ${requests} agency requests)
filed in             ${filedIn.toFixed(1)} s
completed in         ${seconds.toFixed(1)} s
inquiries/s          ${(total / seconds).toFixed(0)}
agency requests/s    ${(requests / seconds).toFixed(0)}   (completed end to end)
latency p50          ${percentile(latencies, 50).toFixed(0)} ms
latency p95          ${percentile(latencies, 95).toFixed(0)} ms
latency p99          ${percentile(latencies, 99).toFixed(0)} ms`);
await consumer.disconnect();
await stack.stop();
process.exit(0);
