import { createHash, createHmac, randomBytes } from 'node:crypto';
import { systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import {
  FuzzTally,
  hubEnv,
  isolate,
  nastyText,
  nearValid,
  percentEncode,
  waitFor,
  wireBody,
} from '@hub/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../src/stack.js';

/**
 * Issue 9 over the court API, with the services it reads from running (tracker, query, the bank adapter):
 * no input earns a 5xx, and nothing is stored for an input that was refused. Inputs are mostly near-valid:
 * a valid notice (or batch, id, case number) with one to three mutations.
 */
const PER_ENDPOINT = Number(process.env.FUZZ_INPUTS ?? 5_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const iso = isolate();
const tally = new FuzzTally();
const auth = { authorization: 'Bearer demo-court-key' };
const REPORT_CASE = '(2026)川0104执8001号';
let stack: RunningStack;
type InjectOptions = {
  method?: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: string | object;
};
/** What the test uses of a started service: its HTTP server and its own schema's pool. */
type Service = {
  http: { inject(o: InjectOptions): Promise<{ statusCode: number; json(): Record<string, unknown> }> };
  runtime: { pool: { query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> } };
};
const service = (name: string) => stack.apps.get(name) as unknown as Service;

beforeAll(async () => {
  stack = await startStack(
    // freeze-deduct runs too: the gateway asks it about every freeze and seal before storing one.
    ['tracker', 'adapter-bank', 'query', 'freeze-deduct', 'gateway'],
    hubEnv(iso, { HUB_INSTITUTIONS: 'bank:ICBC,bank:CCB', HUB_MEASURE_SERVICES: 'query,freeze-deduct' }),
    { logger: createLogger({ service: 'court-fuzz', level: 'fatal' }), clock: systemClock },
  );
}, 60_000);

afterAll(async () => {
  console.log(`court API fuzz (seed ${SEED}, FUZZ_SEED to repeat):\n${tally.table()}`);
  await stack?.stop();
  await iso.cleanup();
});

const tag = () => randomBytes(5).toString('hex');
const base = (measure: string, extra: Record<string, unknown>) => ({
  noticeNo: `(2026)川0104执1234号-协${tag()}`,
  caseNo: '(2026)川0104执1234号',
  court: { code: '川0104', name: '成都市锦江区人民法院' },
  officer: { name: '王法官', phone: '028-00000000' },
  debtor: { kind: 'person', name: '李某', idNumber: '11010519491231002X' },
  measure,
  params: {},
  legalBasis: '(2026)川0104执1234号执行裁定书',
  issuedAt: '2026-11-23T09:00:00+08:00',
  ...extra,
});
/** Valid notices of a few shapes; freezes and seals mostly, so the fuzz does not flood the inquiry fan-out. */
const TEMPLATES = [
  () =>
    base('freeze', {
      targets: [{ agency: 'bank', institution: 'ICBC' }],
      params: { amountFen: 12_345_600, termDays: 365, accountNo: '6222020200112233445' },
    }),
  () =>
    base('seal', {
      targets: [{ agency: 'real-estate' }],
      params: { termDays: 1000, unitNo: '510104001001GB00001F00010001' },
    }),
  () =>
    base('freeze', {
      debtor: {
        kind: 'organisation',
        name: '成都某某贸易有限公司',
        creditCode: '91350100M000100Y43',
        legalRepresentative: { name: '张某', idNumber: '440524188001010014' },
      },
      targets: [{ agency: 'bank' }],
      params: { amountFen: 1, termDays: 30 },
    }),
];
const noticeArb = fc
  .oneof(
    fc.constantFrom(...TEMPLATES),
    fc.constant(() => base('query', { targets: [{ agency: 'bank' }] })),
  )
  .chain((make) => nearValid(make));

/**
 * One call, as a well-behaved client makes it: a 503 UNAVAILABLE (a dependency such as the tracker missed its
 * deadline on a loaded machine) is retried after a pause, a few times. An input that earns a 5xx every time,
 * or any other 5xx, still counts.
 */
async function inject(endpoint: string, options: InjectOptions) {
  const started = performance.now();
  let res = await service('gateway').http.inject(options);
  for (let retry = 1; retry <= 3 && res.statusCode === 503 && unavailable(res); retry++) {
    await new Promise((r) => setTimeout(r, 250 * retry));
    res = await service('gateway').http.inject(options);
  }
  let json: Record<string, unknown> & { error?: { code?: string } } = {};
  try {
    json = res.json();
  } catch {
    // recorded by status alone
  }
  tally.record(endpoint, res.statusCode, json.error?.code, performance.now() - started, options);
  return { status: res.statusCode, json };
}

const unavailable = (res: { json(): unknown }) => {
  try {
    return (res.json() as { error?: { code?: string } }).error?.code === 'UNAVAILABLE';
  } catch {
    return false;
  }
};

async function run<T>(items: T[], each: (item: T) => Promise<void>, concurrency = 32) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await each(items[next++]!);
    }),
  );
}

const sample = <T>(arb: fc.Arbitrary<T>, salt: number) =>
  fc.sample(arb, { numRuns: PER_ENDPOINT, seed: SEED + salt });
const noticeCount = async () =>
  (await service('gateway').runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notices'))
    .rows[0]!.n;
const existing = async (ids: string[]) =>
  (
    await service('gateway').runtime.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notices WHERE id = ANY($1::uuid[])',
      [ids],
    )
  ).rows[0]!.n;

/** A partner's signed call to the bank adapter (the documented HMAC scheme, as a partner implements it). */
function answerAsBank(institution: string, requestId: string, answer: object) {
  const url = `/v1/agency/requests/${requestId}/answer`;
  const body = JSON.stringify(answer);
  const timestamp = new Date().toISOString();
  const nonce = randomBytes(16).toString('hex');
  const canonical = `POST\n${url}\n${timestamp}\n${nonce}\n${createHash('sha256').update(body).digest('hex')}`;
  const signature = createHmac('sha256', `${institution.toLowerCase()}-demo-secret`)
    .update(canonical)
    .digest('base64');
  return service('adapter-bank').http.inject({
    method: 'POST',
    url,
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-agency-id': institution,
      'x-agency-timestamp': timestamp,
      'x-agency-nonce': nonce,
      'x-agency-signature': signature,
    },
  });
}

type Report = {
  debtors: {
    totals: { depositsFen: number | null; providentFundFen: number | null };
    totalsUnrepresentable: { total: string; code: string }[];
    agencies: { facts: { amountFen: number | null }[] }[];
  }[];
};

describe('property report sums', () => {
  it('says per debtor that a total beyond 2^53−1 fen cannot be stated, instead of failing with 503', async () => {
    const notice = { ...base('query', { targets: [{ agency: 'bank' }] }), caseNo: REPORT_CASE };
    const res = await service('gateway').http.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: auth,
      payload: notice,
    });
    const submitted = { status: res.statusCode, json: res.json() };
    expect(submitted.status).toBe(202);
    const requests = await waitFor(
      async () => {
        const { rows } = await service('adapter-bank').runtime.pool.query<{
          id: string;
          institution: string;
        }>('SELECT id, institution FROM requests WHERE notice_id = $1', [submitted.json.id]);
        return rows.length === 2 ? rows : undefined;
      },
      { what: 'the inquiry at ICBC and CCB', timeoutMs: 30_000 },
    );
    for (const [i, r] of requests.entries()) {
      const account = {
        accountType: 'demand',
        currency: 'CNY',
        balanceFen: Number.MAX_SAFE_INTEGER,
        frozenFen: 0,
      };
      const res = await answerAsBank(r.institution, r.id, {
        outcome: 'done',
        result: { accounts: [{ ...account, accountNo: `622202020011223344${i}` }] },
      });
      expect(res.statusCode).toBe(200);
    }
    const url = `/v1/cases/${encodeURIComponent(REPORT_CASE)}/property-report`;
    const report = await waitFor(
      async () => {
        const res = await service('gateway').http.inject({ url, headers: auth });
        const body = res.statusCode === 200 ? (res.json() as unknown as Report) : undefined;
        const facts = body?.debtors[0]?.agencies.flatMap((a) => a.facts) ?? [];
        return body && facts.length === 2 ? { status: res.statusCode, body } : undefined;
      },
      { what: 'both balances in the report', timeoutMs: 30_000 },
    );
    expect(report.status).toBe(200);
    const debtor = report.body.debtors[0]!;
    expect(debtor.totals.depositsFen).toBeNull();
    expect(debtor.totalsUnrepresentable).toEqual([
      expect.objectContaining({ total: 'depositsFen', code: 'SUM_EXCEEDS_SAFE_INTEGER' }),
    ]);
    expect(debtor.totals.providentFundFen).toBe(0);
    for (const a of debtor.agencies) expect(a.facts[0]?.amountFen).toBe(Number.MAX_SAFE_INTEGER);
  }, 90_000);
});

describe('court API fuzz (mostly near-valid inputs)', () => {
  it(`answers ${PER_ENDPOINT} inputs per endpoint without a 5xx and stores nothing it refuses`, async () => {
    const accepted = new Set<string>();
    let before = await noticeCount();
    await run(sample(wireBody(noticeArb), 1), async (body) => {
      const r = await inject('POST /v1/notices', {
        method: 'POST',
        url: '/v1/notices',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: body,
      });
      if (r.status === 202 && !r.json.duplicate) accepted.add(r.json.id as string);
    });
    // Every row stored is one a 202 announced, and every announced one is stored.
    expect(await noticeCount()).toBe(before + accepted.size);
    expect(await existing([...accepted])).toBe(accepted.size);

    before = await noticeCount();
    const inBatches = new Set<string>();
    const batchArb = fc
      .array(fc.constantFrom(...TEMPLATES), { minLength: 1, maxLength: 3 })
      .chain((makers) => nearValid(() => ({ notices: makers.map((make) => make()) })));
    await run(sample(wireBody(batchArb), 2), async (body) => {
      const r = await inject('POST /v1/notices/batch', {
        method: 'POST',
        url: '/v1/notices/batch',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: body,
      });
      const results = (r.json.results ?? []) as { ok: boolean; id: string; duplicate: boolean }[];
      for (const item of results) if (item.ok && !item.duplicate) inBatches.add(item.id);
    });
    expect(await noticeCount()).toBe(before + inBatches.size);
    expect(await existing([...inBatches])).toBe(inBatches.size);

    // The reads below fuzz input handling, not overload: let the tracker take in every notice just filed
    // (thousands flow through query, the bank adapter and the tracker) before it is asked about them.
    const filed = [...accepted, ...inBatches];
    await waitFor(
      async () =>
        (
          await service('tracker').runtime.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM notices WHERE id = ANY($1::uuid[])',
            [filed],
          )
        ).rows[0]!.n === filed.length,
      { what: 'the tracker to take in every filed notice', timeoutMs: 600_000, intervalMs: 500 },
    );

    const known = filed.slice(0, 200);
    const pick = () => known[Math.floor(Math.random() * known.length)]!;
    const mangled = (make: () => string) =>
      fc.oneof(
        { arbitrary: fc.constant(null).map(make), weight: 3 },
        {
          arbitrary: nearValid(make).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
          weight: 3,
        },
        { arbitrary: nastyText, weight: 1 },
      );
    // Eight readers, not 32: each valid read is a gRPC call to the tracker with a 3 s deadline, and on a
    // loaded machine 32 at once earn 503s that say nothing about input handling.
    await run(
      sample(mangled(pick), 3),
      async (id) => {
        await inject('GET /v1/notices/:id', { url: `/v1/notices/${percentEncode(id)}`, headers: auth });
      },
      8,
    );

    const listQuery = nearValid(() => ({
      caseNo: '(2026)川0104执1234号',
      status: 'issued',
      breached: 'false',
    }));
    await run(sample(listQuery, 4), async (q) => {
      const qs =
        typeof q === 'object' && q !== null
          ? Object.entries(q)
              .map(
                ([k, v]) =>
                  `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`,
              )
              .join('&')
          : percentEncode(String(q));
      await inject('GET /v1/notices?…', { url: `/v1/notices?${qs}`, headers: auth });
    });

    await run(
      sample(
        mangled(() => REPORT_CASE),
        5,
      ),
      async (caseNo) => {
        await inject('GET /v1/cases/:caseNo/property-report', {
          url: `/v1/cases/${percentEncode(caseNo)}/property-report`,
          headers: auth,
        });
      },
    );

    for (const endpoint of [
      'POST /v1/notices',
      'POST /v1/notices/batch',
      'GET /v1/notices/:id',
      'GET /v1/notices?…',
      'GET /v1/cases/:caseNo/property-report',
    ]) {
      expect(tally.count(endpoint).inputs).toBeGreaterThanOrEqual(PER_ENDPOINT);
    }
    expect(tally.count('GET /v1/notices/:id').ok).toBeGreaterThan(0);
    expect(tally.count('GET /v1/cases/:caseNo/property-report').ok).toBeGreaterThan(0);
    expect(tally.fail5xx).toBe(0);
  }, 900_000); // 25,000 calls: about a minute alone, several on a busy 2-core machine
});
