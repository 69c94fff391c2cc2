/**
 * Reading punishments through the gateway: a case's listings and restrictions for the court of the case
 * (GET /v1/cases/:caseNo/restrictions), and the public list anyone may search (GET /v1/public/dishonest),
 * the one route without credentials, rate-limited per client IP through the real Redis.
 */
import { status } from '@grpc/grpc-js';
import type { PublicListing } from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate } from '@hub/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { auth } from './fixtures.js';
import { PunishmentDouble } from './punishment-double.js';

const iso = isolate();
const logger = createLogger({ service: 'gateway-test', level: 'warn' });
const PER_MINUTE = 4;
const INGRESS = '10.255.0.1';
const gatewayWith = (punishmentUrl: string) =>
  buildApp(
    loadConfig(
      hubEnv(iso, {
        GATEWAY_COURT_KEYS: 'demo-court-key=川0104,other-key=京01',
        TRACKER_GRPC_URL: '127.0.0.1:1',
        PUNISHMENT_GRPC_URL: punishmentUrl,
        GATEWAY_PUBLIC_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        GATEWAY_TRUSTED_PROXIES: `${INGRESS}, 10.254.0.0/16`,
      }),
    ),
    { logger, clock: systemClock },
  );

const double = new PunishmentDouble();
let app: ReturnType<typeof buildApp>;
let unreachable: ReturnType<typeof buildApp>;

beforeAll(async () => {
  app = gatewayWith(await double.start());
  unreachable = gatewayWith('127.0.0.1:1');
  await app.start();
  await unreachable.start();
});

afterAll(async () => {
  await unreachable?.stop();
  await app?.stop();
  await double.stop();
  await iso.cleanup();
});

const CASE_NO = '(2026)川0104执1234号';
const restrictionsOf = (caseNo: string, headers: Record<string, string> = auth, gateway = app) =>
  gateway.http.inject({
    method: 'GET',
    url: `/v1/cases/${encodeURIComponent(caseNo)}/restrictions`,
    headers,
  });

describe('GET /v1/cases/:caseNo/restrictions', () => {
  it("answers the case's listings and restrictions as the service gives them, asked for the authenticated court", async () => {
    const at = (s: string) => new Date(s);
    double.restrictions = {
      caseNo: CASE_NO,
      generatedAt: at('2026-12-01T02:00:00Z'),
      restrictions: [
        {
          id: 'r-1',
          measure: 'dishonest-list',
          state: 'removing',
          role: 'debtor',
          subjectMasked: '李* 110105********002X',
          ground: 'evades-enforcement',
          since: at('2026-11-23T01:00:00Z'),
          endsAt: at('2028-11-23T01:00:00Z'),
          noticeId: 'n-1',
          removalNoticeId: 'n-2',
          removalReason: 'performed',
          removalDueAt: at('2026-11-25T16:00:00Z'),
          removedAt: undefined,
          broadcast: [
            {
              agency: 'bank',
              institution: 'ICBC',
              requestId: 'q-1',
              status: 'done',
              dueAt: at('2026-11-24T01:00:00Z'),
              confirmedAt: at('2026-11-24T03:00:00Z'),
              late: true,
            },
          ],
          withdrawal: [
            {
              agency: 'public-security',
              institution: '',
              requestId: 'q-2',
              status: 'delivered',
              dueAt: at('2026-11-25T16:00:00Z'),
              confirmedAt: undefined,
              late: false,
            },
          ],
          impliedBy: '',
        },
      ],
    };
    const res = await restrictionsOf(CASE_NO);
    expect(res.statusCode).toBe(200);
    expect(double.restrictionCalls.at(-1)).toEqual({ caseNo: CASE_NO, courtCode: '川0104' });
    expect(res.json()).toEqual({
      caseNo: CASE_NO,
      generatedAt: '2026-12-01T02:00:00.000Z',
      restrictions: [
        {
          id: 'r-1',
          measure: 'dishonest-list',
          state: 'removing',
          role: 'debtor',
          subject: '李* 110105********002X',
          ground: 'evades-enforcement',
          since: '2026-11-23T01:00:00.000Z',
          endsAt: '2028-11-23T01:00:00.000Z',
          noticeId: 'n-1',
          impliedBy: null,
          removal: {
            noticeId: 'n-2',
            reason: 'performed',
            dueAt: '2026-11-25T16:00:00.000Z',
            removedAt: null,
          },
          broadcast: [
            {
              agency: 'bank',
              institution: 'ICBC',
              requestId: 'q-1',
              status: 'done',
              dueAt: '2026-11-24T01:00:00.000Z',
              confirmedAt: '2026-11-24T03:00:00.000Z',
              late: true,
            },
          ],
          withdrawal: [
            {
              agency: 'public-security',
              institution: null,
              requestId: 'q-2',
              status: 'delivered',
              dueAt: '2026-11-25T16:00:00.000Z',
              confirmedAt: null,
              late: false,
            },
          ],
        },
      ],
    });
  });

  it("asks for another court's case as the caller's court, so the service refuses it", async () => {
    double.restrictions = { code: status.PERMISSION_DENIED };
    const res = await restrictionsOf(CASE_NO, { authorization: 'Bearer other-key' });
    expect(double.restrictionCalls.at(-1)).toEqual({ caseNo: CASE_NO, courtCode: '京01' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('is 404 for a case with nothing of the court, and keeps a stable code the service sends', async () => {
    double.restrictions = { code: status.NOT_FOUND };
    const none = await restrictionsOf(CASE_NO);
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toMatchObject({
      code: 'NOT_FOUND',
      details: [{ path: 'caseNo', code: 'NO_RESTRICTION_FOR_CASE' }],
    });
    double.restrictions = { code: status.PERMISSION_DENIED, errorCode: 'LISTING_OF_ANOTHER_COURT' };
    const coded = await restrictionsOf(CASE_NO);
    expect(coded.statusCode).toBe(403);
    expect(coded.json().error.code).toBe('LISTING_OF_ANOTHER_COURT');
  });

  it('requires court credentials, refuses what is no case number, and is 503 when the service is down', async () => {
    const calls = double.restrictionCalls.length;
    expect((await restrictionsOf(CASE_NO, {})).statusCode).toBe(401);
    expect((await restrictionsOf(CASE_NO, { authorization: 'Bearer nope' })).json().error.code).toBe(
      'UNAUTHENTICATED',
    );
    // Too long, or no case number at all (probing found `garbage` answered 404, as a case with nothing in it).
    for (const caseNo of ['x'.repeat(65), 'garbage', '2026川0104执1234']) {
      const bad = await restrictionsOf(caseNo);
      expect(bad.statusCode, caseNo).toBe(400);
      expect(bad.json().error.details).toEqual([
        expect.objectContaining({ path: 'caseNo', code: 'INVALID_CASE_NO' }),
      ]);
    }
    expect(double.restrictionCalls.length).toBe(calls);
    const down = await restrictionsOf(CASE_NO, auth, unreachable);
    expect(down.statusCode).toBe(503);
    expect(down.json().error).toMatchObject({ code: 'UNAVAILABLE', details: [{ dependency: 'punishment' }] });
  });
});

let lastIp = 0;
/** Each call from an address of its own unless one is given: only the rate-limit test shares one. */
const search = (query: string, ip = `10.0.${Math.floor(++lastIp / 250)}.${lastIp % 250}`, headers = {}) =>
  app.http.inject({ method: 'GET', url: `/v1/public/dishonest?${query}`, remoteAddress: ip, headers });

const listed = (over: Partial<PublicListing> = {}): PublicListing => ({
  name: '李某',
  idMasked: '110105********002X',
  courtCode: '川0104',
  courtName: '成都市锦江区人民法院',
  caseNo: CASE_NO,
  ground: 'evades-enforcement',
  groundZh: '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行',
  listedAt: new Date('2026-11-23T01:00:00Z'),
  debtorKind: 'person',
  legalRepresentative: '',
  ...over,
});

describe('GET /v1/public/dishonest', () => {
  it('answers without credentials, never cached, exactly as the list publishes it', async () => {
    double.listings = [
      listed(),
      listed({
        name: '某某建材有限公司',
        idMasked: '91350100M000100Y43',
        debtorKind: 'organisation',
        ground: 'able-but-refuses',
        groundZh: '',
        legalRepresentative: '王某',
      }),
    ];
    const res = await search(`name=${encodeURIComponent(' 李某 ')}&idPrefix=110105x&limit=10`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(double.searches.at(-1)).toEqual({ name: '李某', idPrefix: '110105X', limit: 10 });
    expect(res.json()).toEqual({
      listings: [
        {
          name: '李某',
          idMasked: '110105********002X',
          court: { code: '川0104', name: '成都市锦江区人民法院' },
          caseNo: CASE_NO,
          ground: 'evades-enforcement',
          groundZh: '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行',
          listedAt: '2026-11-23T01:00:00.000Z',
          legalRepresentative: null,
        },
        {
          name: '某某建材有限公司',
          // A credit code is published in full; the ground's name comes from the rules when not sent.
          idMasked: '91350100M000100Y43',
          court: { code: '川0104', name: '成都市锦江区人民法院' },
          caseNo: CASE_NO,
          ground: 'able-but-refuses',
          groundZh: '有履行能力而拒不履行生效法律文书确定义务',
          listedAt: '2026-11-23T01:00:00.000Z',
          // The organisation's 法定代表人 is published with it (法释〔2017〕7号 art. 6).
          legalRepresentative: '王某',
        },
      ],
    });
    // A court key changes nothing: the route neither needs nor reads one.
    const withKey = await search('name=李某', undefined, auth);
    expect(withKey.statusCode).toBe(200);
  });

  it("never publishes a person's whole ID, even if the service sent one", async () => {
    double.listings = [listed({ idMasked: '11010519491231002X' })];
    const res = await search('name=李某');
    expect(res.json().listings[0].idMasked).toBe('110105********002X');
    expect(JSON.stringify(res.json())).not.toContain('11010519491231002X');
  });

  it('asks for 20 listings unless told, and never passes on more than asked for', async () => {
    double.listings = Array.from({ length: 7 }, () => listed());
    await search('name=李某');
    expect(double.searches.at(-1)).toEqual({ name: '李某', idPrefix: '', limit: 20 });
    const res = await search('name=李某&limit=3');
    expect(res.json().listings).toHaveLength(3);
  });

  it.each([
    ['a person', 128],
    ['an organisation', 256],
  ])('finds %s by the longest name a notice may give it (%i characters)', async (_who, length) => {
    const name = '长'.repeat(length);
    double.listings = [listed()];
    const res = await search(`name=${encodeURIComponent(name)}`);
    expect(res.statusCode).toBe(200);
    expect(double.searches.at(-1)).toEqual({ name, idPrefix: '', limit: 20 });
  });

  it.each([
    ['no name', '', 'name', 'REQUIRED'],
    ['an empty name', 'name=', 'name', 'TOO_SHORT'],
    ['a blank name', 'name=%20%20', 'name', 'TOO_SHORT'],
    ['a name longer than any debtor’s (257 characters)', `name=${'李'.repeat(257)}`, 'name', 'TOO_LONG'],
    ['a name given twice', 'name=a&name=b', 'name', 'INVALID_TYPE'],
    ['a letter no ID has (I, O, S, V, Z)', 'name=李某&idPrefix=91O', 'idPrefix', 'INVALID_ID_PREFIX'],
    ['an ID prefix of 9 characters', 'name=李某&idPrefix=110105194', 'idPrefix', 'INVALID_ID_PREFIX'],
    ['a limit above 50', 'name=李某&limit=51', 'limit', 'TOO_BIG'],
    ['a limit of 0', 'name=李某&limit=0', 'limit', 'TOO_SMALL'],
    ['a limit in hex', 'name=李某&limit=0x10', 'limit', 'INVALID_TYPE'],
    ['a limit that is no number', 'name=李某&limit=all', 'limit', 'INVALID_TYPE'],
    ['a fractional limit', 'name=李某&limit=2.5', 'limit', 'INVALID_TYPE'],
    ['an unknown parameter', 'name=李某&court=川0104', 'court', 'UNKNOWN_FIELD'],
    ['a NUL in the name', 'name=%00', 'name', 'NUL_CHARACTER'],
  ])('refuses %s with 400 at its path, asking the service nothing', async (_what, query, path, code) => {
    const asked = double.searches.length;
    const res = await search(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path, code })]),
    );
    expect(double.searches.length).toBe(asked);
  });

  it('limits each client address per minute: 429 RATE_LIMITED with Retry-After; other addresses go on', async () => {
    double.listings = [];
    const ip = '192.0.2.77';
    for (let i = 0; i < PER_MINUTE; i++) expect((await search('name=李某', ip)).statusCode).toBe(200);
    const limited = await search('name=李某', ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['cache-control']).toBe('no-store');
    // HEAD is no way around it (it ran the same search under a limit of its own).
    const head = await app.http.inject({
      method: 'HEAD',
      url: '/v1/public/dishonest?name=李某',
      remoteAddress: ip,
    });
    expect(head.statusCode).not.toBe(200);
    // Counted in Redis under the gateway's namespace, so every gateway instance shares the count.
    const keys = await scanKeys(`${iso.namespace}:gateway:rl:*${ip}`);
    expect(keys).toHaveLength(1);
    expect((await search('name=李某', '192.0.2.78')).statusCode).toBe(200);
  });

  it('behind a trusted ingress, limits each client it forwards for; anyone else is its own address', async () => {
    double.listings = [];
    const via = (client: string, ip = INGRESS) => search('name=李某', ip, { 'x-forwarded-for': client });
    for (let i = 0; i < PER_MINUTE; i++) expect((await via('198.51.100.1')).statusCode).toBe(200);
    expect((await via('198.51.100.1')).statusCode).toBe(429);
    expect((await via('198.51.100.2')).statusCode).toBe(200);
    // A client that is no trusted proxy cannot name another address to escape its limit.
    const direct = '203.0.113.9';
    for (let i = 0; i < PER_MINUTE; i++)
      expect((await via(`198.51.100.${100 + i}`, direct)).statusCode).toBe(200);
    expect((await via('198.51.100.200', direct)).statusCode).toBe(429);
  });

  it('is 503 UNAVAILABLE when the punishment service cannot be reached', async () => {
    const res = await unreachable.http.inject({
      method: 'GET',
      url: '/v1/public/dishonest?name=李某',
      remoteAddress: '192.0.2.90',
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'UNAVAILABLE', details: [{ dependency: 'punishment' }] });
  });

  it('is the only route without credentials, and the OpenAPI document says so', async () => {
    const doc = (await app.http.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.security).toEqual([{ courtKey: [] }]);
    const open = Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })))
      .filter(({ op }) => Array.isArray(op.security) && op.security.length === 0)
      .map(({ path, method }) => `${method} ${path}`);
    expect(open).toEqual(['get /v1/public/dishonest']);
    expect(doc.paths['/v1/cases/{caseNo}/restrictions'].get.responses['200']).toBeDefined();
    const params =
      doc.paths['/v1/notices'].post.requestBody.content['application/json'].schema.properties.params;
    expect(params.properties.ground.enum).toContain('evades-enforcement');
    expect(params.properties.removalReason.enum).toContain('applicant-request');
    expect((await app.http.inject({ method: 'GET', url: '/v1/notices/x' })).statusCode).toBe(401);
  });
});

async function scanKeys(pattern: string): Promise<string[]> {
  const redis = new Redis(loadConfig(hubEnv(iso)).REDIS_URL);
  try {
    return await redis.keys(pattern);
  } finally {
    redis.disconnect();
  }
}
