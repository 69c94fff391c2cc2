/**
 * Crash probe (a diagnostic beside the benchmarks, not a test): starts the hub with one process per service, files
 * KILL_NOTICES inquiries (default 300) to every agency kind, 8 at a time, and halfway SIGKILLs (kill -9: no shutdown
 * of any kind) the services named in KILL_SERVICES (default query, adapter-bank, adapter-real-estate), or with
 * KILL_MODE=one the one-process hub whole (the mock agencies in their own process); files the
 * rest while they are down, starts them again one after another, waits for every notice to complete (at most
 * KILL_WAIT_S seconds, default 120), then prints what each store holds: every notice completed, and in every
 * adapter's inbox and in the query service and the tracker exactly one row per request, each answered once.
 * Exits 1 when any of that does not hold. A request an adapter leased to an agency just before it was killed, whose
 * reply never left, comes back when the mock agency repeats that lease call with its Idempotency-Key (before
 * 2026-12-08 it waited out the 60 s lease: 287 of 300 completed in 3 s, the last 13 in 45 s; now all 300 within
 * 1–5 s of the restarts).
 * Run: `npx tsx services/hub/bench/kill-probe.ts` (KAFKA_BROKERS and DATABASE_URL as for tests).
 */
import { schemaName } from '@hub/service-kit';
import { connectClient } from '@hub/store';
import { type SeparateService, startProcesses } from '../src/processes.js';
import { COURT_HEADERS, diagnosticHubEnv } from './harness.js';
import { inquiry } from './inquiries.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n = Number(process.env.KILL_NOTICES ?? 300);
const waitS = Number(process.env.KILL_WAIT_S ?? 120);
// KILL_MODE=one: the one-process hub (its adapters on their worker thread) is killed whole, the mock agencies apart.
const oneProcess = process.env.KILL_MODE === 'one';
const victims = (
  oneProcess ? ['hub'] : (process.env.KILL_SERVICES ?? 'query,adapter-bank,adapter-real-estate').split(',')
) as (SeparateService | 'hub')[];
const ns = `kill${Math.random().toString(16).slice(2, 8)}`;
const targets = ['bank', 'real-estate', 'public-security', 'provident-fund'];

// No answer reused: every request goes to its institution, so every inbox holds one row per request.
const hub = await startProcesses(diagnosticHubEnv(ns), { oneProcess, agenciesApart: oneProcess });
const db = await connectClient({
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  schema: 'public',
  applicationName: 'kill-probe',
});
const schema = (service: string) => schemaName(ns, service);
const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]!.n;
let ok = true;
const check = (what: string, good: boolean) => {
  console.log(`${good ? 'ok  ' : 'FAIL'} ${what}`);
  ok &&= good;
};
try {
  const t0 = Date.now();
  let next = 0;
  let killed: Promise<void> | undefined;
  let restarting: Promise<void> | undefined;
  const file = async () => {
    for (let i = next++; i < n; i = next++) {
      if (i === Math.floor(n / 2)) {
        killed = Promise.all(victims.map((s) => hub.crash(s))).then(() => undefined);
        await killed;
        console.log(`kill -9 ${victims.join(', ')} after ${i} filings (${Date.now() - t0} ms)`);
        // The one-process hub is the gateway too: nothing is filed until it is back.
        if (oneProcess) restarting = hub.restart('hub');
      }
      // As a court's client would: a filing the killed gateway never answered is sent again with the same key.
      for (let tries = 0; ; tries++) {
        const res = await fetch(`${hub.gateway}/v1/notices`, {
          method: 'POST',
          headers: { ...COURT_HEADERS, 'idempotency-key': `${ns}-${i}` },
          body: JSON.stringify(inquiry(ns, i, targets)),
        }).catch((err: unknown) => err as Error);
        if (!(res instanceof Error) && res.ok) break;
        if (!(res instanceof Error) || tries > 240) {
          throw new Error(
            `filing ${i}: ${res instanceof Error ? res.message : `${res.status} ${await res.text()}`}`,
          );
        }
        await sleep(250);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, file));
  await killed;
  console.log(`${n} notices filed in ${Date.now() - t0} ms; starting ${victims.join(', ')} again`);
  const r0 = Date.now();
  if (restarting) await restarting;
  // Together, as an orchestrator restarts what crashed (one after another they took 15 s).
  else await Promise.all(victims.map((s) => hub.restart(s)));
  console.log(`restarted in ${Date.now() - r0} ms`);
  const completed = `SELECT count(*)::int AS n FROM ${schema('query')}.notices WHERE status = 'completed'`;
  let done = 0;
  for (let last = -1; Date.now() - r0 < waitS * 1000; await sleep(500)) {
    done = await count(completed);
    if (done !== last) console.log(`  +${Date.now() - r0} ms: ${done}/${n} completed`);
    last = done;
    if (done >= n) break;
  }
  check(`${done}/${n} notices completed, ${Date.now() - r0} ms after the restarts began`, done === n);
  let requests = 0;
  for (const agency of targets) {
    const { rows } = await db.query<{ rows: number; ids: number; answered: number; notices: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids, count(DISTINCT notice_id)::int AS notices,
              count(*) FILTER (WHERE answered_at IS NOT NULL)::int AS answered
       FROM ${schema(`adapter-${agency}`)}.requests`,
    );
    const r = rows[0]!;
    requests += r.rows;
    check(
      `adapter-${agency}: ${r.rows} inbox rows, ${r.ids} distinct, ${r.answered} answered, over ${r.notices} notices`,
      r.rows === r.ids && r.answered === r.rows && r.notices === n,
    );
  }
  const answeredIn = async (service: string) => {
    const total = await count(`SELECT count(*)::int AS n FROM ${schema(service)}.requests`);
    const answered = await count(
      `SELECT count(*)::int AS n FROM ${schema(service)}.requests WHERE answered_at IS NOT NULL`,
    );
    return { total, answered };
  };
  const q = await answeredIn('query');
  check(
    `query: ${q.total} requests, ${q.answered} answered`,
    q.total === requests && q.answered === requests,
  );
  // The read model folds every half second: give it a few folds.
  let t = await answeredIn('tracker');
  for (let i = 0; i < 20 && t.answered < requests; i++, t = await answeredIn('tracker')) await sleep(500);
  check(
    `tracker: ${t.total} requests, ${t.answered} answered`,
    t.total === requests && t.answered === requests,
  );
} finally {
  await db.end();
  await hub.stop();
}
process.exit(ok ? 0 : 1);
