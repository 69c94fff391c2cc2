/**
 * End-to-end benchmarks on the real stack (prints figures; not a test): every service in this process (or
 * one process per service), mock agencies answering at once, completion observed on Kafka.
 *
 *   npm run bench -- [--workload inquiry,freeze-plan] [--notices 2000] [--batch 100] [--concurrency 4]
 *                    [--cases 200] [--mode separate]
 */
import { parseArgs } from 'node:util';
import { runFreezePlans } from './freeze-plans.js';
import { type Figures, printFigures, startBenchHub } from './harness.js';
import { benchIdNumber, runInquiries } from './inquiries.js';

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
    /** `one`: every service in this process; `separate`: every service its own process (2 cores). */
    mode: { type: 'string', default: 'one' },
  },
});
const workloads = String(values.workload).split(',');
const notices = Number(values.notices);
const concurrency = Number(values.concurrency);
const hub = await startBenchHub(values.mode === 'separate' ? 'separate' : 'one');
const figures: Figures[] = [];
try {
  for (const w of workloads) {
    if (w === 'inquiry')
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
    else throw new Error(`unknown workload ${w} (inquiry, freeze-plan)`);
  }
  printFigures(figures);
} finally {
  await hub.stop();
}
process.exit(0);
