import { buildAdapterApp, loadAdapterConfig } from '@hub/agency-kit';
import { residentIdCheckChar, systemClock } from '@hub/domain';
import { type InterceptionEntry, InterceptionProjection, subjectHash } from '@hub/interception';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, portOf, waitFor } from '@hub/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckResult,
  checkInterception,
  InterceptionApiError,
  InterceptionDriver,
  reportInterception,
} from '../src/app.js';

/**
 * The mock institutions' interception driver against a real bank adapter (real Redis projection, real
 * PostgreSQL for the reports): it checks, counts, and reports what it blocked.
 */
const iso = isolate();
const logger = createLogger({ service: 'interception-driver-test', level: 'warn' });
const bank = buildAdapterApp('bank', loadAdapterConfig('bank', hubEnv(iso)), { logger, clock: systemClock });
const redis = new Redis(endpoints().redisUrl);
const projection = new InterceptionProjection(redis, iso.namespace);

const idOf = (seq: number) => {
  const first17 = `510104198505${String(10 + (seq % 18)).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};
const RESTRICTED = idOf(1);
const FREE = idOf(2);
const ENTRY: InterceptionEntry = {
  entryId: 'e-1',
  measure: 'restrict-consumption',
  courtCode: '川0104',
  caseNo: '(2026)川0104执9号',
  noticeId: '6f1f7c1e-2b7a-4c3e-8f7e-0a1b2c3d4e5f',
  since: '2026-11-23T01:00:00.000Z',
  role: 'debtor',
  debtorKind: 'person',
};
let url = '';
const agency = () => ({
  kind: 'bank' as const,
  institution: 'ICBC',
  secret: 'icbc-demo-secret',
  adapterUrl: url,
});

beforeAll(async () => {
  await bank.start();
  url = `http://127.0.0.1:${portOf(bank.http)}`;
  await projection.apply([{ hash: subjectHash(RESTRICTED), version: 1, entries: [ENTRY] }]);
  await projection.markReady('test', new Date());
}, 60_000);

afterAll(async () => {
  await bank.stop();
  const keys = await redis.keys(`${iso.namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await iso.cleanup();
});

const reportsStored = async () =>
  (await bank.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM interception_reports'))
    .rows[0]!.n;

describe.sequential('interception driver', () => {
  it('checks, counts each result and reports every restricted customer at report rate 1', async () => {
    const ids = [RESTRICTED, FREE, RESTRICTED, FREE, FREE];
    let next = 0;
    const counted: CheckResult[] = [];
    const driver = new InterceptionDriver({
      agency: agency(),
      checksPerSecond: 1,
      reportRate: 1,
      pickId: () => ids[next++ % ids.length]!,
      counters: { checked: (_, r) => counted.push(r), reported: () => {} },
      logger,
    });
    const results: CheckResult[] = [];
    for (let i = 0; i < ids.length; i++) results.push(await driver.tick());
    expect(results).toEqual(['restricted', 'clear', 'restricted', 'clear', 'clear']);
    expect(counted).toEqual(results);
    expect(driver.counts).toEqual({ restricted: 2, clear: 3, unavailable: 0, failed: 0 });
    expect(driver.reported).toBe(2);
    const { rows } = await bank.runtime.pool.query(
      'SELECT institution, entry_id, action, notice_id FROM interception_reports',
    );
    expect(rows).toEqual([
      { institution: 'ICBC', entry_id: 'e-1', action: 'loan', notice_id: ENTRY.noticeId },
      { institution: 'ICBC', entry_id: 'e-1', action: 'loan', notice_id: ENTRY.noticeId },
    ]);
  });

  it('reports nothing at report rate 0, and counts an unavailable projection without reporting', async () => {
    const before = await reportsStored();
    const driver = new InterceptionDriver({
      agency: agency(),
      checksPerSecond: 1,
      reportRate: 0,
      pickId: () => RESTRICTED,
      logger,
    });
    expect(await driver.tick()).toBe('restricted');
    await projection.markRebuilding();
    try {
      const eager = new InterceptionDriver({
        agency: agency(),
        checksPerSecond: 1,
        reportRate: 1,
        pickId: () => RESTRICTED,
        logger,
      });
      expect(await eager.tick()).toBe('unavailable');
      expect(eager.reported).toBe(0);
    } finally {
      await projection.markReady('test', new Date());
    }
    expect(await reportsStored()).toBe(before);
  });

  it('runs at its rate once started, and stops', async () => {
    const driver = new InterceptionDriver({
      agency: agency(),
      checksPerSecond: 50,
      reportRate: 0,
      pickId: () => FREE,
      logger,
    });
    driver.start();
    await waitFor(() => driver.counts.clear >= 5, { what: '5 checks' });
    await driver.stop();
    const after = driver.counts.clear;
    expect(driver.counts.failed).toBe(0);
    // Stopped means stopped: no check after stop() resolved.
    await new Promise((r) => setImmediate(r));
    expect(driver.counts.clear).toBe(after);
  });

  it('gives the demo scripts a client: check, report once, and the adapter’s refusals as codes', async () => {
    const secret = 'icbc-demo-secret';
    expect(await checkInterception(url, 'ICBC', secret, RESTRICTED)).toMatchObject({
      restricted: true,
      entries: [{ entryId: 'e-1', measure: 'restrict-consumption' }],
    });
    const report = {
      reportRef: 'DEMO-1',
      id: RESTRICTED,
      entryId: 'e-1',
      action: 'high-consumption' as const,
      occurredAt: '2026-12-01T10:00:00+08:00',
    };
    const first = await reportInterception(url, 'ICBC', secret, report);
    expect(await reportInterception(url, 'ICBC', secret, report)).toEqual({ ...first, status: 'duplicate' });
    const refused = await checkInterception(url, 'ICBC', secret, '123').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InterceptionApiError);
    expect(refused).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
