/**
 * What every benchmark workload shares: the hub started in this process (or one process per service),
 * filing through the gateway's REST API, and completion observed as NoticeCompleted on Kafka.
 */
import { randomBytes } from 'node:crypto';
import { decodeEnvelope, NOTICE_TOPIC_KEYS, payloadAs, topicName } from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { createKafka } from '@hub/messaging';
import { ANY_FREE_PORTS, createLogger } from '@hub/service-kit';
import { startProcesses } from '../src/processes.js';
import { SERVICES } from '../src/services.js';
import { startStack } from '../src/stack.js';

export const COURT_HEADERS = { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' };

/**
 * The environment of a hub started for a diagnostic (hops.ts, kill-probe.ts) in namespace `ns`: the published demo
 * credentials unless the environment sets its own, every request sent to its institution (no answer reused), no
 * rate limit on filing, and no interception checks from the mock agencies.
 */
export function diagnosticHubEnv(ns: string): Record<string, string | undefined> {
  return {
    HUB_DEMO: '1',
    ...process.env,
    HUB_NAMESPACE: ns,
    HUB_TOPIC_PREFIX: `${ns}.`,
    LOG_LEVEL: 'warn',
    QUERY_REUSE_WINDOW_HOURS: '0',
    GATEWAY_RATE_LIMIT_PER_MINUTE: '10000000',
    AGENCY_SIM_INTERCEPTION_CHECKS_PER_S: '0',
  };
}

export interface Completion {
  /** Agency requests the notice had. */
  requests: number;
  /** performance.now() when its NoticeCompleted was read. */
  at: number;
}

export interface BenchHub {
  ns: string;
  gateway: string;
  /** The mock population's seed (SIM_SEED): who holds what at the mock agencies. */
  seed: number;
  /** Resolves when every notice in `ids` has completed, with each one's completion. */
  completed(ids: Iterable<string>, onProgress?: (done: number) => void): Promise<Map<string, Completion>>;
  stop(): Promise<void>;
}

export async function startBenchHub(mode: 'one' | 'separate'): Promise<BenchHub> {
  const ns = `bench${randomBytes(3).toString('hex')}`;
  const env = {
    ...process.env,
    HUB_NAMESPACE: ns,
    HUB_TOPIC_PREFIX: `${ns}.`,
    LOG_LEVEL: 'warn',
    ...ANY_FREE_PORTS,
    SIM_POLL_MS: process.env.SIM_POLL_MS ?? '100',
    SIM_BATCH: '500',
    SIM_SEED: process.env.SIM_SEED ?? '2026',
    QUERY_REUSE_WINDOW_HOURS: '0', // every inquiry really goes to every agency
    GATEWAY_RATE_LIMIT_PER_MINUTE: '10000000',
  };
  const logger = createLogger({ service: 'bench', level: 'warn' });
  console.log(
    `bench: starting the hub (namespace ${ns}, ${mode === 'separate' ? 'one process per service' : 'one process'}) …`,
  );
  const stack =
    mode === 'separate'
      ? await startProcesses(env)
      : await startStack(Object.keys(SERVICES), env, { logger, clock: systemClock }).then((s) => ({
          gateway: s.urls.get('gateway')!,
          stop: () => s.stop(),
        }));

  // Every completion is kept (a notice may complete before its filer learns its id).
  const seen = new Map<string, Completion>();
  const waiters = new Set<() => void>();
  const kafka = createKafka({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: 'bench',
    logger,
  });
  const consumer = kafka.consumer({ groupId: `${ns}.bench`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({
    topics: NOTICE_TOPIC_KEYS.map((k) => topicName(k, `${ns}.`)),
    fromBeginning: true,
  });
  await consumer.run({
    autoCommit: false, // a throwaway group read from the beginning: nothing to resume
    eachBatch: async ({ batch }) => {
      const at = performance.now();
      for (const m of batch.messages) {
        const done = m.value ? payloadAs(decodeEnvelope(m.value), 'noticeCompleted') : undefined;
        if (done) seen.set(done.noticeId, { requests: done.requests, at });
      }
      for (const w of waiters) w();
    },
  });

  return {
    ns,
    gateway: stack.gateway,
    seed: Number(env.SIM_SEED),
    completed(ids, onProgress) {
      const want = [...ids];
      return new Promise((resolve) => {
        const progress = setInterval(() => onProgress?.(want.filter((id) => seen.has(id)).length), 2000);
        const check = () => {
          if (!want.every((id) => seen.has(id))) return;
          clearInterval(progress);
          waiters.delete(check);
          resolve(new Map(want.map((id) => [id, seen.get(id)!])));
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      await consumer.disconnect();
      await stack.stop();
    },
  };
}

export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** POST a JSON body to the gateway as the demo court; throws with the body on anything but 2xx. */
export async function postJson<T>(
  gateway: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = COURT_HEADERS,
): Promise<T> {
  const res = await fetch(`${gateway}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Figures of one workload, printed side by side. */
export interface Figures {
  workload: string;
  notices: number;
  requests: number;
  seconds: number;
  latenciesMs: number[];
}

export function printFigures(all: readonly Figures[]): void {
  const rows: [string, (f: Figures, sorted: number[]) => string][] = [
    ['notices', (f) => String(f.notices)],
    ['agency requests', (f) => String(f.requests)],
    ['completed in (s)', (f) => f.seconds.toFixed(1)],
    ['agency requests/s', (f) => (f.requests / f.seconds).toFixed(0)],
    ['latency p50 (ms)', (_, s) => percentile(s, 50).toFixed(0)],
    ['latency p95 (ms)', (_, s) => percentile(s, 95).toFixed(0)],
    ['latency p99 (ms)', (_, s) => percentile(s, 99).toFixed(0)],
  ];
  const sorted = all.map((f) => [...f.latenciesMs].sort((a, b) => a - b));
  console.log(`\n${''.padEnd(20)}${all.map((f) => f.workload.padStart(14)).join('')}`);
  for (const [label, cell] of rows)
    console.log(`${label.padEnd(20)}${all.map((f, i) => cell(f, sorted[i]!).padStart(14)).join('')}`);
  console.log(
    '(agency requests completed end to end; latency: filing, or posting the freeze plan → NoticeCompleted)',
  );
}
