/**
 * The interception workload (自动比对、拦截): bank adapter processes (one by default; `--adapters N` runs N
 * replicas, the load spread over them as a balancer would) over a Redis projection of
 * `subjects` subjects (a tenth restricted, filled through InterceptionProjection.apply as the punishment
 * service writes it), driven by a separate load process: signed single-ID checks open-loop at increasing
 * rates, then batched checks of 1,000 IDs. Prints sustained calls/s with latency percentiles and IDs/s.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadAdapterConfig } from '@hub/agency-kit';
import { type InterceptionEntry, InterceptionProjection, subjectHash } from '@hub/interception';
import { ANY_FREE_PORTS } from '@hub/service-kit';
import { Redis } from 'ioredis';
import type { BatchResult, LoadPlan, StepResult } from './interception-load.js';
import { benchSubjectId, isRestrictedSubject } from './interception-subjects.js';

export interface InterceptionBenchOptions {
  subjects: number;
  restrictedShare: number;
  rates: number[];
  seconds: number;
  connections: number;
  batchConnections: number;
  batchSeconds: number;
  /** Adapter instances, each its own process (replicas behind a balancer); the load spreads its connections. */
  adapters: number;
}

const LOAD = fileURLToPath(new URL('./interception-load.ts', import.meta.url));
const ADAPTER = fileURLToPath(new URL('./interception-adapter.ts', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-http-server.ts', import.meta.url));

interface AdapterProcess {
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts one adapter process (with BENCH_ADAPTER_NODE_OPTIONS, e.g. a CPU profile), or with `script` the bare floor
 * server (plain node), and waits for its port.
 */
function startAdapter(env: NodeJS.ProcessEnv, script = ADAPTER): Promise<AdapterProcess> {
  return new Promise((resolve, reject) => {
    const flags = script === ADAPTER ? (env.BENCH_ADAPTER_NODE_OPTIONS ?? '').split(' ').filter(Boolean) : [];
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', script], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let out = '';
    const onData = (d: Buffer) => {
      out += String(d);
      const m = /^PORT (\d+)$/m.exec(out);
      if (!m) return;
      child.stdout.off('data', onData);
      // Whatever it writes later (warnings) is passed on, never left to fill the pipe and stall it.
      child.stdout.pipe(process.stderr);
      resolve({
        port: Number(m[1]),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.once('error', reject);
    void exited.then(() =>
      reject(new Error(`an adapter process exited before listening: ${out.slice(-300)}`)),
    );
  });
}

function entriesOf(i: number): InterceptionEntry[] {
  const base = {
    courtCode: '川0104',
    caseNo: `(2026)川0104执${i + 1}号`,
    noticeId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    since: '2026-11-23T01:00:00.000Z',
    role: 'debtor',
    debtorKind: 'person',
  };
  return [
    {
      ...base,
      entryId: `L-${i}`,
      measure: 'dishonest-list',
      endsAt: '2028-11-23T01:00:00.000Z',
      ground: 'evading-enforcement',
    },
    { ...base, entryId: `C-${i}`, measure: 'restrict-consumption', impliedBy: `L-${i}` },
  ];
}

async function fill(projection: InterceptionProjection, o: InterceptionBenchOptions): Promise<void> {
  const chunk = 2000;
  for (let from = 0; from < o.subjects; from += chunk) {
    const standings = [];
    for (let i = from; i < Math.min(o.subjects, from + chunk); i++) {
      // The unrestricted are written too, as a lifted standing is (version 2, nothing binding).
      const restricted = isRestrictedSubject(i, o.restrictedShare);
      standings.push({
        hash: subjectHash(benchSubjectId(i)),
        version: restricted ? 1 : 2,
        entries: restricted ? entriesOf(i) : [],
      });
    }
    await projection.apply(standings);
  }
  await projection.markReady('bench', new Date());
}

function runLoad(
  plan: LoadPlan,
): Promise<{ steps: StepResult[]; floor: StepResult[]; bare: StepResult[]; batch?: BatchResult }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD], {
      env: { ...process.env, BENCH_INTERCEPTION_PLAN: JSON.stringify(plan) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`load process exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)));
    });
  });
}

export async function runInterceptionBench(o: InterceptionBenchOptions): Promise<void> {
  const ns = `bench${randomBytes(3).toString('hex')}`;
  const env = {
    ...process.env,
    HUB_NAMESPACE: ns,
    HUB_TOPIC_PREFIX: `${ns}.`,
    LOG_LEVEL: 'warn',
    ...ANY_FREE_PORTS,
  };
  const config = loadAdapterConfig('bank', env);
  const redis = new Redis(config.REDIS_URL);
  const projection = new InterceptionProjection(redis, ns);
  console.log(
    `bench: interception, ${o.adapters} bank adapter process${o.adapters === 1 ? '' : 'es'} (namespace ${ns}) …`,
  );
  const started = await Promise.allSettled([
    startAdapter(env, BARE),
    ...Array.from({ length: o.adapters }, () => startAdapter(env)),
  ]);
  const children = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(children.map((a) => a.stop()));
    redis.disconnect();
    throw failed.reason;
  }
  const [bare, ...adapters] = children as [AdapterProcess, ...AdapterProcess[]];
  try {
    const t = performance.now();
    await fill(projection, o);
    console.log(
      `bench: ${o.subjects} subjects in Redis (${Math.round(o.subjects * o.restrictedShare)} restricted) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    console.log('bench: single-ID checks, open loop (latency from when each call was due):');
    const {
      steps,
      floor,
      bare: bareSteps,
      batch,
    } = await runLoad({
      urls: adapters.map((a) => `http://127.0.0.1:${a.port}`),
      bareUrl: `http://127.0.0.1:${bare.port}`,
      subjects: o.subjects,
      rates: o.rates,
      seconds: o.seconds,
      connections: o.connections,
      batchSize: 1000,
      batchConnections: o.batchConnections,
      batchSeconds: o.batchSeconds,
      giveUpP99Ms: 1000,
    });
    printInterception(steps, batch, floor, bareSteps);
  } finally {
    await Promise.all(children.map((a) => a.stop()));
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 5000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
}

function printInterception(
  steps: StepResult[],
  batch: BatchResult | undefined,
  floor: StepResult[],
  bare: StepResult[],
): void {
  const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  console.log(
    `\n${'offered/s'.padStart(10)}${'ok calls/s'.padStart(12)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'errors'.padStart(8)}${'adapter µs'.padStart(12)}${'load µs'.padStart(9)}`,
  );
  for (const s of steps) {
    console.log(
      `${String(s.offered).padStart(10)}${f(s.callsPerSecond, 0).padStart(12)}${f(s.p50).padStart(9)}${f(s.p95).padStart(9)}${f(s.p99).padStart(9)}${f(s.max, 1).padStart(9)}${String(s.errors).padStart(8)}${f(s.serverCpuUsPerCall, 0).padStart(12)}${f(s.loadCpuUsPerCall, 0).padStart(9)}`,
    );
  }
  console.log('(adapter µs, load µs: CPU time per call of the adapter and of the load process)');
  // The same generator against nothing but HTTP: the adapter's /healthz (fastify, the adapter's process), and a bare
  // node:http server in a process of its own (the machine's floor for any Node.js server at that rate).
  for (const s of steps) {
    const h = floor.find((x) => x.offered === s.offered);
    const b = bare.find((x) => x.offered === s.offered);
    console.log(
      `floor at ${s.offered}/s: the adapter's /healthz p99 ${f(h?.p99 ?? Number.NaN)} ms; a bare node:http server p99 ${f(b?.p99 ?? Number.NaN)} ms (p50 ${f(b?.p50 ?? Number.NaN)}, generator late ${f(b?.lateP99 ?? Number.NaN)})`,
    );
  }
  const sustained = steps.filter((s) => s.errors === 0 && s.p99 <= 5).at(-1);
  console.log(
    sustained
      ? `sustained with p99 ≤ 5 ms: ${f(sustained.callsPerSecond, 0)} calls/s (offered ${sustained.offered}/s)`
      : 'no step held p99 ≤ 5 ms',
  );
  const best = Math.min(...steps.map((s) => s.serverCpuUsPerCall));
  console.log(
    `adapter CPU per single check: ${f(best, 0)} µs, i.e. about ${f(1e6 / best, 0)} calls/s per free core (what the hot path costs, whatever else loads the machine)`,
  );
  if (batch) {
    console.log(
      `batched (1,000 IDs per call): ${f(batch.idsPerSecond, 0)} IDs/s, ${batch.calls} calls, per call p50 ${f(batch.p50)} ms, p99 ${f(batch.p99)} ms, errors ${batch.errors}, adapter CPU ${f(batch.serverCpuUsPerId, 1)} µs/ID`,
    );
  }
}
