import { buildAdapterApp, loadAdapterConfig, signAgencyRequest } from '@hub/agency-kit';
import {
  decodeEnvelope,
  type EventEnvelope,
  encodeEnvelope,
  NOTICE_TOPIC_KEYS,
  type NoticeSubmission,
  payloadAs,
  type TopicKey,
  topicName,
} from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka } from '@hub/messaging';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor, waitForGroupCaughtUp } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectKeyOf } from '../src/index.js';
import { buildToyService } from './fixtures/toy-service.js';

/**
 * A new measure service is a folder with its own rules and one call into the skeleton: the toy exit-
 * restriction service, the real public-security adapter, the real broker and database; the test answers
 * as the exit bureau would, over the adapter's signed REST API.
 */
const iso = isolate();
const env = hubEnv(iso);
const logger = createLogger({ service: 'measure-kit-test', level: 'warn' });
const PSB = 'PSB-510100';
const toy = buildToyService(
  {
    DATABASE_URL: endpoints().databaseUrl,
    KAFKA_BROKERS: endpoints().kafkaBrokers,
    HUB_TOPIC_PREFIX: iso.topicPrefix,
    HUB_NAMESPACE: iso.namespace,
    HUB_KAFKA_FETCH_WAIT_MS: 500,
  },
  { logger, directory: new Map([['public-security', [PSB]]]) },
);
const adapter = buildAdapterApp('public-security', loadAdapterConfig('public-security', env), {
  logger,
  clock: systemClock,
});
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });
const sealer = new Sealer('demo');
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let reader: ReturnType<Kafka['consumer']>;
const seen: EventEnvelope[] = [];

beforeAll(async () => {
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'measure-kit-test', logger });
  await Promise.all([toy.start(), adapter.start()]);
  producer = kafka.producer();
  reader = kafka.consumer({ groupId: `${iso.namespace}.test-reader`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), reader.connect()]);
  // Completions come on the notice topic of the service that owns its measure (punishment's, for restrict-exit).
  await reader.subscribe({
    topics: NOTICE_TOPIC_KEYS.map((k) => topicName(k, iso.topicPrefix)),
    fromBeginning: true,
  });
  await reader.run({ eachMessage: async ({ message }) => void seen.push(decodeEnvelope(message.value!)) });
});

afterAll(async () => {
  await reader?.disconnect();
  await producer?.disconnect();
  await Promise.all([toy.stop(), adapter.stop()]);
  await iso.cleanup();
});

async function issue(noticeId: string, debtor: NoticeSubmission['debtor'], measure = 'restrict-exit') {
  const court = { code: '川0104', name: '成都市锦江区人民法院' };
  const notice: NoticeSubmission = {
    noticeNo: `(2026)川0104执77号-协${noticeId.slice(0, 4)}`,
    caseNo: '(2026)川0104执77号',
    court,
    officer: { name: '王法官', phone: '028-00000000' },
    debtor,
    measure,
    targets: [{ agency: 'public-security', institution: '' }],
    params: { accountNo: '', unitNo: '', plate: '', otherGrounds: [] },
    legalBasis: '(2026)川0104执77号执行裁定书',
    issuedAt: '2026-11-23T09:00:00+08:00',
    confirmWarnings: [],
  } as NoticeSubmission;
  const m = events.event('notices', noticeId, 'noticeIssued', {
    noticeId,
    notice,
    seal: sealer.seal(court.code, notice),
    receivedAt: new Date(),
  });
  await producer.send({
    topic: m.topic,
    messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
  });
}

/** A call to the adapter signed as the exit bureau signs it. */
function asBureau(method: 'GET' | 'POST', url: string, payload?: object) {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const secret = `${PSB.toLowerCase()}-demo-secret`;
  const headers = {
    ...signAgencyRequest({ institution: PSB, secret, method, path: url, body }),
    'x-agency-worker': 'w1',
    ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
  };
  return adapter.http.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: body }) });
}

/** Wait until the toy service has consumed everything now on `topics`. */
async function caughtUp(topics: TopicKey[]) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = topics.map((t) => topicName(t, iso.topicPrefix));
    await waitForGroupCaughtUp(admin, `${iso.namespace}.toy-exit.restrictions`, names);
  } finally {
    await admin.disconnect();
  }
}

describe('a measure service built only on the skeleton', () => {
  it('takes a restrict-exit notice to the exit bureau and completes it when the bureau answers', async () => {
    const noticeId = crypto.randomUUID();
    const debtor = {
      kind: 'person',
      name: '李某',
      idNumber: '11010519491231002X',
      creditCode: '',
      responsiblePersons: [],
    };
    await issue(noticeId, debtor as NoticeSubmission['debtor']);

    const request = await waitFor(
      async () => {
        const res = await asBureau('GET', '/v1/agency/inbox?limit=10&leaseSeconds=60');
        const mine = (res.json().requests as { id: string; noticeId: string; measure: string }[]) ?? [];
        return mine.find((r) => r.noticeId === noticeId);
      },
      { what: 'the restrict-exit request in the exit bureau’s inbox' },
    );
    expect(request.measure).toBe('restrict-exit');
    expect((await asBureau('POST', `/v1/agency/requests/${request.id}/ack`, {})).statusCode).toBe(200);
    const answer = { restricted: true, until: '2027-01-04', registrationNo: 'XZCJ2026000456' };
    const res = await asBureau('POST', `/v1/agency/requests/${request.id}/answer`, {
      outcome: 'done',
      result: answer,
    });
    expect(res.statusCode).toBe(200);

    const completed = await waitFor(
      () => seen.map((e) => payloadAs(e, 'noticeCompleted')).find((c) => c?.noticeId === noticeId),
      { what: 'NoticeCompleted of the restrict-exit notice' },
    );
    expect(completed).toMatchObject({
      requests: 1,
      done: 1,
      partial: 0,
      cannotAssist: 0,
      refused: 0,
      failed: 0,
    });
    const { rows } = await toy.pool.query(
      'SELECT institution, until, request_id FROM exit_restrictions WHERE subject_key = $1',
      [subjectKeyOf(debtor)],
    );
    expect(rows).toEqual([{ institution: PSB, until: '2027-01-04', request_id: request.id }]);

    // The first terminal answer wins: a different answer and a failure published later change nothing.
    const about = { requestId: request.id, noticeId, agency: 'public-security', institution: PSB };
    const late = [
      events.event('answers', noticeId, 'requestAnswered', {
        ...about,
        outcome: 'refused',
        reason: '迟到的答复',
        resultJson: '',
      }),
      events.event('answers', noticeId, 'requestFailed', { ...about, code: 'SEAL_INVALID', reason: 'late' }),
    ];
    await producer.send({
      topic: topicName('answers', iso.topicPrefix),
      messages: late.map((m) => ({ key: m.key, value: encodeEnvelope(m.envelope) })),
    });
    await caughtUp(['answers', 'notices']);
    const stored = await toy.pool.query('SELECT status FROM requests WHERE id = $1', [request.id]);
    expect(stored.rows).toEqual([{ status: 'done' }]);
    const completions = seen.filter((e) => payloadAs(e, 'noticeCompleted')?.noticeId === noticeId);
    expect(completions).toHaveLength(1);
  });

  it('leaves alone what its rules refuse: an organisation debtor, and notices of other measures', async () => {
    const organisation = crypto.randomUUID();
    const inquiry = crypto.randomUUID();
    const company = {
      kind: 'organisation',
      name: '某公司',
      idNumber: '',
      creditCode: '91510100MA6CGUGA1W',
      responsiblePersons: [],
    };
    await issue(organisation, company as NoticeSubmission['debtor']);
    await issue(inquiry, company as NoticeSubmission['debtor'], 'query');
    await caughtUp(['notices']);
    const { rows } = await toy.pool.query('SELECT id FROM notices WHERE id = ANY($1::uuid[])', [
      [organisation, inquiry],
    ]);
    expect(rows).toEqual([]);
  });
});
