/**
 * End-to-end benchmarks on the real stack (prints figures; not a test): every service in this process (or
 * one process per service), mock agencies answering at once, completion observed on Kafka.
 *
 *   npm run bench -- [--workload inquiry,freeze-plan] [--notices 2000] [--batch 100] [--concurrency 4]
 *                    [--cases 200] [--mode separate]
 */
import { parseArgs } from 'node:util';
import { type Figures, printFigures, startBenchHub } from './harness.js';
import { runInquiries } from './inquiries.js';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'inquiry' },
    notices: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    targets: { type: 'string', default: 'bank,real-estate,public-security,provident-fund' },
    /** `one`: every service in this process; `separate`: every service its own process (2 cores). */
    mode: { type: 'string', default: 'one' },
  },
});
const workloads = String(values.workload).split(',');
const hub = await startBenchHub(values.mode === 'separate' ? 'separate' : 'one');
const figures: Figures[] = [];
try {
  for (const w of workloads) {
    if (w === 'inquiry')
      figures.push(
        await runInquiries(hub, {
          notices: Number(values.notices),
          batch: Number(values.batch),
          concurrency: Number(values.concurrency),
          targets: String(values.targets).split(','),
        }),
      );
    else throw new Error(`unknown workload ${w} (inquiry)`);
  }
  printFigures(figures);
} finally {
  await hub.stop();
}
process.exit(0);
