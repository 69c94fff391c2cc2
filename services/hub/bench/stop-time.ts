/**
 * How long the hub takes to stop (SIGTERM to exit): starts it (STOP_MODE=separate: one process per service),
 * files STOP_NOTICES inquiries, waits STOP_SETTLE_MS, then stops it and prints each process's time to exit.
 * Run: `npx tsx services/hub/bench/stop-time.ts` (KAFKA_BROKERS as for tests).
 */
import { startProcesses } from '../src/processes.js';
import { COURT_HEADERS, diagnosticHubEnv } from './harness.js';
import { inquiry } from './inquiries.js';

const ns = `stop${Math.random().toString(16).slice(2, 8)}`;
const n = Number(process.env.STOP_NOTICES ?? 5);
const hub = await startProcesses(diagnosticHubEnv(ns), { oneProcess: process.env.STOP_MODE !== 'separate' });
for (let i = 0; i < n; i++) {
  await fetch(`${hub.gateway}/v1/notices`, {
    method: 'POST',
    headers: { ...COURT_HEADERS, 'idempotency-key': `${ns}-${i}` },
    body: JSON.stringify(inquiry(ns, i, ['bank', 'real-estate'])),
  });
}
await new Promise((r) => setTimeout(r, Number(process.env.STOP_SETTLE_MS ?? 3000)));
const exits = new Map<string, number>();
const t0 = performance.now();
for (const [name, p] of hub.processes) p.child.once('exit', () => exits.set(name, performance.now() - t0));
const codes = await hub.stop();
const total = performance.now() - t0;
for (const [name, code] of codes)
  console.log(`${name}: exit ${code} after ${((exits.get(name) ?? Number.NaN) / 1000).toFixed(2)} s`);
console.log(`stopped in ${(total / 1000).toFixed(2)} s (namespace ${ns})`);
