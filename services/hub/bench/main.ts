/**
 * End-to-end benchmarks on the real stack (prints figures; not a test): every service in this process (or
 * one process per service), mock agencies answering at once, completion observed on Kafka.
 *
 *   npm run bench -- [--workload inquiry,freeze-plan] [--mode one|separate|one,separate]
 *                    [--request-rates 300,600,900,1200,1500,1800] [--step-seconds 60] [--hold-seconds 60]
 *                    [--idle-seconds 20] [--idle-settle-seconds 30] [--warmup-seconds 15] [--sample 0.2]
 *                    [--agencies apart|in]   (the mock agencies in their own process, or in the hub's)
 *                    [--vacuum auto|off]     (auto: vacuum the run's tables when the server's autovacuum is off)
 *                    [--trace-loop]          (each hub process's event-loop delay and GC over the hold)
 *   npm run bench -- --workload inquiry-burst [--notices 2000] [--batch 100] [--concurrency 4]
 *   npm run bench -- --workload freeze-plan [--cases 200] [--mode separate]
 *   npm run bench -- --workload interception [--subjects 100000] [--rates 1000,2500,5000,7500,10000]
 *                    [--seconds 10] [--connections 64] [--batch-connections 4] [--adapters 1]
 *   npm run bench -- --data 10000000 [--data-runs 7] [--data-refill]
 *
 * `inquiry` is the open-loop benchmark (open-loop.ts: baselines, idle CPU, rising rates until the backlog
 * grows, latency by stage at 70 % of the sustained rate; JSON and an SVG plot in bench-results/); the hub runs
 * in its own process(es). `inquiry-burst` files everything at once (closed loop: throughput only).
 * The interception workload needs no hub: bank adapter process(es) over a filled Redis projection, driven by a
 * separate load process (interception.ts; BENCH_ADAPTER_TRACE=1 prints each adapter's event-loop delay and
 * GC pauses per second, BENCH_ADAPTER_NODE_OPTIONS passes node flags to the adapters). `--data N` fills the tracker's read model to N requests and times
 * every ops read over it (read-model.ts); it runs alone.
 */
import { parseArgs } from 'node:util';
import { runFreezePlans } from './freeze-plans.js';
import { type Figures, printFigures, startBenchHub } from './harness.js';
import { benchIdNumber, runInquiries } from './inquiries.js';
import { runInterceptionBench } from './interception.js';
import { runOpenLoop } from './open-loop.js';
import { runReadModelBench } from './read-model.js';

const { values } = parseArgs({
  options: {
    /** Workloads run one after the other on one hub, printed side by side. */
    workload: { type: 'string', default: 'inquiry,freeze-plan' },
    /** Inquiries of the inquiry workload. */
    notices: { type: 'string', default: '2000' },
    /** Cases (one debtor, one freeze plan each) of the freeze-plan workload. */
    cases: { type: 'string', default: '200' },
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    targets: { type: 'string', default: 'bank,real-estate,public-security,provident-fund' },
    /** `one`: every service in one process; `separate`: every service its own process (2 cores). */
    mode: { type: 'string', default: 'one' },
    /** Open-loop inquiry: offered agency requests/s per step, seconds per step and at 70 %, idle seconds. */
    'request-rates': { type: 'string', default: '300,600,900,1200,1500,1800' },
    'step-seconds': { type: 'string', default: '60' },
    'hold-seconds': { type: 'string', default: '60' },
    'idle-seconds': { type: 'string', default: '20' },
    /** Seconds the hub runs idle before the idle phase is measured (start-up compilation is not idling). */
    'idle-settle-seconds': { type: 'string', default: '30' },
    /** Seconds of load at the first rate after the idle phase, not measured (the hot paths' first compilation). */
    'warmup-seconds': { type: 'string', default: '15' },
    /** Share of inquiries whose every stage is traced. */
    sample: { type: 'string', default: '0.2' },
    /** Interception: subjects in the projection (a tenth restricted), offered rates, seconds per rate. */
    subjects: { type: 'string', default: '100000' },
    rates: { type: 'string', default: '1000,2500,5000,7500,10000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    'batch-connections': { type: 'string', default: '4' },
    adapters: { type: 'string', default: '1' },
    /** Open-loop inquiry, one-process mode: the mock agencies `apart` (their own process) or `in` the hub's. */
    agencies: { type: 'string', default: 'apart' },
    /** Open-loop inquiry: `auto` stands in for the server's autovacuum when it is off (vacuum.ts), `off` never. */
    vacuum: { type: 'string', default: 'auto' },
    /**
     * Open-loop inquiry: every hub process traces its event loop (HUB_LOOP_TRACE, service-kit loop-trace.ts) and the
     * hold prints each one's delay and GC. Off by default: its 1 ms timer costs an idle process CPU of its own.
     */
    'trace-loop': { type: 'boolean', default: false },
    /** The tracker's read model filled to this many requests, then every ops read timed (read-model.ts). */
    data: { type: 'string' },
    'data-runs': { type: 'string', default: '7' },
    'data-refill': { type: 'boolean', default: false },
  },
});
if (values.data !== undefined) {
  await runReadModelBench({
    requests: Number(values.data),
    runs: Number(values['data-runs']),
    refill: values['data-refill'] === true,
    outDir: 'bench-results',
  });
  process.exit(0);
}
const workloads = String(values.workload).split(',');
const notices = Number(values.notices);
const concurrency = Number(values.concurrency);
if (workloads.includes('interception')) {
  await runInterceptionBench({
    subjects: Number(values.subjects),
    restrictedShare: 0.1,
    rates: String(values.rates).split(',').map(Number),
    seconds: Number(values.seconds),
    connections: Number(values.connections),
    batchConnections: Number(values['batch-connections']),
    batchSeconds: Number(values.seconds),
    adapters: Number(values.adapters),
  });
}
if (workloads.includes('inquiry')) {
  await runOpenLoop({
    modes: String(values.mode)
      .split(',')
      .map((m) => (m === 'separate' ? 'separate' : 'one')),
    rates: String(values['request-rates']).split(',').map(Number),
    stepSeconds: Number(values['step-seconds']),
    holdSeconds: Number(values['hold-seconds']),
    idleSeconds: Number(values['idle-seconds']),
    idleSettleSeconds: Number(values['idle-settle-seconds']),
    warmupSeconds: Number(values['warmup-seconds']),
    targets: String(values.targets).split(','),
    sample: Number(values.sample),
    outDir: 'bench-results',
    agenciesApart: values.agencies !== 'in',
    vacuumStandIn: values.vacuum !== 'off',
    traceLoop: values['trace-loop'] ?? false,
  });
}
const hubWorkloads = workloads.filter((w) => w !== 'interception' && w !== 'inquiry');
if (hubWorkloads.length === 0) process.exit(0);
const hub = await startBenchHub(values.mode === 'separate' ? 'separate' : 'one');
const figures: Figures[] = [];
try {
  for (const w of hubWorkloads) {
    if (w === 'inquiry-burst')
      figures.push(
        await runInquiries(hub, {
          notices,
          batch: Number(values.batch),
          concurrency,
          targets: String(values.targets).split(','),
        }),
      );
    else if (w === 'freeze-plan')
      figures.push(
        await runFreezePlans(hub, {
          cases: Number(values.cases),
          concurrency,
          // Cases after the inquiry workload's, debtors other than its own.
          firstCase: notices,
          avoid: new Set(Array.from({ length: notices }, (_, i) => benchIdNumber(i))),
        }),
      );
    else throw new Error(`unknown workload ${w} (inquiry, inquiry-burst, freeze-plan, interception)`);
  }
  printFigures(figures);
} finally {
  await hub.stop();
}
process.exit(0);
