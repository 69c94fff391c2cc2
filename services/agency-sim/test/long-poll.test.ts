import { randomUUID } from 'node:crypto';
import { buildAdapterApp, loadAdapterConfig } from '@hub/agency-kit';
import type { NoticeSubmission } from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { withTransaction } from '@hub/store';
import { hubEnv, isolate, portOf, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';

/**
 * The mock agencies long-poll their adapter (SIM_LEASE_WAIT_S): an idle institution holds one waiting lease,
 * and a request stored for it is answered at once. The poll interval is a minute here, so only the long
 * poll can answer within the test's deadline.
 */
const iso = isolate();
const logger = createLogger({ service: 'sim-long-poll-test', level: 'warn' });
const bank = buildAdapterApp('bank', loadAdapterConfig('bank', hubEnv(iso)), { logger, clock: systemClock });
let sim: ReturnType<typeof buildApp>;

beforeAll(async () => {
  await bank.start();
  const env = hubEnv(iso, {
    HUB_INSTITUTIONS: 'bank:ICBC,bank:CCB',
    ADAPTER_BANK_URL: `http://127.0.0.1:${portOf(bank.http)}`,
    SIM_POLL_MS: '60000',
    SIM_LEASE_WAIT_S: '20',
    AGENCY_SIM_INTERCEPTION_CHECKS_PER_S: '0',
  });
  sim = buildApp(loadConfig(env), { logger, clock: systemClock });
  await sim.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  await bank.stop();
  await iso.cleanup();
});

const COURT = { code: '川0104', name: '成都市锦江区人民法院' };
const sealer = new Sealer('demo');

/** Store one sealed bank query for `institution`, as the adapter's consumer would. */
async function store(institution: string): Promise<string> {
  const notice: NoticeSubmission = {
    caseNo: '(2026)川0104执1234号',
    noticeNo: `(2026)川0104执1234号-协${randomUUID().slice(0, 8)}`,
    legalBasis: '(2026)川0104执1234号执行裁定书',
    measure: 'query',
    court: COURT,
    debtor: {
      kind: 'person',
      name: '张三',
      idNumber: '11010519491231002X',
      creditCode: '',
      responsiblePersons: [],
    },
    targets: [{ agency: 'bank', institution: '' }],
    issuedAt: '2026-11-23T09:00:00+08:00',
    confirmWarnings: [],
  };
  const id = randomUUID();
  await withTransaction(bank.runtime.pool, (tx) =>
    bank.inbox.store(tx, [
      {
        requestId: id,
        noticeId: randomUUID(),
        institution,
        notice,
        seal: sealer.seal(COURT.code, notice),
        reusedFrom: null,
      },
    ]),
  );
  return id;
}

const statusOf = async (id: string) =>
  (await bank.runtime.pool.query<{ status: string }>('SELECT status FROM requests WHERE id = $1', [id]))
    .rows[0]?.status;

describe('mock agencies with long-poll leases', () => {
  it('hold one waiting lease per idle institution and answer a new request at once', async () => {
    await waitFor(() => bank.waiters.sleeping('ICBC') === 1 && bank.waiters.sleeping('CCB') === 1, {
      what: 'each institution waiting on its inbox',
    });
    const id = await store('ICBC');
    // Polling every 60 s could not answer within 10 s: only the waiting lease can.
    await waitFor(async () => (await statusOf(id)) === 'done', {
      what: 'ICBC answering the request',
      timeoutMs: 10_000,
    });
    const icbc = sim.agencies.find((a) => a.agency.institution === 'ICBC')!;
    // The adapter stores the answer before its response reaches the sim, which counts it then.
    await waitFor(() => icbc.sim.answered > 0, { what: 'the sim counting its answer' });
    expect(icbc.sim.answered).toBe(1);
    // Done, it waits again.
    await waitFor(() => bank.waiters.sleeping('ICBC') === 1, { what: 'ICBC waiting again' });
  });

  it('stops at once while its leases wait', async () => {
    const started = performance.now();
    await sim.stop();
    expect(performance.now() - started).toBeLessThan(5_000);
    await waitFor(() => bank.waiters.waiting() === 0, { what: 'the adapter seeing the sim go' });
  });
});
