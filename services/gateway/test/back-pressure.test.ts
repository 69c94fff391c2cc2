import { systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { auth, notice } from './fixtures.js';

const iso = isolate();
const app = buildApp(
  loadConfig(hubEnv(iso, { GATEWAY_MAX_PENDING: '50', TRACKER_GRPC_URL: '127.0.0.1:1' })),
  {
    logger: createLogger({ service: 'gateway-test', level: 'warn' }),
    clock: systemClock,
  },
);

beforeAll(() => app.start());
afterAll(async () => {
  await app.stop();
  await iso.cleanup();
});

describe('gateway back-pressure', () => {
  it('refuses work beyond its pending limit with 429 RATE_LIMITED, and stores none of it', async () => {
    const notices = Array.from({ length: 51 }, () => notice());
    const res = await app.http.inject({
      method: 'POST',
      url: '/v1/notices/batch',
      headers: auth,
      payload: { notices },
    });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('RATE_LIMITED');
    const { rows } = await app.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notices');
    expect(rows[0]!.n).toBe(0);
    const ok = await app.http.inject({
      method: 'POST',
      url: '/v1/notices/batch',
      headers: auth,
      payload: { notices: notices.slice(0, 50) },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().accepted).toBe(50);
  });
});
