/**
 * The interception benchmark's load generator, run as its own process so that it does not share an event
 * loop with the adapter it measures. Signed single-ID checks open-loop at increasing rates (latency counted
 * from when each call was due, so a stalled server cannot hide its queue), then batched checks of 1,000 IDs
 * closed-loop. Keep-alive connections; signed calls go through undici's Pool, which costs this process about
 * a fifth less CPU per call than node:http's client (78–93 against 105–114 µs), CPU the adapter shares on 2
 * cores. Prints one JSON line (prefixed `RESULT `) for the parent.
 */
import http from 'node:http';
import { signAgencyRequest } from '@hub/agency-kit';
import { Pool } from 'undici';
import { BENCH_INSTITUTION, BENCH_SECRET, benchSubjectId } from './interception-subjects.js';

export interface LoadPlan {
  url: string;
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
const target = new URL(plan.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: plan.connections, scheduling: 'fifo' });
const pool = new Pool(plan.url, { connections: plan.connections, pipelining: 1 });
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
    const res = await pool.request({ method: 'POST', path, headers, body });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}

/** An unsigned GET (the adapter's /healthz): the floor of one HTTP round trip to the adapter on this machine. */
function get(path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: target.hostname, port: target.port, method: 'GET', path, agent },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** The adapter process's CPU seconds so far (prom-client default metrics). */
async function serverCpuSeconds(): Promise<number> {
  const text = await (await fetch(`${plan.url}/metrics`)).text();
  const m = /^process_cpu_seconds_total(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

const pct = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function openLoop(rate: number, seconds: number, call = check): Promise<StepResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const sentLatencies: number[] = [];
  const lateness: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let done = 0;
  let lastDone = 0;
  const cpu0 = await serverCpuSeconds();
  const own0 = process.cpuUsage();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const fire = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      while (sent < due) {
        const dueAt = start + (sent / rate) * 1000;
        sent += 1;
        const sentAt = performance.now();
        lateness.push(sentAt - dueAt);
        void call().then((status) => {
          const now = performance.now();
          latencies.push(now - dueAt);
          sentLatencies.push(now - sentAt);
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
  const cpu = (await serverCpuSeconds()) - cpu0;
  latencies.sort((a, b) => a - b);
  sentLatencies.sort((a, b) => a - b);
  lateness.sort((a, b) => a - b);
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

/** One signed single-ID check of a random subject. */
function check(): Promise<number> {
  const id = ids[Math.floor(Math.random() * ids.length)]!;
  return post('/v1/agency/interception/check', `{"id":"${id}"}`);
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
for (const rate of plan.rates) {
  // The same rate of unsigned /healthz calls first: what any HTTP call to the adapter costs here.
  floor.push(await openLoop(rate, Math.min(plan.seconds, 5), () => get('/healthz')));
  const step = await openLoop(rate, plan.seconds);
  steps.push(step);
  process.stderr.write(
    `  ${rate}/s offered: ${step.callsPerSecond.toFixed(0)} ok/s, p50 ${step.p50.toFixed(2)} ms, p99 ${step.p99.toFixed(2)} ms (from send ${step.sentP99.toFixed(2)}, generator late ${step.lateP99.toFixed(2)}; /healthz at this rate p99 ${floor.at(-1)!.p99.toFixed(2)}), errors ${step.errors}, adapter CPU ${step.serverCpuUsPerCall.toFixed(0)} µs/call, load CPU ${step.loadCpuUsPerCall.toFixed(0)} µs/call\n`,
  );
  if (step.p99 > plan.giveUpP99Ms || step.callsPerSecond < 0.9 * rate) break;
}
const batch = plan.batchConnections > 0 ? await batched() : undefined;
agent.destroy();
await pool.close();
process.stdout.write(`RESULT ${JSON.stringify({ steps, floor, batch })}\n`);
