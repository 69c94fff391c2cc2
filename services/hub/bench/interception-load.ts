/**
 * The interception benchmark's load generator, run as its own process so that it does not share an event
 * loop with the adapter it measures. Signed single-ID checks open-loop at increasing rates (latency counted
 * from when each call was due, so a stalled server cannot hide its queue), then batched checks of 1,000 IDs
 * closed-loop. Keep-alive connections. The single checks are signed before each step and written as
 * prepared bytes (raw-http.ts): through undici's Pool, signing in the timed path, this process spent 93–116 µs
 * of CPU per call, CPU the adapter shares on 2 cores. The batched calls go through undici (a 1,000-ID body
 * dwarfs the client's cost). Prints one JSON line (prefixed `RESULT `) for the parent.
 */
import { signAgencyRequest } from '@hub/agency-kit';
import { Pool } from 'undici';
import { BENCH_INSTITUTION, BENCH_SECRET, benchSubjectId } from './interception-subjects.js';
import { RawHttpClient, requestBytes } from './raw-http.js';

export interface LoadPlan {
  /** The adapter instances: connections are spread over them in turn, as a balancer would. */
  urls: string[];
  /** A bare node:http server (bare-http-server.ts): the machine's floor, driven the same way at each rate. */
  bareUrl?: string;
  subjects: number;
  rates: number[];
  seconds: number;
  connections: number;
  batchSize: number;
  batchConnections: number;
  batchSeconds: number;
  /** Stop raising the rate once p99 exceeds this (ms) or fewer than 90 % of the offered calls are answered. */
  giveUpP99Ms: number;
}

export interface StepResult {
  offered: number;
  /** The adapter's CPU time (user + system, from its /metrics) per call answered. */
  serverCpuUsPerCall: number;
  /** This load process's own CPU time per call (signing, HTTP client): the machine's other cost. */
  loadCpuUsPerCall: number;
  sent: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  callsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** p99 counted from when the call was actually sent: the server's share, without the generator's lateness. */
  sentP99: number;
  /** p99 of how late the generator sent a call after it was due (its timer granularity, its own load). */
  lateP99: number;
}

export interface BatchResult {
  /** The adapter's CPU time per ID answered. */
  serverCpuUsPerId: number;
  calls: number;
  errors: number;
  idsPerSecond: number;
  p50: number;
  p99: number;
}

const plan = JSON.parse(process.env.BENCH_INTERCEPTION_PLAN ?? '{}') as LoadPlan;
const targets = plan.urls.map((u) => new URL(u));
const pools = plan.urls.map(
  (u) => new Pool(u, { connections: Math.ceil(plan.connections / plan.urls.length), pipelining: 1 }),
);
let nextPool = 0;
const raw = await RawHttpClient.connect(
  Array.from({ length: plan.connections }, (_, i) => {
    const t = targets[i % targets.length]!;
    return { host: t.hostname, port: Number(t.port) };
  }),
);
const bareTarget = plan.bareUrl ? new URL(plan.bareUrl) : undefined;
const bareClient = bareTarget
  ? await RawHttpClient.connect(
      Array.from({ length: plan.connections }, () => ({
        host: bareTarget.hostname,
        port: Number(bareTarget.port),
      })),
    )
  : undefined;
const ids = Array.from({ length: plan.subjects }, (_, i) => benchSubjectId(i));

async function post(path: string, body: string): Promise<number> {
  const headers = {
    ...signAgencyRequest({
      institution: BENCH_INSTITUTION,
      secret: BENCH_SECRET,
      method: 'POST',
      path,
      body,
    }),
    'content-type': 'application/json',
  };
  try {
    const pool = pools[nextPool++ % pools.length]!;
    const res = await pool.request({ method: 'POST', path, headers, body });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}

/** The adapter processes' CPU seconds so far, all together (prom-client default metrics). */
async function serverCpuSeconds(): Promise<number> {
  let sum = 0;
  for (const url of plan.urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const m = /^process_cpu_seconds_total(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text);
    sum += m ? Number(m[1]) : Number.NaN;
  }
  return sum;
}

const pct = (sorted: ArrayLike<number>, p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * `total` calls open-loop at `rate`: each sent when due on the raw client (or queued behind busy sockets), its
 * latency counted from when it was due. `prepare` builds every call's bytes before the clock starts.
 */
async function openLoop(
  rate: number,
  seconds: number,
  prepare = signedChecks,
  client = raw,
): Promise<StepResult> {
  const total = Math.round(rate * seconds);
  const calls = prepare(total);
  const latencies = new Float64Array(total);
  const sentLatencies = new Float64Array(total);
  const lateness = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let sent = 0;
  let done = 0;
  let lastDone = 0;
  const cpu0 = client === raw ? await serverCpuSeconds() : 0;
  const own0 = process.cpuUsage();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const fire = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      while (sent < due) {
        const i = sent;
        const dueAt = start + (i / rate) * 1000;
        sent += 1;
        const sentAt = performance.now();
        lateness[i] = sentAt - dueAt;
        client.send(calls[i]!, (status) => {
          const now = performance.now();
          latencies[i] = now - dueAt;
          sentLatencies[i] = now - sentAt;
          statuses[status] = (statuses[status] ?? 0) + 1;
          done += 1;
          lastDone = now;
          if (done === total) resolve();
        });
      }
      if (sent < total) setTimeout(fire, 1);
    };
    fire();
  });
  const own = process.cpuUsage(own0);
  const cpu = client === raw ? (await serverCpuSeconds()) - cpu0 : Number.NaN;
  latencies.sort();
  sentLatencies.sort();
  lateness.sort();
  const ok = statuses[200] ?? 0;
  return {
    offered: rate,
    serverCpuUsPerCall: (cpu * 1e6) / Math.max(1, ok),
    loadCpuUsPerCall: (own.user + own.system) / Math.max(1, sent),
    sent,
    ok,
    errors: sent - ok,
    statuses,
    callsPerSecond: ok / ((lastDone - start) / 1000),
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    sentP99: pct(sentLatencies, 99),
    lateP99: pct(lateness, 99),
  };
}

const CHECK_PATH = '/v1/agency/interception/check';

/**
 * `n` signed single-ID checks of random subjects, each with its own nonce, signed before the step: it lasts
 * seconds, well inside the signature window, and signing is the partner's cost, not the adapter's.
 */
function signedChecks(n: number): Buffer[] {
  const out = new Array<Buffer>(n);
  for (let i = 0; i < n; i++) {
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    const body = `{"id":"${id}"}`;
    const headers = signAgencyRequest({
      institution: BENCH_INSTITUTION,
      secret: BENCH_SECRET,
      method: 'POST',
      path: CHECK_PATH,
      body,
    });
    out[i] = requestBytes(
      'POST',
      CHECK_PATH,
      targets[0]!.host,
      { ...headers, 'content-type': 'application/json' },
      body,
    );
  }
  return out;
}

/** The same unsigned GET of the adapter's /healthz `n` times: the floor of one HTTP round trip here. */
function healthz(n: number): Buffer[] {
  return new Array<Buffer>(n).fill(requestBytes('GET', '/healthz', targets[0]!.host, {}));
}

/** A check-sized POST to the bare server `n` times (it reads and ignores the body). */
function barePosts(n: number): Buffer[] {
  const bytes = requestBytes(
    'POST',
    CHECK_PATH,
    bareTarget!.host,
    { 'content-type': 'application/json' },
    `{"id":"${ids[0]}"}`,
  );
  return new Array<Buffer>(n).fill(bytes);
}

async function batched(): Promise<BatchResult> {
  const latencies: number[] = [];
  let calls = 0;
  let errors = 0;
  const cpu0 = await serverCpuSeconds();
  const start = performance.now();
  const until = start + plan.batchSeconds * 1000;
  await Promise.all(
    Array.from({ length: plan.batchConnections }, async () => {
      while (performance.now() < until) {
        const from = Math.floor(Math.random() * (ids.length - plan.batchSize));
        const body = JSON.stringify({ ids: ids.slice(from, from + plan.batchSize) });
        const t = performance.now();
        const status = await post('/v1/agency/interception/checks', body);
        latencies.push(performance.now() - t);
        if (status === 200) calls += 1;
        else errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const cpu = (await serverCpuSeconds()) - cpu0;
  latencies.sort((a, b) => a - b);
  return {
    serverCpuUsPerId: (cpu * 1e6) / Math.max(1, calls * plan.batchSize),
    calls,
    errors,
    idsPerSecond: (calls * plan.batchSize) / elapsed,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
  };
}

// Warm up both sides (JIT, connections) before anything counts.
await openLoop(Math.min(500, plan.rates[0] ?? 500), 2);
const steps: StepResult[] = [];
const floor: StepResult[] = [];
const bare: StepResult[] = [];
if (bareClient) await openLoop(Math.min(500, plan.rates[0] ?? 500), 2, barePosts, bareClient);
for (const rate of plan.rates) {
  // The same rate of unsigned /healthz calls first: what any HTTP call to the adapter costs here; and of posts to a
  // bare node:http server: what any Node.js server answering this load costs on this machine.
  floor.push(await openLoop(rate, Math.min(plan.seconds, 5), healthz));
  if (bareClient) bare.push(await openLoop(rate, Math.min(plan.seconds, 5), barePosts, bareClient));
  const step = await openLoop(rate, plan.seconds);
  steps.push(step);
  process.stderr.write(
    `  ${rate}/s offered: ${step.callsPerSecond.toFixed(0)} ok/s, p50 ${step.p50.toFixed(2)} ms, p99 ${step.p99.toFixed(2)} ms (from send ${step.sentP99.toFixed(2)}, generator late ${step.lateP99.toFixed(2)}; /healthz at this rate p99 ${floor.at(-1)!.p99.toFixed(2)}, a bare node:http server ${bare.at(-1)?.p99.toFixed(2) ?? '-'}), errors ${step.errors}, adapter CPU ${step.serverCpuUsPerCall.toFixed(0)} µs/call, load CPU ${step.loadCpuUsPerCall.toFixed(0)} µs/call\n`,
  );
  if (step.p99 > plan.giveUpP99Ms || step.callsPerSecond < 0.9 * rate) break;
}
const batch = plan.batchConnections > 0 ? await batched() : undefined;
raw.close();
bareClient?.close();
await Promise.all(pools.map((p) => p.close()));
process.stdout.write(`RESULT ${JSON.stringify({ steps, floor, bare, batch })}\n`);
