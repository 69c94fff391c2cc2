import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { CourtServiceClient, type ListNoticesRequest, type ListNoticesResponse } from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../src/stack.js';

/**
 * DESIGN §6's `GET /v1/notices?caseNo=…&status=…&breached=…` (list, paginated) over the court API, with the tracker
 * it reads from: only the caller's court, its filters and cursor checked like every court input, and the gRPC
 * mirror answering the same.
 */
const iso = isolate();
const KEYS = { mine: 'list-key-a', theirs: 'list-key-b' };
let stack: RunningStack;
type Inject = (o: {
  method?: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: object;
}) => Promise<{
  statusCode: number;
  json(): Record<string, unknown>;
}>;
const gateway = () => stack.apps.get('gateway') as unknown as { http: { inject: Inject }; grpcPort: number };
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (url: string, key = KEYS.mine) => gateway().http.inject({ url, headers: as(key) });

const CASES = { mine: '(2026)川0104执4321号', theirs: '(2026)京01执4321号' };
const notice = (court: { code: string; name: string }, caseNo: string, i: number) => ({
  noticeNo: `${caseNo}-协${i}`,
  caseNo,
  court,
  officer: { name: '王法官', phone: '028-00000000' },
  debtor: { kind: 'person', name: '李某', idNumber: '11010519491231002X' },
  measure: 'query',
  targets: [{ agency: 'bank' }],
  params: {},
  legalBasis: `${caseNo}执行裁定书`,
  issuedAt: '2026-11-23T09:00:00+08:00',
});
const filed: { mine: string[]; theirs: string[] } = { mine: [], theirs: [] };

beforeAll(async () => {
  stack = await startStack(
    ['tracker', 'gateway'],
    hubEnv(iso, {
      GATEWAY_COURT_KEYS: `${KEYS.mine}=川0104,${KEYS.theirs}=京01`,
      HUB_INSTITUTIONS: 'bank:ICBC',
      HUB_MEASURE_SERVICES: 'query',
    }),
    { logger: createLogger({ service: 'notice-list-test', level: 'warn' }), clock: systemClock },
  );
  for (let i = 0; i < 5; i++) {
    const res = await gateway().http.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: as(KEYS.mine),
      payload: notice({ code: '川0104', name: '成都市锦江区人民法院' }, CASES.mine, i),
    });
    expect(res.statusCode).toBe(202);
    filed.mine.push(res.json().id as string);
  }
  const res = await gateway().http.inject({
    method: 'POST',
    url: '/v1/notices',
    headers: as(KEYS.theirs),
    payload: notice({ code: '京01', name: '北京市第一中级人民法院' }, CASES.theirs, 0),
  });
  expect(res.statusCode).toBe(202);
  filed.theirs.push(res.json().id as string);
  // Listed once the tracker has taken them in: both courts' (the other court's went last, and may be folded in a
  // later gathered batch than ours).
  const listed = async (key: string) =>
    ((await get('/v1/notices?limit=100', key)).json().notices as unknown[]).length;
  await waitFor(async () => (await listed(KEYS.mine)) === 5 && (await listed(KEYS.theirs)) === 1, {
    what: "the tracker to list both courts' notices",
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

describe('GET /v1/notices', () => {
  it("lists the caller's notices only, newest first, with their state", async () => {
    const res = await get('/v1/notices');
    expect(res.statusCode).toBe(200);
    const notices = res.json().notices as { id: string; caseNo: string; status: string; issuedAt: string }[];
    expect(notices.map((n) => n.id).sort()).toEqual([...filed.mine].sort());
    expect(notices.every((n) => n.caseNo === CASES.mine && n.status === 'issued')).toBe(true);
    const times = notices.map((n) => Date.parse(n.issuedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(notices[0]).toMatchObject({ breached: false, completedAt: null, requests: { total: 0, open: 0 } });
    const theirs = (await get('/v1/notices', KEYS.theirs)).json().notices as { id: string }[];
    expect(theirs.map((n) => n.id)).toEqual(filed.theirs);
    // Another court's case lists nothing, as if it did not exist.
    const probe = await get(`/v1/notices?caseNo=${encodeURIComponent(CASES.theirs)}`);
    expect(probe.json()).toEqual({ notices: [], nextCursor: null });
  });

  it('pages with nextCursor through every notice once', async () => {
    const seen: string[] = [];
    let url = '/v1/notices?limit=2';
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(5);
      const body = (await get(url)).json() as { notices: { id: string }[]; nextCursor: string | null };
      seen.push(...body.notices.map((n) => n.id));
      if (!body.nextCursor) break;
      url = `/v1/notices?limit=2&cursor=${body.nextCursor}`;
    }
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual([...filed.mine].sort());
    const filtered = await get(
      `/v1/notices?status=completed&breached=true&caseNo=${encodeURIComponent(CASES.mine)}`,
    );
    expect(filtered.json()).toEqual({ notices: [], nextCursor: null });
  });

  it.each([
    ['status=finished', 'status', 'INVALID_VALUE'],
    ['breached=yes', 'breached', 'INVALID_VALUE'],
    ['limit=0', 'limit', 'TOO_SMALL'],
    ['limit=101', 'limit', 'TOO_BIG'],
    ['limit=2.5', 'limit', 'INVALID_TYPE'],
    ['limit=0x10', 'limit', 'INVALID_TYPE'],
    ['limit=1e2', 'limit', 'INVALID_TYPE'],
    ['limit=%2B2', 'limit', 'INVALID_TYPE'],
    ['cursor=not-ours', 'cursor', 'INVALID_CURSOR'],
    [
      `cursor=${Buffer.from(`2026-11-23T01:00:00Z|${'0'.repeat(8)}`).toString('base64url')}`,
      'cursor',
      'INVALID_CURSOR',
    ],
    // Forged positions of times that do not exist (PostgreSQL would refuse them: a 503 before).
    ...[
      '2026-02-30T00:00:00.000000Z',
      '2026-13-45T00:00:00.000000Z',
      '0000-01-01T00:00:00.000000Z',
      '2026-01-01T24:00:00.000000Z',
    ].map(
      (t) =>
        [
          `cursor=${Buffer.from(`${t}|d095855f-de0f-4f64-a1b9-d2197157fdfd`).toString('base64url')}`,
          'cursor',
          'INVALID_CURSOR',
        ] as [string, string, string],
    ),
    ['sort=asc', 'sort', 'UNKNOWN_FIELD'],
    ['caseNo=%00', 'caseNo', 'NUL_CHARACTER'],
  ])('refuses ?%s with 400 and the field path', async (query, path, code) => {
    const res = await get(`/v1/notices?${query}`);
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; details: { path: string; code: string }[] } };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]));
  });

  it('answers 401 without a court credential', async () => {
    expect((await gateway().http.inject({ url: '/v1/notices' })).statusCode).toBe(401);
    expect((await get('/v1/notices', 'no-such-key')).statusCode).toBe(401);
  });

  it('is mirrored over gRPC with the same filters, cursor and codes', async () => {
    const client = new CourtServiceClient(`127.0.0.1:${gateway().grpcPort}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', `Bearer ${KEYS.mine}`);
    const call = (r: Partial<ListNoticesRequest>) =>
      new Promise<ListNoticesResponse>((resolve, reject) =>
        client.listNotices(
          { caseNo: '', status: '', limit: 0, cursor: '', ...r },
          md,
          { deadline: Date.now() + 5000 },
          (err, res) => (err || !res ? reject(err) : resolve(res)),
        ),
      );
    try {
      const first = await call({ limit: 3 });
      const rest = await call({ limit: 3, cursor: first.nextCursor });
      expect([...first.notices, ...rest.notices].map((n) => n.id).sort()).toEqual([...filed.mine].sort());
      expect(rest.nextCursor).toBe('');
      const refused = await call({ status: 'finished' }).catch((e: ServiceError) => e);
      expect((refused as ServiceError).metadata.get('error-code')[0]).toBe('VALIDATION_FAILED');
    } finally {
      client.close();
    }
  });
});
