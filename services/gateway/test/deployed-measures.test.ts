import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { CourtServiceClient, noticeToProto } from '@hub/contracts';
import { type NoticeSubmission, systemClock } from '@hub/domain';
import { ConfigError, createLogger } from '@hub/service-kit';
import { hubEnv, isolate } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { auth, notice } from './fixtures.js';

// Two gateways over one schema: today's deployment (query only) and one where freeze-deduct runs too.
const iso = isolate();
const logger = createLogger({ service: 'gateway-test', level: 'warn' });
const gatewayWith = (services?: string) =>
  buildApp(
    loadConfig(
      hubEnv(iso, {
        TRACKER_GRPC_URL: '127.0.0.1:1',
        // Deployed but not reachable here (services/hub/test/control-admission.test.ts runs it).
        FREEZE_DEDUCT_GRPC_URL: '127.0.0.1:1',
        ...(services === undefined ? {} : { HUB_MEASURE_SERVICES: services }),
      }),
    ),
    { logger, clock: systemClock },
  );
const queryOnly = gatewayWith();
const withFreeze = gatewayWith('query,freeze-deduct');

const freeze = () =>
  notice({
    measure: 'freeze',
    targets: [{ agency: 'bank' }],
    params: { amountFen: 12_345_600, termDays: 365, accountNo: '6222020200112233445' },
  });
const storedNumbers = async (noticeNos: unknown[]) => {
  const { rows } = await queryOnly.runtime.pool.query<{ notice_no: string }>(
    'SELECT notice_no FROM notices WHERE notice_no = ANY($1::text[])',
    [noticeNos],
  );
  return rows.map((r) => r.notice_no);
};

beforeAll(async () => {
  await queryOnly.start();
  await withFreeze.start();
});

afterAll(async () => {
  await withFreeze.stop();
  await queryOnly.stop();
  await iso.cleanup();
});

describe('a measure no deployed service owns', () => {
  it('a freeze plan without freeze-deduct is 422 MEASURE_NOT_DEPLOYED, before anything is read or stored', async () => {
    const res = await queryOnly.http.inject({
      method: 'POST',
      url: `/v1/cases/${encodeURIComponent('(2026)川0104执1234号')}/freeze-plan`,
      headers: auth,
      payload: { owedFen: 100, officer: { name: '王法官' }, legalBasis: '(2026)川0104执1234号执行裁定书' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([
      { path: 'measure', code: 'MEASURE_NOT_DEPLOYED', measure: 'freeze', service: 'freeze-deduct' },
    ]);
  });

  it('is refused with 422 MEASURE_NOT_DEPLOYED naming the measure, and nothing is stored', async () => {
    const body = freeze();
    const res = await queryOnly.http.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: auth,
      payload: body,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('MEASURE_NOT_DEPLOYED');
    expect(res.json().error.details).toEqual([
      expect.objectContaining({ path: 'measure', measure: 'freeze', service: 'freeze-deduct' }),
    ]);
    expect(await storedNumbers([body.noticeNo])).toEqual([]);
  });

  it('is refused item by item in a batch; the query items are stored', async () => {
    const bodies = [notice(), freeze(), notice(), freeze()];
    const res = await queryOnly.http.inject({
      method: 'POST',
      url: '/v1/notices/batch',
      headers: auth,
      payload: { notices: bodies },
    });
    expect(res.statusCode).toBe(200);
    const { accepted, rejected, results } = res.json();
    expect([accepted, rejected]).toEqual([2, 2]);
    expect(results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false, true, false]);
    expect(results[1]).toMatchObject({ index: 1, error: { code: 'MEASURE_NOT_DEPLOYED' } });
    expect(results[1].error.details).toEqual([
      expect.objectContaining({ path: 'measure', measure: 'freeze' }),
    ]);
    expect((await storedNumbers(bodies.map((b) => b.noticeNo))).sort()).toEqual(
      [bodies[0]!.noticeNo, bodies[2]!.noticeNo].sort(),
    );
  });

  it('is refused over gRPC with FAILED_PRECONDITION and the same code, alone and in a batch', async () => {
    const c = new CourtServiceClient(`127.0.0.1:${queryOnly.grpcPort}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', auth.authorization);
    const body = freeze();
    const err = await new Promise<ServiceError>((resolve) =>
      c.submitNotice({ notice: noticeToProto(body as NoticeSubmission) }, md, (e) => resolve(e!)),
    );
    expect(err.code).toBe(status.FAILED_PRECONDITION);
    expect(err.metadata.get('error-code')[0]).toBe('MEASURE_NOT_DEPLOYED');
    expect(JSON.parse(String(err.metadata.get('error-details')[0]))).toEqual([
      expect.objectContaining({ path: 'measure', measure: 'freeze' }),
    ]);
    const batch = [notice(), freeze()];
    const res = await new Promise<{ results: { ok: boolean; errorCode: string }[] }>((resolve, reject) =>
      c.submitNotices({ notices: batch.map((b) => noticeToProto(b as NoticeSubmission)) }, md, (e, r) =>
        e ? reject(e) : resolve(r!),
      ),
    );
    expect(res.results.map((r) => [r.ok, r.errorCode])).toEqual([
      [true, ''],
      [false, 'MEASURE_NOT_DEPLOYED'],
    ]);
    expect(await storedNumbers([body.noticeNo, batch[1]!.noticeNo])).toEqual([]);
    c.close();
  });

  it('where its service is deployed, is judged by it first: unreachable, 503 UNAVAILABLE and nothing stored', async () => {
    const body = freeze();
    const res = await withFreeze.http.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: auth,
      payload: body,
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({
      code: 'UNAVAILABLE',
      details: [{ dependency: 'freeze-deduct' }],
    });
    expect(await storedNumbers([body.noticeNo])).toEqual([]);
    // In a batch the control item alone waits for it; the inquiry is stored.
    const batch = [notice(), freeze()];
    const many = await withFreeze.http.inject({
      method: 'POST',
      url: '/v1/notices/batch',
      headers: auth,
      payload: { notices: batch },
    });
    expect(
      many.json().results.map((r: { ok: boolean; error?: { code: string } }) => r.ok || r.error?.code),
    ).toEqual([true, 'UNAVAILABLE']);
    expect(await storedNumbers(batch.map((b) => b.noticeNo))).toEqual([batch[0]!.noticeNo]);
  });

  it('fails at boot naming HUB_MEASURE_SERVICES when it lists no known measure service', () => {
    for (const bad of ['', 'query,freeze', 'punish']) {
      const load = () => loadConfig(hubEnv(iso, { HUB_MEASURE_SERVICES: bad }));
      expect(load).toThrow(ConfigError);
      try {
        load();
      } catch (e) {
        expect((e as ConfigError).problems.map((p) => p.variable)).toEqual(['HUB_MEASURE_SERVICES']);
      }
    }
  });
});
