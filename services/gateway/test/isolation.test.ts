import { randomBytes } from 'node:crypto';
import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import {
  BinaryWriter,
  CourtServiceClient,
  LenientCourtServiceService,
  noticeToProto,
  NoticeSubmission as ProtoNotice,
  type SubmitNoticesResponse,
  WireType,
} from '@hub/contracts';
import { type NoticeSubmission, systemClock } from '@hub/domain';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate } from '@hub/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { type Accepted, NoticeWriter } from '../src/notice-writer.js';
import { notice } from './fixtures.js';

/**
 * Issue 9: bad input never hurts anyone else. A notice the database or protobuf cannot carry is refused at
 * the edge; and should one reach the group commit anyway, it fails alone, never the notices of other courts
 * that shared its transaction.
 */
const iso = isolate();
const COURTS = { 'key-cd': '川0104', 'key-bj': '京01', 'key-gz': '粤0106' } as const;
type CourtKey = keyof typeof COURTS;
const config = loadConfig(
  hubEnv(iso, {
    GATEWAY_COURT_KEYS: Object.entries(COURTS)
      .map(([k, c]) => `${k}=${c}`)
      .join(','),
    TRACKER_GRPC_URL: '127.0.0.1:1',
  }),
);
const logger = createLogger({ service: 'isolation-test', level: 'fatal' });
const app = buildApp(config, { logger, clock: systemClock });

beforeAll(async () => {
  await app.start();
});

afterAll(async () => {
  await app.stop();
  await iso.cleanup();
});

/** A unique, plain tag in every notice number: how a test finds what was stored, whatever else it holds. */
const tag = () => `T${randomBytes(6).toString('hex')}`;
const noticeOf = (court: CourtKey, t: string, overrides: Record<string, unknown> = {}) =>
  notice({
    noticeNo: `(2026)${COURTS[court]}执1号-${t}`,
    caseNo: `(2026)${COURTS[court]}执1234号`,
    court: { code: COURTS[court], name: '某人民法院' },
    ...overrides,
  });
const auth = (court: CourtKey) => ({ authorization: `Bearer ${court}` });

/** How many notices are stored whose number carries `t`, and the id when there is one. */
async function storedWith(t: string): Promise<{ n: number; id: string | undefined }> {
  const { rows } = await app.runtime.pool.query<{ id: string }>(
    `SELECT id FROM notices WHERE strpos(notice_no, $1) > 0`,
    [t],
  );
  return { n: rows.length, id: rows[0]?.id };
}

describe('group commit', () => {
  it('fails only the notices the database or protobuf refuses, never the others in their transaction', async () => {
    // Straight to the writer, past validation: what validation might one day miss must still fail alone.
    const writer = new NoticeWriter(
      app.runtime.pool,
      app.runtime.events,
      () => new Date(),
      new Sealer('demo'),
      logger,
    );
    const bad: [string, Record<string, unknown>][] = [
      ['a NUL in text', { legalBasis: '裁定书\u0000' }],
      ['a lone surrogate', { debtor: { kind: 'person', name: '李\uD800', idNumber: '11010519491231002X' } }],
      ['a NUL in the officer name', { officer: { name: '王\u0000' } }],
      ['a termDays beyond int32', { params: { termDays: 2 ** 40 } }],
      ['another lone surrogate', { court: { code: '川0104', name: '\uDC00法院' } }],
    ];
    const items = Array.from({ length: 200 }, () => ({ t: tag(), overrides: {}, good: true }));
    for (const [i, [, overrides]] of bad.entries())
      items.splice(17 + i * 41, 0, { t: tag(), overrides, good: false });
    const results = await Promise.all(
      items.map(({ t, overrides }) =>
        writer
          .submit(noticeOf('key-cd', t, overrides) as NoticeSubmission, [])
          .then((a: Accepted) => ({ ok: true as const, id: a.id }))
          .catch((err: { code: string; details: { code: string }[] }) => ({ ok: false as const, err })),
      ),
    );
    for (const [i, r] of results.entries()) {
      const { good, t } = items[i]!;
      const stored = await storedWith(t);
      if (good) {
        expect(r).toMatchObject({ ok: true });
        expect(stored).toEqual({ n: 1, id: (r as { id: string }).id });
      } else {
        expect(r).toMatchObject({
          ok: false,
          err: { code: 'VALIDATION_FAILED', details: [{ code: 'NOT_STORABLE' }] },
        });
        expect(stored.n).toBe(0);
      }
    }
  });
});

describe('the court API refuses what cannot be carried, at the edge', () => {
  it.each([
    ['a NUL in text', { legalBasis: '裁定书\u0000' }, 'legalBasis', 'NUL_CHARACTER'],
    [
      'a lone surrogate',
      { debtor: { kind: 'person', name: '李\uD800', idNumber: '11010519491231002X' } },
      'debtor.name',
      'LONE_SURROGATE',
    ],
    ['a NUL in a field name', { ['x\u0000y']: 1 }, 'x\\u0000y', 'NUL_CHARACTER'],
    ['a termDays beyond int32', { params: { termDays: 2 ** 31 } }, 'params.termDays', 'TOO_BIG'],
    [
      'an amount beyond the safe integers',
      { measure: 'freeze', params: { amountFen: 2 ** 60 } },
      'params.amountFen',
      'NUMBER_OUT_OF_RANGE',
    ],
  ])('%s: 400 with the path and a stable code, nothing stored', async (_what, overrides, path, code) => {
    const t = tag();
    const res = await app.http.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: auth('key-cd'),
      payload: noticeOf('key-cd', t, overrides),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ path, code }));
    expect((await storedWith(t)).n).toBe(0);
  });

  it('answers a batch [valid, bad, valid] item by item, exactly as stored', async () => {
    const ts = [tag(), tag(), tag()];
    const res = await app.http.inject({
      method: 'POST',
      url: '/v1/notices/batch',
      headers: auth('key-bj'),
      payload: {
        notices: [
          noticeOf('key-bj', ts[0]!),
          noticeOf('key-bj', ts[1]!, { legalBasis: '\u0000' }),
          noticeOf('key-bj', ts[2]!),
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const { results, accepted, rejected } = res.json();
    expect([accepted, rejected]).toEqual([2, 1]);
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await storedWith(ts[0]!)).toEqual({ n: 1, id: results[0].id });
    expect(await storedWith(ts[1]!)).toEqual({ n: 0, id: undefined });
    expect(await storedWith(ts[2]!)).toEqual({ n: 1, id: results[2].id });
  });
});

/** One generated submission: a valid notice or a near-valid one with one thing no hop can carry. */
type Item = { court: CourtKey; t: string; body: Record<string, unknown>; valid: boolean };

const BAD_TEXT = fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF');
const FIELDS = ['legalBasis', 'court.name', 'officer.name', 'debtor.name', 'noticeNo', 'caseNo'] as const;

/** Each generated item gets a fresh tag, also when fast-check shrinks, so runs never see each other's rows. */
function itemArb(): fc.Arbitrary<Item> {
  const court = fc.constantFrom(...(Object.keys(COURTS) as CourtKey[]));
  const make = (c: CourtKey, valid: boolean, change: (body: Record<string, unknown>) => void = () => {}) => {
    const t = tag();
    const body = noticeOf(c, t);
    change(body);
    return { court: c, t, body, valid };
  };
  const valid = court.map((c) => make(c, true));
  const badText = fc
    .tuple(court, fc.constantFrom(...FIELDS), BAD_TEXT, fc.nat(3))
    .map(([c, field, bad, at]) =>
      make(c, false, (body) => {
        const [a, b] = field.split('.') as [string, string | undefined];
        const holder = (b ? body[a] : body) as Record<string, unknown>;
        const key = b ?? a;
        const old = String(holder[key]);
        holder[key] = `${old.slice(0, at)}${bad}${old.slice(at)}`;
      }),
    );
  const badKey = fc.tuple(court, BAD_TEXT).map(([c, bad]) =>
    make(c, false, (body) => {
      (body.params as Record<string, unknown>)[`k${bad}`] = 1;
    }),
  );
  const hugeInt = fc
    .tuple(
      court,
      fc.oneof(
        fc.record({ termDays: fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }) }),
        fc.record({ amountFen: fc.double({ min: 2 ** 53, max: 1e300, noNaN: true }) }),
      ),
    )
    .map(([c, params]) =>
      make(c, false, (body) => {
        body.params = params;
      }),
    );
  const overLong = fc.tuple(court, fc.integer({ min: 257, max: 5000 })).map(([c, n]) =>
    make(c, false, (body) => {
      body.legalBasis = '裁'.repeat(n);
    }),
  );
  return fc.oneof(
    { arbitrary: valid, weight: 4 },
    { arbitrary: badText, weight: 2 },
    { arbitrary: badKey, weight: 1 },
    { arbitrary: hugeInt, weight: 1 },
    { arbitrary: overLong, weight: 1 },
  );
}

const runArb = fc.array(fc.tuple(itemArb(), fc.boolean()), { minLength: 5, maxLength: 40 });

describe('submitted concurrently from several courts, single and in batches (property)', () => {
  it('stores every valid notice exactly once, refuses every invalid one with a 4xx and a code, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(runArb, async (run) => {
        const items = run.map(([it]) => it);
        const inBatch = run.map(([, b]) => b);
        // Outcome per item: the id it was given, or the 4xx code it was refused with.
        const outcome = new Map<Item, { id?: string; status: number; code?: string }>();
        const singles = items.filter((_, i) => !inBatch[i]);
        const batched = items.filter((_, i) => inBatch[i]);
        const byCourt = Object.keys(COURTS).map((c) => batched.filter((it) => it.court === c));
        await Promise.all([
          ...singles.map(async (it) => {
            const res = await app.http.inject({
              method: 'POST',
              url: '/v1/notices',
              headers: auth(it.court),
              payload: it.body,
            });
            const json = res.json();
            outcome.set(it, { id: json.id, status: res.statusCode, code: json.error?.code });
          }),
          ...byCourt
            .filter((group) => group.length > 0)
            .map(async (group) => {
              const res = await app.http.inject({
                method: 'POST',
                url: '/v1/notices/batch',
                headers: auth(group[0]!.court),
                payload: { notices: group.map((it) => it.body) },
              });
              expect(res.statusCode).toBe(200);
              for (const [i, r] of res.json().results.entries()) {
                outcome.set(
                  group[i]!,
                  r.ok ? { id: r.id, status: 202 } : { status: 400, code: r.error.code },
                );
              }
            }),
        ]);
        for (const it of items) {
          const o = outcome.get(it)!;
          const stored = await storedWith(it.t);
          expect(o.status).toBeLessThan(500);
          if (it.valid) {
            expect(o.status).toBe(202);
            expect(stored).toEqual({ n: 1, id: o.id });
          } else {
            expect(o.status).toBe(400);
            expect(o.code).toBe('VALIDATION_FAILED');
            expect(stored.n).toBe(0);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('gRPC SubmitNotice and SubmitNotices', () => {
  const client = () => new CourtServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
  const md = () => {
    const m = new Metadata();
    m.set('authorization', 'Bearer key-cd');
    return m;
  };

  it('refuses text the wire cannot carry with INVALID_ARGUMENT, the path and the code (details stay readable)', async () => {
    const c = client();
    const t = tag();
    const proto = noticeToProto(noticeOf('key-cd', t) as NoticeSubmission);
    proto.legalBasis = '裁定书\u0000';
    proto.params = { ...proto.params!, unitNo: '不动产' };
    const err = await new Promise<ServiceError>((resolve) =>
      c.submitNotice({ notice: proto }, md(), (e) => resolve(e!)),
    );
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    const details = JSON.parse(String(err.metadata.get('error-details')[0]));
    expect(details).toContainEqual(expect.objectContaining({ path: 'legalBasis', code: 'NUL_CHARACTER' }));
    expect(details).toContainEqual(
      expect.objectContaining({ path: 'params.unitNo', code: 'INVALID_UNIT_NO' }),
    );
    expect((await storedWith(t)).n).toBe(0);
    c.close();
  });

  it('answers an int64 beyond the safe integers as that notice’s NUMBER_OUT_OF_RANGE, not the call’s INTERNAL', async () => {
    const c = client();
    const ts = [tag(), tag(), tag()];
    // The int64 is written by hand: no JavaScript client can hold 2^63 - 1, but a court's Java or Go client can.
    const bytesOf = (t: string, amount?: string) => {
      const w = new BinaryWriter();
      const proto = noticeToProto(noticeOf('key-cd', t) as NoticeSubmission);
      w.raw(ProtoNotice.encode({ ...proto, params: undefined }).finish());
      const params = new BinaryWriter();
      if (amount) params.tag(1, WireType.Varint).int64(amount);
      return w.tag(8, WireType.LengthDelimited).bytes(params.finish()).finish();
    };
    const call = <R>(method: 'submitNotice' | 'submitNotices', request: Uint8Array) =>
      new Promise<{ err: ServiceError | null; res?: R }>((resolve) =>
        c.makeUnaryRequest(
          LenientCourtServiceService[method].path,
          (b: Buffer) => b,
          (b: Buffer) => LenientCourtServiceService[method].responseDeserialize(b) as R,
          Buffer.from(request),
          md(),
          (err, res) => resolve({ err, res }),
        ),
      );
    const batch = new BinaryWriter();
    batch.tag(1, WireType.LengthDelimited).bytes(bytesOf(ts[0]!));
    batch.tag(1, WireType.LengthDelimited).bytes(bytesOf(ts[1]!, '9223372036854775807'));
    batch.tag(1, WireType.LengthDelimited).bytes(bytesOf(ts[2]!));
    const { err, res } = await call<SubmitNoticesResponse>('submitNotices', batch.finish());
    expect(err).toBeNull();
    expect(res!.results.map((r) => [r.ok, r.errorCode])).toEqual([
      [true, ''],
      [false, 'VALIDATION_FAILED'],
      [true, ''],
    ]);
    expect(JSON.parse(res!.results[1]!.errorDetailsJson)).toContainEqual(
      expect.objectContaining({ path: 'params.amountFen', code: 'NUMBER_OUT_OF_RANGE' }),
    );
    expect((await storedWith(ts[1]!)).n).toBe(0);
    expect((await storedWith(ts[2]!)).n).toBe(1);
    // Bytes that are no protobuf: the caller's bad input (INVALID_ARGUMENT), the call's or that one notice's.
    const garbage = await call('submitNotice', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(garbage.err?.code).toBe(status.INVALID_ARGUMENT);
    expect(JSON.parse(String(garbage.err?.metadata.get('error-details')[0]))).toEqual([
      expect.objectContaining({ path: '', code: 'MALFORMED_BODY' }),
    ]);
    const tm = tag();
    const mixed = new BinaryWriter();
    mixed.tag(1, WireType.LengthDelimited).bytes(Uint8Array.from([0x0a, 0x05, 0xff]));
    mixed.tag(1, WireType.LengthDelimited).bytes(bytesOf(tm));
    const partly = await call<SubmitNoticesResponse>('submitNotices', mixed.finish());
    expect(partly.res!.results.map((r) => [r.index, r.ok, r.errorCode])).toEqual([
      [0, false, 'VALIDATION_FAILED'],
      [1, true, ''],
    ]);
    expect((await storedWith(tm)).n).toBe(1);
    const t = tag();
    const single = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .bytes(bytesOf(t, '-9223372036854775808'));
    const one = await call('submitNotice', single.finish());
    expect(one.err?.code).toBe(status.INVALID_ARGUMENT);
    expect(String(one.err?.metadata.get('error-code')[0])).toBe('VALIDATION_FAILED');
    expect((await storedWith(t)).n).toBe(0);
    c.close();
  });

  it('answers a batch item by item, the refused one with its code, the others stored', async () => {
    const c = client();
    const ts = [tag(), tag(), tag()];
    const notices = ts.map((t) => noticeToProto(noticeOf('key-cd', t) as NoticeSubmission));
    notices[1]!.debtor = { ...notices[1]!.debtor!, name: '李\u0000' };
    const res = await new Promise<{ results: { ok: boolean; id: string; errorCode: string }[] }>(
      (resolve, reject) => c.submitNotices({ notices }, md(), (e, r) => (e ? reject(e) : resolve(r!))),
    );
    expect(res.results.map((r) => [r.ok, r.errorCode])).toEqual([
      [true, ''],
      [false, 'VALIDATION_FAILED'],
      [true, ''],
    ]);
    expect(await storedWith(ts[0]!)).toEqual({ n: 1, id: res.results[0]!.id });
    expect((await storedWith(ts[1]!)).n).toBe(0);
    expect(await storedWith(ts[2]!)).toEqual({ n: 1, id: res.results[2]!.id });
    c.close();
  });
});
