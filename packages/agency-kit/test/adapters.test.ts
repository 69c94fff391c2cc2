import { randomUUID } from 'node:crypto';
import {
  ANSWER_TOPIC_KEYS,
  decodeEnvelope,
  type EventEnvelope,
  encodeEnvelope,
  type NoticeSubmission,
  requestTopicKey,
  topicName,
} from '@hub/contracts';
import {
  bankDeduct,
  EXAMPLES,
  pfFreeze,
  publicSecurityQuery,
  queuedReceipt,
  realEstateQuery,
  UNIT_NO,
} from '@hub/contracts/answers/test-support';
import { AGENCY_KINDS, type AgencyKind, type Measure, systemClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka } from '@hub/messaging';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  buildAdapterApp,
  canonicalRequest,
  hmac,
  loadAdapterConfig,
  SIGNATURE_HEADERS,
  signAgencyRequest,
} from '../src/index.js';

const SIGNATURE_HEADER_VALUES = (
  institution: string,
  timestamp: string,
  nonce: string,
  signature: string,
) => ({
  [SIGNATURE_HEADERS.id]: institution,
  [SIGNATURE_HEADERS.timestamp]: timestamp,
  [SIGNATURE_HEADERS.nonce]: nonce,
  [SIGNATURE_HEADERS.signature]: signature,
});

/**
 * All four agency adapters in one process, against the real broker, database and cache: what every kind
 * must do the same way (leases, signatures, isolation between institutions and between kinds, answers
 * validated against that kind's result schemas before anything is stored or published).
 */
const iso = isolate();
const env = hubEnv(iso);

/** One answer body that the kind must refuse, and the field path the refusal must name. */
type BadAnswer = [body: object, path: string];
interface Kind {
  agency: AgencyKind;
  /** The connected institutions of this kind (HUB_INSTITUTIONS default). */
  institutions: readonly [string, ...string[]];
  /** A measure with a strict result schema, and answers to it that must be refused. */
  bad: { measure: Measure; answers: BadAnswer[] };
}

const done = (result: unknown) => ({ outcome: 'done', result });
const unit = realEstateQuery.units[0]!;
const vehicle = publicSecurityQuery.vehicles[0]!;
/** Refused by every kind, whatever the measure. */
const ANY_KIND: BadAnswer[] = [
  [{ outcome: 'refused' }, 'reason'],
  [{ outcome: 'maybe', result: {} }, 'outcome'],
];

const KINDS: readonly Kind[] = [
  {
    agency: 'bank',
    institutions: ['ICBC', 'CCB', 'ABC', 'BOC', 'BOCOM', 'CMB'],
    bad: {
      measure: 'deduct',
      answers: [
        [done({ ...bankDeduct, deductedFen: 1_000_000.5 }), 'result.deductedFen'],
        [done({ ...bankDeduct, deductedFen: bankDeduct.requestedFen + 1 }), 'result.deductedFen'],
        [done({ ...bankDeduct, accountNo: 'ACCT-1' }), 'result.accountNo'],
      ],
    },
  },
  {
    agency: 'real-estate',
    institutions: ['REC-510100', 'REC-110000', 'REC-440300'],
    bad: {
      measure: 'query',
      answers: [
        [done({ units: [{ ...unit, unitNo: UNIT_NO.slice(0, 27) }] }), 'result.units.0.unitNo'],
        [done({ units: [{ ...unit, areaM2: 0 }] }), 'result.units.0.areaM2'],
      ],
    },
  },
  {
    agency: 'public-security',
    institutions: ['PSB-510100'],
    bad: {
      measure: 'query',
      answers: [
        [
          done({ ...publicSecurityQuery, vehicles: [{ ...vehicle, plate: '川A1234' }] }),
          'result.vehicles.0.plate',
        ],
        [
          done({ ...publicSecurityQuery, vehicles: [{ ...vehicle, vin: 'LFV2A21K8D312345O' }] }),
          'result.vehicles.0.vin',
        ],
      ],
    },
  },
  {
    agency: 'provident-fund',
    institutions: ['PF-510100'],
    bad: {
      measure: 'freeze',
      answers: [
        [done({ ...pfFreeze, frozenFen: pfFreeze.requestedFen + 1 }), 'result.frozenFen'],
        [done({ ...pfFreeze, frozenFen: 100, receipt: queuedReceipt }), 'result.frozenFen'],
      ],
    },
  },
];

const secretOf = (institution: string) => `${institution.toLowerCase()}-demo-secret`;
/** Headers of a request signed as `institution` would sign it with its own secret (none if anonymous). */
const signed = (institution: string | undefined, method: string, url: string, body = '') =>
  institution
    ? signAgencyRequest({ institution, secret: secretOf(institution), method, path: url, body })
    : {};

const logger = createLogger({ service: 'adapters-test', level: 'warn' });
const configs = Object.fromEntries(AGENCY_KINDS.map((a) => [a, loadAdapterConfig(a, env)])) as Record<
  AgencyKind,
  ReturnType<typeof loadAdapterConfig>
>;
const apps = Object.fromEntries(
  AGENCY_KINDS.map((a) => [a, buildAdapterApp(a, configs[a], { logger, clock: systemClock })]),
) as Record<AgencyKind, ReturnType<typeof buildAdapterApp>>;

const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });
let kafka: Kafka;
let send: ReturnType<Kafka['producer']>;
let progressReader: ReturnType<Kafka['consumer']>;
/** Everything the adapters published on the progress and answers topics. */
const progress: { key: string; envelope: EventEnvelope }[] = [];

beforeAll(async () => {
  const quiet = createLogger({ service: 'adapters-test', level: 'error' });
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'adapters-test', logger: quiet });
  await Promise.all(AGENCY_KINDS.map((a) => apps[a].start()));
  send = kafka.producer();
  await send.connect();
  progressReader = kafka.consumer({ groupId: `${iso.namespace}.test-progress`, maxWaitTimeInMs: 100 });
  await progressReader.connect();
  await progressReader.subscribe({
    topics: [
      topicName('progress', iso.topicPrefix),
      ...ANSWER_TOPIC_KEYS.map((k) => topicName(k, iso.topicPrefix)),
    ],
    fromBeginning: true,
  });
  const record = (key: unknown, value: Buffer) =>
    progress.push({ key: String(key), envelope: decodeEnvelope(value) });
  await progressReader.run({ eachMessage: async ({ message: m }) => void record(m.key, m.value!) });
});

afterAll(async () => {
  await progressReader?.disconnect();
  await send?.disconnect();
  await Promise.all(AGENCY_KINDS.map((a) => apps[a].stop()));
  await iso.cleanup();
});

const COURT = { code: '川0104', name: '成都市锦江区人民法院' };
const NOTICE = {
  caseNo: '(2026)川0104执1234号',
  noticeNo: '(2026)川0104执1234号-协01',
  legalBasis: '(2026)川0104执1234号执行裁定书',
};
const sealer = new Sealer('demo');

/**
 * Publish one RequestDispatched per institution given (as the measure services would: the whole notice and
 * its court seal, demo keys as the gateway uses them unconfigured) and wait until the adapter stored them.
 */
async function dispatch(agency: AgencyKind, institutions: readonly string[], measure: Measure = 'query') {
  const notice: NoticeSubmission = {
    ...NOTICE,
    measure,
    court: COURT,
    targets: [{ agency, institution: '' }],
    issuedAt: '2026-11-23T09:00:00+08:00',
    confirmWarnings: [],
  };
  const seal = sealer.seal(COURT.code, notice);
  const topic = requestTopicKey(agency);
  const sent = institutions.map((institution) => ({ id: randomUUID(), noticeId: randomUUID(), institution }));
  const messages = sent.map((s) =>
    events.event(topic, s.noticeId, 'requestDispatched', {
      ...NOTICE,
      measure,
      court: COURT,
      requestId: s.id,
      noticeId: s.noticeId,
      agency,
      institution: s.institution,
      notice,
      seal,
    }),
  );
  await send.send({
    topic: topicName(topic, iso.topicPrefix),
    messages: messages.map((m) => ({ key: m.key, value: encodeEnvelope(m.envelope) })),
  });
  const ids = sent.map((s) => s.id);
  const sql = 'SELECT id FROM requests WHERE id = ANY($1::uuid[])';
  const stored = async () => (await apps[agency].runtime.pool.query(sql, [ids])).rows.length === ids.length;
  await waitFor(stored, { what: `${ids.length} ${agency} requests in the inbox` });
  return sent as [(typeof sent)[0], ...typeof sent];
}

type Reply = Awaited<ReturnType<ReturnType<typeof buildAdapterApp>['http']['inject']>>;
/** An error reply as the partner sees it: HTTP status and stable code. */
const errorOf = (res: Reply) => [res.statusCode, res.json().error?.code];
const detailsOf = (res: Reply) => (res.json().error?.details ?? []) as { path?: string; code?: string }[];
const idsOf = (items: { id: string }[]) => items.map((r) => r.id);
const requestIdOf = (e: EventEnvelope) => (e.payload?.value as { requestId?: string } | undefined)?.requestId;
const progressOf = (id: string, type?: string) =>
  progress.filter((p) => requestIdOf(p.envelope) === id && (!type || p.envelope.type === type));

/** One adapter's partner API, called as an institution (or anonymously) would call it. */
function apiOf(agency: AgencyKind) {
  const app = apps[agency];
  const post = (url: string, institution: string | undefined, payload: object = {}) => {
    const body = JSON.stringify(payload);
    const headers = { ...signed(institution, 'POST', url, body), 'content-type': 'application/json' };
    return app.http.inject({ method: 'POST', url, headers, payload: body });
  };
  const inbox = (
    institution: string | undefined,
    { worker = 'w1', leaseSeconds = 3600, limit = 500, acknowledge = undefined as string | undefined } = {},
  ) => {
    const ack = acknowledge === undefined ? '' : `&acknowledge=${acknowledge}`;
    const url = `/v1/agency/inbox?limit=${limit}&leaseSeconds=${leaseSeconds}${ack}`;
    const headers = { ...signed(institution, 'GET', url), 'x-agency-worker': worker };
    return app.http.inject({ url, headers });
  };
  /** Pull (and lease) an institution's inbox as one of its workers. */
  const pull = async (institution: string, options: Parameters<typeof inbox>[1] = {}) => {
    const res = await inbox(institution, options);
    if (res.statusCode !== 200) throw new Error(`pull as ${institution}: ${res.statusCode} ${res.body}`);
    return res.json().requests as { id: string; status: string }[];
  };
  const statusOf = async (id: string): Promise<string | undefined> =>
    (await app.runtime.pool.query('SELECT status FROM requests WHERE id = $1', [id])).rows[0]?.status;
  return {
    post,
    inbox,
    pull,
    statusOf,
    ack: (institution: string | undefined, id: string) => post(`/v1/agency/requests/${id}/ack`, institution),
    answer: (institution: string | undefined, id: string, body: object) =>
      post(`/v1/agency/requests/${id}/answer`, institution, body),
  };
}

// Kinds share nothing (own adapter, schema, nonces and institutions), so they run side by side. Within a
// kind the tests run in order: a pull leases every open request of its institution, whoever dispatched it.
describe.concurrent.each(KINDS.map((k) => [k.agency, k] as const))('%s adapter', (agency, kind) => {
  const { institutions } = kind;
  const api = apiOf(agency);
  const example = (measure: Measure) => EXAMPLES[agency][measure] as object;

  describe.sequential('inbox and signatures', () => {
    it('two workers of one institution pulling at once never get the same request; an expired lease returns it', async ({
      expect,
    }) => {
      const [institution] = institutions;
      const mine = new Set(idsOf(await dispatch(agency, Array(20).fill(institution))));
      const pulls = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api.pull(institution, { worker: `w${i % 2}`, leaseSeconds: 5, limit: 4 }),
        ),
      );
      const rest = await api.pull(institution, { worker: 'w0', leaseSeconds: 5 });
      const got = [...pulls.flatMap(idsOf), ...idsOf(rest)];
      expect(got.length).toBe(new Set(got).size);
      expect(new Set(got)).toEqual(mine);
      // While leased, nobody else gets them; once the 5 s lease lapses every one comes back, still 'delivered'.
      expect(await api.pull(institution, { worker: 'w1', leaseSeconds: 5 })).toEqual([]);
      const back = new Map<string, string>();
      const allBack = async () => {
        for (const r of await api.pull(institution, { worker: 'w1', leaseSeconds: 60 }))
          back.set(r.id, r.status);
        return back.size >= mine.size;
      };
      await waitFor(allBack, { what: 'expired leases', timeoutMs: 12_000, intervalMs: 250 });
      expect(new Set(back.keys())).toEqual(mine);
      expect(new Set(back.values())).toEqual(new Set(['delivered']));
    });

    it('reads inbox numbers in decimal digits only, naming the parameter, and leases nothing then', async ({
      expect,
    }) => {
      const institution = institutions.at(-1)!;
      const [s] = await dispatch(agency, [institution]);
      const bad = (limit: string, leaseSeconds = '60') =>
        api.inbox(institution, { limit: limit as never, leaseSeconds: leaseSeconds as never });
      for (const [limit, leaseSeconds, path, code] of [
        ['0x10', '60', 'limit', 'INVALID_TYPE'],
        ['1e2', '60', 'limit', 'INVALID_TYPE'],
        ['2.0', '60', 'limit', 'INVALID_TYPE'],
        ['%2B2', '60', 'limit', 'INVALID_TYPE'],
        ['0', '60', 'limit', 'TOO_SMALL'],
        ['501', '60', 'limit', 'TOO_BIG'],
        ['5', '6e1', 'leaseSeconds', 'INVALID_TYPE'],
      ] as const) {
        const res = await bad(limit, leaseSeconds);
        expect([res.statusCode, res.json().error.details?.[0]], `${limit} ${leaseSeconds}`).toEqual([
          400,
          expect.objectContaining({ path, code }),
        ]);
      }
      expect(await api.statusOf(s!.id)).toBe('pending');
    });

    it('refuses unsigned, wrongly signed, stale and replayed requests, changing nothing', async ({
      expect,
    }) => {
      const institution = institutions.at(-1)!;
      const [s] = await dispatch(agency, [institution]);
      const url = `/v1/agency/requests/${s.id}/ack`;
      const call = (headers: Record<string, string>) =>
        apps[agency].http.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: '{}',
        });
      const sign = (over: Partial<Parameters<typeof signAgencyRequest>[0]> = {}) =>
        signAgencyRequest({
          institution,
          secret: secretOf(institution),
          method: 'POST',
          path: url,
          body: '{}',
          ...over,
        });

      expect(errorOf(await api.inbox(undefined))).toEqual([401, 'UNAUTHENTICATED']);
      expect(errorOf(await call({}))).toEqual([401, 'UNAUTHENTICATED']);
      expect(errorOf(await call(sign({ secret: 'a-wrong-secret-123' })))).toEqual([401, 'SIGNATURE_INVALID']);
      expect(errorOf(await call(sign({ body: '{"x":1}' })))).toEqual([401, 'SIGNATURE_INVALID']);
      for (const minutes of [-10, 10]) {
        const res = await call(sign({ now: new Date(Date.now() + minutes * 60_000) }));
        expect(errorOf(res), `${minutes} min`).toEqual([401, 'REQUEST_REPLAYED']);
        expect(detailsOf(res)).toMatchObject([{ code: 'TIMESTAMP_OUT_OF_WINDOW' }]);
      }
      // Correctly signed, but the timestamp is no RFC 3339 time with its zone: an HTTP date, or a local time read
      // in whatever zone the server runs in.
      const now = new Date();
      for (const timestamp of [now.toUTCString(), now.toISOString().slice(0, 19)]) {
        const nonce = randomUUID().replaceAll('-', '');
        const res = await call({
          ...SIGNATURE_HEADER_VALUES(
            institution,
            timestamp,
            nonce,
            hmac(secretOf(institution), canonicalRequest('POST', url, timestamp, nonce, '{}')),
          ),
        });
        expect(errorOf(res), timestamp).toEqual([401, 'REQUEST_REPLAYED']);
        expect(detailsOf(res)).toMatchObject([{ code: 'TIMESTAMP_NOT_RFC3339' }]);
      }
      // A signed body sent as anything but JSON is said to be so (it was a signature that could not match).
      for (const type of ['text/plain', undefined]) {
        const res = await apps[agency].http.inject({
          method: 'POST',
          url,
          headers: { ...sign(), ...(type ? { 'content-type': type } : {}) },
          payload: '{}',
        });
        expect(errorOf(res), String(type)).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      }
      for (const [nonce, code] of [
        ['a'.repeat(15), 'NONCE_TOO_SHORT'],
        ['a'.repeat(129), 'NONCE_TOO_LONG'],
      ] as const) {
        const res = await call(sign({ nonce }));
        expect(errorOf(res), code).toEqual([401, 'REQUEST_REPLAYED']);
        expect(detailsOf(res)).toMatchObject([{ code }]);
      }
      // Not even pulled: the anonymous inbox call leased nothing.
      expect(await api.statusOf(s.id)).toBe('pending');

      const once = sign();
      expect((await call(once)).json()).toMatchObject({ requestId: s.id, ok: true, status: 'acknowledged' });
      const replayed = await call(once);
      expect(errorOf(replayed)).toEqual([401, 'REQUEST_REPLAYED']);
      expect(detailsOf(replayed)).toMatchObject([{ code: 'NONCE_REUSED' }]);
      expect(await api.statusOf(s.id)).toBe('acknowledged');
    });

    it('refuses every institution of the other agency kinds, each signing correctly with its own secret', async ({
      expect,
    }) => {
      expect([...configs[agency].keys.keys()]).toEqual(institutions);
      const [s] = await dispatch(agency, [institutions[0]]);
      const strangers = KINDS.filter((k) => k.agency !== agency).flatMap((k) => k.institutions);
      for (const stranger of strangers) {
        const replies = [
          await api.inbox(stranger),
          await api.ack(stranger, s.id),
          await api.answer(stranger, s.id, done(example('query'))),
          await api.post('/v1/agency/acks', stranger, { requestIds: [s.id] }),
        ];
        for (const res of replies) {
          expect(errorOf(res), stranger).toEqual([401, 'UNAUTHENTICATED']);
          expect(detailsOf(res)).toMatchObject([{ code: 'UNKNOWN_AGENCY' }]);
        }
      }
      expect(await api.statusOf(s.id)).toBe('pending');
    });

    it.runIf(institutions.length > 1)(
      'an institution sees, acknowledges and answers only its own requests',
      async ({ expect }) => {
        const round = await dispatch(agency, institutions);
        const ids = new Set(idsOf(round));
        for (const own of round) {
          const seen = idsOf(await api.pull(own.institution)).filter((id) => ids.has(id));
          expect(seen, own.institution).toEqual([own.id]);
        }
        for (const a of institutions) {
          const others = round.filter((s) => s.institution !== a);
          for (const b of others) {
            const replies = [await api.ack(a, b.id), await api.answer(a, b.id, done(example('query')))];
            for (const res of replies)
              expect(errorOf(res), `${a} on ${b.institution}`).toEqual([404, 'REQUEST_NOT_FOUND']);
          }
          const requestIds = idsOf(others);
          const acks = await api.post('/v1/agency/acks', a, { requestIds });
          const answers = await api.post('/v1/agency/answers', a, {
            answers: requestIds.map((requestId) => ({ requestId, ...done(example('query')) })),
          });
          for (const res of [acks, answers]) {
            expect(res.json().results).toEqual(
              requestIds.map((requestId) => ({ requestId, ok: false, code: 'REQUEST_NOT_FOUND' })),
            );
          }
        }
        for (const s of round) expect(await api.statusOf(s.id)).toBe('delivered');
        // Untouched by the others, each request is still its owner's to acknowledge.
        for (const s of round) {
          expect((await api.ack(s.institution, s.id)).json()).toMatchObject({
            ok: true,
            status: 'acknowledged',
          });
        }
      },
    );
  });

  describe.sequential('answers', () => {
    const { measure, answers } = kind.bad;

    it(`rejects a bad ${measure} answer with the field path, storing and publishing nothing`, async ({
      expect,
    }) => {
      const institution = institutions.at(-1)!;
      const [s] = await dispatch(agency, [institution], measure);
      for (const [body, path] of [...answers, ...ANY_KIND]) {
        const res = await api.answer(institution, s.id, body);
        expect(errorOf(res), JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
        expect(detailsOf(res).map((d) => d.path)).toContain(path);
      }
      const [[firstBad, firstPath]] = answers as [BadAnswer];
      const batch = await api.post('/v1/agency/answers', institution, {
        answers: [{ requestId: s.id, ...firstBad }],
      });
      expect(batch.json().results).toMatchObject([
        {
          requestId: s.id,
          ok: false,
          code: 'VALIDATION_FAILED',
          details: expect.arrayContaining([expect.objectContaining({ path: `answers.0.${firstPath}` })]),
        },
      ]);
      expect(await api.statusOf(s.id)).toBe('pending');
      // Still open: a good answer is taken, and it is the only answer ever published for the request.
      const good = done(example(measure));
      expect((await api.answer(institution, s.id, good)).json()).toMatchObject({ ok: true, status: 'done' });
      await waitFor(() => progressOf(s.id, 'RequestAnswered').length > 0, { what: 'RequestAnswered' });
      const answered = progressOf(s.id, 'RequestAnswered').map((p) => p.envelope.payload?.value);
      expect(answered).toMatchObject([{ outcome: 'done' }]);
      expect(JSON.parse((answered[0] as { resultJson: string }).resultJson)).toEqual(example(measure));
    });

    it('accepts a valid query answer and publishes RequestAnswered on the answers topic', async ({
      expect,
    }) => {
      const [institution] = institutions;
      const [s] = await dispatch(agency, [institution], 'query');
      const res = await api.answer(institution, s.id, done(example('query')));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ requestId: s.id, ok: true, status: 'done' });
      expect(await api.statusOf(s.id)).toBe('done');
      const [answered] = await waitFor(
        () => ((a) => a.length > 0 && a)(progressOf(s.id, 'RequestAnswered')),
        { what: 'RequestAnswered' },
      );
      expect(answered!.key).toBe(s.noticeId);
      const value = answered!.envelope.payload!.value as { resultJson: string };
      expect(value).toMatchObject({ noticeId: s.noticeId, agency, institution, outcome: 'done' });
      expect(JSON.parse(value.resultJson)).toEqual(example('query'));
    });

    it('takes a request id in upper case as the same request: acknowledged, answered, announced once each', async ({
      expect,
    }) => {
      const [institution] = institutions;
      const [s] = await dispatch(agency, [institution], 'query');
      const upper = s.id.toUpperCase();
      const acks = await api.post('/v1/agency/acks', institution, { requestIds: [upper, s.id] });
      expect(acks.json().results).toEqual([
        { requestId: upper, ok: true, status: 'acknowledged' },
        { requestId: s.id, ok: true, status: 'acknowledged' },
      ]);
      const answers = await api.post('/v1/agency/answers', institution, {
        answers: [{ requestId: upper, ...done(example('query')) }],
      });
      expect(answers.json().results).toEqual([{ requestId: upper, ok: true, status: 'done' }]);
      expect(await api.statusOf(s.id)).toBe('done');
      // Two topics (progress, answers): the reader may see the answer first.
      await waitFor(
        () =>
          progressOf(s.id, 'RequestAnswered').length > 0 &&
          progressOf(s.id, 'RequestAcknowledged').length > 0,
        { what: 'RequestAcknowledged and RequestAnswered' },
      );
      expect(progressOf(s.id, 'RequestAcknowledged')).toHaveLength(1);
      expect(progressOf(s.id, 'RequestAnswered')).toHaveLength(1);
    });
  });
});

/**
 * Group commit (issue 13): acknowledgements and answers of several institutions made at once are written by one
 * statement. Each call must still get exactly its own results, touch only its own institution's requests, keep
 * its own signature, and fail alone when the database refuses its data; a request is announced once.
 */
describe('bank adapter, institutions acknowledging and answering at once', () => {
  const inbox = apps.bank.inbox;
  const api = apiOf('bank');
  const institutions = KINDS[0]!.institutions;
  const answerOf = (reason: string) => ({ outcome: 'cannot-assist' as const, reason });
  const column = async (id: string, name: 'status' | 'reason' | 'answer_signature') =>
    (await apps.bank.runtime.pool.query(`SELECT ${name} AS v FROM requests WHERE id = $1`, [id])).rows[0]?.v;

  it("leases made at once: each worker gets only its own institution's requests, none twice, each delivered once", async ({
    expect,
  }) => {
    const sent = [...(await dispatch('bank', institutions)), ...(await dispatch('bank', institutions))];
    const leases = await Promise.all([
      ...institutions.map((i) => inbox.lease(i, `w1-${i}`, 500, 60)),
      // A second worker of ICBC in the same group: it never gets what the first one took.
      inbox.lease('ICBC', 'w2-ICBC', 500, 60),
    ]);
    for (const [k, i] of institutions.entries())
      for (const item of leases[k]!) expect(sent.find((s) => s.id === item.id)?.institution).toBe(i);
    const taken = leases.flat().map((r) => r.id);
    expect(new Set(taken).size).toBe(taken.length);
    expect(new Set(taken)).toEqual(new Set(sent.map((s) => s.id)));
    const owners = await apps.bank.runtime.pool.query<{ id: string; lease_owner: string }>(
      'SELECT id, lease_owner FROM requests WHERE id = ANY($1::uuid[])',
      [taken],
    );
    for (const [k, lease] of leases.entries())
      for (const item of lease)
        expect(owners.rows.find((r) => r.id === item.id)?.lease_owner).toBe(
          k < institutions.length ? `w1-${institutions[k]}` : 'w2-ICBC',
        );
    await waitFor(() => sent.every((s) => progressOf(s.id, 'RequestDelivered').length > 0), {
      what: 'RequestDelivered of every leased request',
    });
    for (const s of sent) expect(progressOf(s.id, 'RequestDelivered')).toHaveLength(1);
    // Leased now: another lease at once finds nothing, and learns when the earliest lease ends.
    const again = await Promise.all(institutions.map((i) => inbox.leaseOrExpiry(i, 'w3', 500, 60)));
    for (const r of again) {
      expect(r.items).toEqual([]);
      expect(r.nextExpiryMs).toBeGreaterThan(50_000);
    }
  });

  it('each call gets its own results, changes only its own requests, and each request is announced once', async ({
    expect,
  }) => {
    // Two requests per institution; leased first, so the calls below read nothing and submit in one turn.
    const sent = [...(await dispatch('bank', institutions)), ...(await dispatch('bank', institutions))];
    for (const institution of institutions) await api.pull(institution);
    const own = (institution: string) => sent.filter((s) => s.institution === institution).map((s) => s.id);
    const [icbc, ccb, boc] = [own('ICBC'), own('CCB'), own('BOC')];

    const acks = await Promise.all([
      ...institutions.map((i) => inbox.acknowledge(i, own(i))),
      inbox.acknowledge('ICBC', [icbc[0]!]), // the same request again, in the same group
      inbox.acknowledge('CCB', [icbc[1]!]), // another institution's request
    ]);
    for (const [k, i] of institutions.entries())
      expect(acks[k]).toEqual(own(i).map((requestId) => ({ requestId, ok: true, status: 'acknowledged' })));
    expect(acks[institutions.length]).toEqual([{ requestId: icbc[0], ok: true, status: 'acknowledged' }]);
    expect(acks[institutions.length + 1]).toEqual([
      { requestId: icbc[1], ok: false, code: 'REQUEST_NOT_FOUND' },
    ]);

    const signatureOf = (institution: string) => ({ by: institution });
    const answers = await Promise.all([
      ...institutions.map((i) =>
        inbox.answer(
          i,
          own(i).map((requestId) => ({
            requestId,
            // BOC's second answer holds a NUL the database refuses (past validation): it alone is not stored.
            answer: answerOf(i === 'BOC' && requestId === boc[1] ? '无\u0000' : `查无此人 ${i}`),
          })),
          signatureOf(i),
        ),
      ),
      inbox.answer('ICBC', [{ requestId: icbc[0]!, answer: answerOf('另一个答复') }], signatureOf('ICBC')),
      inbox.answer('CCB', [{ requestId: icbc[1]!, answer: answerOf('not mine') }], signatureOf('CCB')),
    ]);
    for (const [k, i] of institutions.entries())
      expect(answers[k]!.map((r) => (r.ok ? r.status : r.code))).toEqual(
        own(i).map((id) => (id === boc[1] ? 'VALIDATION_FAILED' : 'cannot-assist')),
      );
    // The first answer to a request wins; a different second one is refused, not silently dropped.
    expect(answers[institutions.length]!.map((r) => (r.ok ? r.status : r.code))).toEqual([
      'ILLEGAL_TRANSITION',
    ]);
    expect(answers[institutions.length + 1]!.map((r) => (r.ok ? r.status : r.code))).toEqual([
      'REQUEST_NOT_FOUND',
    ]);

    for (const s of sent) {
      if (s.id === boc[1]) {
        expect(await column(s.id, 'status')).toBe('acknowledged');
        continue;
      }
      expect(await column(s.id, 'status')).toBe('cannot-assist');
      expect(await column(s.id, 'reason')).toBe(`查无此人 ${s.institution}`);
      expect(await column(s.id, 'answer_signature')).toEqual(signatureOf(s.institution));
    }
    const answered = sent.filter((s) => s.id !== boc[1]);
    // Two topics (progress, answers): the reader may see an answer before its acknowledgement.
    await waitFor(
      () =>
        answered.every((s) => progressOf(s.id, 'RequestAnswered').length > 0) &&
        sent.every((s) => progressOf(s.id, 'RequestAcknowledged').length > 0),
      { what: 'RequestAcknowledged of every request and RequestAnswered of every stored answer' },
    );
    for (const s of sent) {
      expect(progressOf(s.id, 'RequestAcknowledged')).toHaveLength(1);
      const events = progressOf(s.id, 'RequestAnswered');
      expect(events).toHaveLength(s.id === boc[1] ? 0 : 1);
      for (const e of events)
        expect(e.envelope.payload!.value).toMatchObject({
          institution: s.institution,
          outcome: 'cannot-assist',
        });
    }
    expect(ccb).toHaveLength(2);
  });

  it('a lease that acknowledges (acknowledge=true): one statement, one RequestAcknowledged a request, never twice', async ({
    expect,
  }) => {
    const [icbc, ccb] = [await dispatch('bank', ['ICBC', 'ICBC']), await dispatch('bank', ['CCB', 'CCB'])];
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();
    // Not a word of the boolean but `true` or `false`: refused naming the parameter, nothing leased.
    for (const value of ['yes', '1', 'TRUE', ''])
      expect(detailsOf(await api.inbox('ICBC', { acknowledge: value })), value).toEqual([
        expect.objectContaining({ path: 'acknowledge' }),
      ]);
    expect(await api.statusOf(icbc[0].id)).toBe('pending');
    // ICBC leases and acknowledges; CCB, at the same moment, only leases: each gets what it asked for.
    const [acked, leased] = await Promise.all([
      api.pull('ICBC', { acknowledge: 'true', leaseSeconds: 5 }),
      api.pull('CCB', { acknowledge: 'false', leaseSeconds: 5 }),
    ]);
    expect(ids(acked)).toEqual(ids(icbc));
    expect(new Set(acked.map((r) => r.status))).toEqual(new Set(['acknowledged']));
    expect(ids(leased)).toEqual(ids(ccb));
    expect(new Set(leased.map((r) => r.status))).toEqual(new Set(['delivered']));
    const stamps = await apps.bank.runtime.pool.query<{ id: string; d: Date | null; a: Date | null }>(
      'SELECT id, delivered_at AS d, acknowledged_at AS a FROM requests WHERE id = ANY($1::uuid[])',
      [[...ids(icbc), ...ids(ccb)]],
    );
    for (const r of stamps.rows) {
      expect(r.d).not.toBeNull();
      expect(r.a === null).toBe(ccb.some((c) => c.id === r.id));
    }
    // Acknowledging again, by the call or by another acknowledging lease once the lease ran out, changes nothing
    // and announces nothing; CCB's delivered requests leased again with acknowledge=true are acknowledged then.
    expect((await api.ack('ICBC', icbc[0].id)).json()).toMatchObject({ ok: true, status: 'acknowledged' });
    await apps.bank.runtime.pool.query(
      "UPDATE requests SET lease_until = now() - interval '1 second' WHERE id = ANY($1::uuid[])",
      [[...ids(icbc), ...ids(ccb)]],
    );
    expect(ids(await api.pull('ICBC', { acknowledge: 'true' }))).toEqual(ids(icbc));
    const later = await api.pull('CCB', { acknowledge: 'true' });
    expect(ids(later)).toEqual(ids(ccb));
    expect(new Set(later.map((r) => r.status))).toEqual(new Set(['acknowledged']));
    const all = [...icbc, ...ccb];
    await waitFor(() => all.every((s) => progressOf(s.id, 'RequestAcknowledged').length > 0), {
      what: 'RequestAcknowledged of every request',
    });
    // The answer is taken as after any acknowledgement.
    const answered = await apps.bank.inbox.answer('ICBC', [
      { requestId: icbc[0].id, answer: answerOf('查无此人') },
    ]);
    expect(answered).toEqual([{ requestId: icbc[0].id, ok: true, status: 'cannot-assist' }]);
    await new Promise((r) => setTimeout(r, 500)); // nothing more is on its way
    for (const s of all) expect(progressOf(s.id, 'RequestAcknowledged'), s.institution).toHaveLength(1);
    // ICBC's acknowledgement implied the delivery (no event of its own); CCB's leases announced it first.
    for (const s of icbc) expect(progressOf(s.id, 'RequestDelivered')).toHaveLength(0);
    for (const s of ccb) expect(progressOf(s.id, 'RequestDelivered')).toHaveLength(1);
  });
});
