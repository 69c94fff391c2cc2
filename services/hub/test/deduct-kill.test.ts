/**
 * A deduction (扣划) moves money exactly once, even when the freeze-deduct process dies at any step of it.
 * Every service runs as its own process; the freeze-deduct process is killed with SIGKILL (no shutdown, no
 * cleanup: an open transaction is simply gone) at each step, then started again. Each step stops the
 * process at a test-only pause point (FREEZE_DEDUCT_TEST_PAUSE, src/test-pause.ts) inside its batch's open
 * transaction, so the kill lands exactly there, not at a time we hope is right.
 *
 * After each restart: the agency's books hold exactly one transfer for the case (the request id is its
 * idempotency key, and the hub never sends a second request), the hub's hold shows that amount deducted,
 * the hub recorded one deduction with the agency's transfer reference, and one RequestAnswered was taken.
 */
import { schemaName } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProcesses, startProcesses } from '../src/processes.js';
import { COURT_KEYS, client, controlNotice, freeAccount } from './control-fixtures.js';

const SEED = 42;
const BANKS = ['ICBC', 'CCB', 'ABC'];
const PAUSE_MARKER = 'freeze-deduct test pause reached';
const iso = isolate();
const env = hubEnv(iso, {
  // A hub day passes in about 86 s: the 30-day freezes stay in force throughout.
  HUB_TIME_SCALE: '1000',
  SIM_SEED: String(SEED),
  HUB_INSTITUTIONS: BANKS.map((b) => `bank:${b}`).join(','),
  GATEWAY_COURT_KEYS: COURT_KEYS,
  LOG_LEVEL: 'error',
});
let hub: RunningProcesses;
let fd: pg.Pool;
const gateway = () => hub.gateway;
const c = client(gateway);
let found: Awaited<ReturnType<typeof freeAccount>>;

beforeAll(async () => {
  hub = await startProcesses({ ...process.env, ...env });
  fd = new pg.Pool({
    connectionString: env.DATABASE_URL,
    options: `-c search_path=${schemaName(iso.namespace, 'freeze-deduct')}`,
    max: 2,
  });
  found = await freeAccount(c, gateway, SEED, BANKS, '(2026)川0104执8300号');
}, 180_000);

afterAll(async () => {
  await fd?.end();
  hub?.kill();
  await iso.cleanup();
});

const output = () => hub.processes.get('freeze-deduct')!.output.join('');
const transfersOf = async (caseNo: string) => {
  const res = await fetch(`${hub.url('agency-sim')}/v1/sim/transfers`);
  const { transfers } = (await res.json()) as {
    transfers: { requestId: string; caseNo: string; amountFen: number; transferRef: string }[];
  };
  return transfers.filter((t) => t.caseNo === caseNo);
};

/** A case with 10,000 fen frozen by court A on the account, in force. */
async function frozenCase(caseNo: string) {
  const placed = await c.post(
    controlNotice(
      'a',
      caseNo,
      'freeze',
      { agency: 'bank', institution: found.institution },
      { amountFen: 10_000, termDays: 30, accountNo: found.accountNo },
      found.idNumber,
    ),
  );
  expect(placed.status).toBe(202);
  await c.completed(placed.body.id, `the freeze of ${caseNo} completed`);
}

const deduct = (caseNo: string, amountFen: number) =>
  controlNotice(
    'a',
    caseNo,
    'deduct',
    { agency: 'bank', institution: found.institution },
    { amountFen, accountNo: found.accountNo },
    found.idNumber,
  );

/** Restarts freeze-deduct to stop at `pause`, and returns once it runs again. */
async function restartPausingAt(pause: string) {
  await hub.crash('freeze-deduct');
  await hub.restart('freeze-deduct', { FREEZE_DEDUCT_TEST_PAUSE: pause });
}

const paused = (pause: string) =>
  waitFor(() => output().includes(PAUSE_MARKER) && output().includes(`"pause":"${pause}"`), {
    what: `freeze-deduct paused ${pause}`,
    timeoutMs: 60_000,
  });

/** What must hold once the process came back and the notice completed. */
async function movedOnce(caseNo: string, noticeId: string, amountFen: number) {
  const view = (await c.completed(noticeId, 'the deduction completed')) as {
    requests: { id: string; status: string }[];
    timeline: { event: string; requestId: string | null }[];
  };
  expect(view.requests.map((r) => r.status)).toEqual(['done']);
  const [request] = view.requests;
  // The agency moved the money once, for the one request the hub sent.
  const transfers = await transfersOf(caseNo);
  expect(transfers.map((t) => [t.requestId, t.amountFen])).toEqual([[request!.id, amountFen]]);
  // One answer was published and taken.
  expect(view.timeline.filter((t) => t.event === 'RequestAnswered')).toHaveLength(1);
  // The hub's hold shows it deducted, once; the deduction is recorded with the agency's transfer reference.
  const controls = await waitFor(
    async () => ((r) => r.body.holds?.[0]?.deductedFen === amountFen && r)(await c.controls(caseNo)),
    { what: 'the hold deducted', timeoutMs: 30_000 },
  );
  expect(controls.body.holds).toEqual([
    expect.objectContaining({ frozenFen: 10_000 - amountFen, deductedFen: amountFen }),
  ]);
  expect(controls.body.deductions).toEqual([
    expect.objectContaining({
      requestId: request!.id,
      accountNo: found.accountNo,
      amountFen,
      transferRef: transfers[0]!.transferRef,
    }),
  ]);
  const { rows } = await fd.query(
    `SELECT d.request_id, d.amount_fen, d.transfer_ref,
            (SELECT count(*)::int FROM hold_history x WHERE x.hold_id = h.id AND x.measure = 'deduct') AS changes
     FROM holds h JOIN deductions d ON d.hold_id = h.id WHERE h.case_no = $1`,
    [caseNo],
  );
  expect(rows.map((r) => [r.request_id, Number(r.amount_fen), r.transfer_ref, r.changes])).toEqual([
    [request!.id, amountFen, transfers[0]!.transferRef, 1],
  ]);
}

describe('killing freeze-deduct (SIGKILL) at each step of a deduction', () => {
  it('before send: the notice taken in, its request not dispatched — restarted, it is sent once', async () => {
    const caseNo = '(2026)川0104执8301号';
    await frozenCase(caseNo);
    await restartPausingAt('before-send');
    const submitted = await c.post(deduct(caseNo, 3_000));
    expect(submitted.status).toBe(202);
    await paused('before-send');
    await hub.crash('freeze-deduct');
    // Proves: nothing left the hub before the crash (its dispatch rolled back with the intake), so the
    // agency has moved nothing; the notice is not lost either, its NoticeIssued is read again.
    expect(await transfersOf(caseNo)).toEqual([]);
    await hub.restart('freeze-deduct');
    await movedOnce(caseNo, submitted.body.id, 3_000);
  }, 180_000); // waits on conditions; a SIGKILLed consumer rejoins its group slowly on a loaded machine

  it('after the agency’s answer: published, not yet consumed — restarted, it is taken once, never asked again', async () => {
    const caseNo = '(2026)川0104执8302号';
    await frozenCase(caseNo);
    await restartPausingAt('before-answer');
    const submitted = await c.post(deduct(caseNo, 4_000));
    expect(submitted.status).toBe(202);
    await paused('before-answer');
    await hub.crash('freeze-deduct');
    // Proves: the money moved at the agency before the hub recorded it; the answer waits on the topic,
    // so it is not lost, and the request is not sent again (the agency would refuse to move it twice).
    expect((await transfersOf(caseNo)).map((t) => t.amountFen)).toEqual([4_000]);
    await hub.restart('freeze-deduct');
    await movedOnce(caseNo, submitted.body.id, 4_000);
  }, 180_000); // waits on conditions; a SIGKILLed consumer rejoins its group slowly on a loaded machine

  it('before commit: the answer folded into the hold, the batch not committed — restarted, it is folded once', async () => {
    const caseNo = '(2026)川0104执8303号';
    await frozenCase(caseNo);
    await restartPausingAt('before-commit');
    const submitted = await c.post(deduct(caseNo, 5_000));
    expect(submitted.status).toBe(202);
    await paused('before-commit');
    // Proves: what the dying batch wrote (the hold deducted, the deduction recorded) is rolled back
    // whole, and the redelivered answer is applied once, not added to a half-written first attempt.
    await hub.crash('freeze-deduct');
    const { rows } = await fd.query(
      'SELECT count(*)::int AS n FROM deductions d JOIN holds h ON h.id = d.hold_id WHERE h.case_no = $1',
      [caseNo],
    );
    expect(rows[0].n).toBe(0);
    await hub.restart('freeze-deduct');
    await movedOnce(caseNo, submitted.body.id, 5_000);
  }, 180_000); // waits on conditions; a SIGKILLed consumer rejoins its group slowly on a loaded machine
});
