/**
 * Idle probe (a diagnostic beside the open-loop benchmark): starts the hub (IDLE_MODE=separate: one process per
 * service), lets it settle IDLE_SETTLE_S seconds (default 20), then reads each process's CPU time and voluntary
 * context switches (its wake-ups) from /proc over IDLE_SECONDS (default 30) and prints them per process.
 * Run: `npx tsx services/hub/bench/idle-probe.ts` (KAFKA_BROKERS as for tests).
 */
import fs from 'node:fs';
import { startProcesses } from '../src/processes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ns = `idle${Math.random().toString(16).slice(2, 8)}`;
const settle = Number(process.env.IDLE_SETTLE_S ?? 20);
const seconds = Number(process.env.IDLE_SECONDS ?? 30);
const hub = await startProcesses(
  {
    // A local hub with the published demo credentials unless the environment sets its own.
    HUB_DEMO: '1',
    ...process.env,
    HUB_NAMESPACE: ns,
    HUB_TOPIC_PREFIX: `${ns}.`,
    LOG_LEVEL: 'warn',
    AGENCY_SIM_INTERCEPTION_CHECKS_PER_S: '0',
  },
  { oneProcess: process.env.IDLE_MODE !== 'separate', agenciesApart: true },
);
const tick = 100; // USER_HZ
function threads(pid: number): { cpu: number; wakes: number } {
  let cpu = 0;
  let wakes = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu += Number(stat[11]) + Number(stat[12]);
      const status = fs.readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
      wakes += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)![1]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return { cpu, wakes };
}
try {
  await sleep(settle * 1000);
  const pids = [...hub.processes].map(([name, p]) => [name, p.child.pid!] as const);
  const before = new Map(pids.map(([name, pid]) => [name, threads(pid)]));
  await sleep(seconds * 1000);
  let total = 0;
  for (const [name, pid] of pids) {
    const a = before.get(name)!;
    const b = threads(pid);
    const pct = ((b.cpu - a.cpu) / tick / seconds) * 100;
    total += name === 'agency-sim' ? 0 : pct;
    console.log(
      `${name.padEnd(26)} ${pct.toFixed(2).padStart(6)} % of a core, ${((b.wakes - a.wakes) / seconds).toFixed(1).padStart(6)} wake-ups/s`,
    );
  }
  console.log(`hub (agency-sim excluded) ${total.toFixed(2)} % of a core`);
} finally {
  await hub.stop();
}
