/**
 * Anti-entropy of the interception projection: one subject's key lost (or gone back to an older version) while
 * the readiness key survives, as an asynchronous Redis failover can leave it. Nothing else repairs that
 * (the rebuild runs only when the readiness key is lost), so every adapter would answer "not restricted".
 */
import { randomUUID } from 'node:crypto';
import {
  decodeEnvelope,
  type EventEnvelope,
  encodeEnvelope,
  type NoticeSubmission,
  topicName,
} from '@hub/contracts';
import type { Clock } from '@hub/domain';
import { InterceptionProjection, subjectHash } from '@hub/interception';
import { createKafka, eventFactory, type Kafka } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor, waitForGroupCaughtUp } from '@hub/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';

const clock: Clock = { now: () => new Date() };
const iso = isolate();
const logger = createLogger({ service: 'punishment-reconcile-test', level: 'error' });
const app = buildApp(
  loadConfig(
    hubEnv(iso, {
      HUB_INSTITUTIONS: 'bank:ICBC,real-estate:CDRE,public-security:CDPS,provident-fund:CDGJJ',
      PUNISHMENT_PROJECTION_CHECK_MS: '200',
      PUNISHMENT_PROJECTION_RECONCILE_MS: '300',
    }),
  ),
  { logger, clock },
);
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => clock.now() });
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let reader: ReturnType<Kafka['consumer']>;
let redis: Redis;
let projection: InterceptionProjection;
const seen: EventEnvelope[] = [];

beforeAll(async () => {
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'punishment-reconcile-test', logger });
  await app.start();
  redis = new Redis(endpoints().redisUrl);
  projection = new InterceptionProjection(redis, iso.namespace);
  producer = kafka.producer();
  reader = kafka.consumer({ groupId: `${iso.namespace}.test-reader`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), reader.connect()]);
  await reader.subscribe({ topics: [topicName('restrictions', iso.topicPrefix)], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      seen.push(decodeEnvelope(message.value!));
    },
  });
}, 60_000);

afterAll(async () => {
  await reader?.disconnect();
  await producer?.disconnect();
  await app.stop();
  if (redis) {
    const keys = await redis.keys(`${iso.namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  await iso.cleanup();
}, 60_000);

let serial = 0;
const residentId = () => `110105${String(19_500_000_000 + serial++)}X`;

async function file(caseNo: string, measure: string, idNumber: string, params: Record<string, unknown>) {
  const notice = {
    noticeNo: `${caseNo}-${measure}-${randomUUID().slice(0, 8)}`,
    caseNo,
    court: { code: '川0104', name: '成都市锦江区人民法院' },
    officer: { name: '王法官', phone: '028-00000000' },
    debtor: { kind: 'person', name: '周某', idNumber, creditCode: '', responsiblePersons: [] },
    measure,
    targets: [],
    params: { accountNo: '', unitNo: '', plate: '', otherGrounds: [], ...params },
    legalBasis: `${caseNo}执行裁定书`,
    issuedAt: clock.now().toISOString(),
    confirmWarnings: [],
  } as unknown as NoticeSubmission;
  const noticeId = randomUUID();
  const m = events.event('notices', noticeId, 'noticeIssued', { noticeId, notice, receivedAt: clock.now() });
  await producer.send({ topic: m.topic, messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }] });
  return noticeId;
}

const keyOf = (idNumber: string) => `${iso.namespace}:intercept:s:${subjectHash(idNumber)}`;
const read = async (idNumber: string) => {
  const r = await projection.read([subjectHash(idNumber)], clock.now());
  return { ready: r.ready, entries: r.standings.get(subjectHash(idNumber)) ?? [] };
};
const restricted = (idNumber: string) =>
  waitFor(async () => ((r) => r.ready && r.entries.length > 0 && r.entries)(await read(idNumber)), {
    what: 'the subject restricted in the projection',
  });
const free = (idNumber: string) =>
  waitFor(async () => ((r) => r.ready && r.entries.length === 0)(await read(idNumber)), {
    what: 'the subject free in the projection',
  });
const versionIn = async (idNumber: string) => (await projection.versions([subjectHash(idNumber)]))[0];
const versionInPostgres = async (idNumber: string) =>
  Number(
    (
      await app.runtime.pool.query<{ version: string }>(
        'SELECT version FROM subjects WHERE subject_hash = $1',
        [subjectHash(idNumber)],
      )
    ).rows[0]!.version,
  );
const repairsMetric = async () => {
  const res = await app.http.inject({ method: 'GET', url: '/metrics' });
  const line = res.body.split('\n').find((l) => l.startsWith('hub_interception_repairs_total'));
  return Number(line?.split(' ')[1] ?? Number.NaN);
};

describe('anti-entropy of the interception projection (one key lost while the readiness key survives)', () => {
  const listed = residentId();
  let listedEntries: unknown[] = [];

  it('a lost subject key is restored by the next pass: the subject reads restricted again, and the repair is counted', async () => {
    await file('(2026)川0104执2501号', 'dishonest-list', listed, { ground: 'evades-enforcement' });
    listedEntries = await restricted(listed);
    expect(listedEntries).toHaveLength(2);
    const repairs = app.keeper.repairs;
    const metric = await repairsMetric();
    const rebuilds = app.keeper.rebuilds;

    await redis.del(keyOf(listed));
    // What every adapter would answer now: ready, and nothing against the subject.
    const lost = await read(listed);
    expect(lost.ready).toBe(true);

    expect(await restricted(listed)).toEqual(listedEntries);
    expect(await versionIn(listed)).toBe(await versionInPostgres(listed));
    // Counted just after the write, which this test reads on another connection and may see first.
    await waitFor(() => app.keeper.repairs > repairs, { what: 'the repair counted' });
    expect(await repairsMetric()).toBeGreaterThan(metric);
    // Repaired by anti-entropy, not by a rebuild: the readiness key never went.
    expect(app.keeper.rebuilds).toBe(rebuilds);
  });

  it('an older version written over a restricted subject (its key gone back) is repaired', async () => {
    const version = await versionInPostgres(listed);
    const repairs = app.keeper.repairs;
    // What an adapter reads until the keeper's next pass (which may already have run: the count shows it did).
    await redis.set(keyOf(listed), `${version - 1}:[]`);
    expect(await restricted(listed)).toEqual(listedEntries);
    expect(await versionIn(listed)).toBe(version);
    // Counted just after the write, which this test reads on another connection and may see first.
    await waitFor(() => app.keeper.repairs > repairs, { what: 'the repair counted' });
  });

  it('a withdrawn subject whose key went back to its restricted version is freed again (recently changed subjects are compared too)', async () => {
    const debtor = residentId();
    const caseNo = '(2026)川0104执2502号';
    await file(caseNo, 'dishonest-list', debtor, { ground: 'evades-enforcement' });
    await restricted(debtor);
    const restrictedValue = (await redis.get(keyOf(debtor)))!;
    await file(caseNo, 'dishonest-list-removal', debtor, { removalReason: 'performed' });
    await free(debtor);
    // The withdrawal's own event must have been applied first, or it (not the keeper) would free the key again.
    const version = await versionInPostgres(debtor);
    await waitFor(
      () =>
        seen.some((e) => e.payload?.$case === 'restrictionsChanged' && e.payload.value.version === version),
      { what: 'the withdrawal announced' },
    );
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitForGroupCaughtUp(admin, `${iso.namespace}.punishment.interception-projection`, [
        topicName('restrictions', iso.topicPrefix),
      ]);
    } finally {
      await admin.disconnect();
    }
    const repairs = app.keeper.repairs;

    // The failover's replica had only the listing.
    // (Not read back here: the keeper's pass every 300 ms may repair it first; the repair count shows it did.)
    await redis.set(keyOf(debtor), restrictedValue);
    await free(debtor);
    expect(await versionIn(debtor)).toBe(await versionInPostgres(debtor));
    // Counted just after the write, which this test reads on another connection and may see first.
    await waitFor(() => app.keeper.repairs > repairs, { what: 'the repair counted' });
  });

  it('a pass over a consistent projection repairs nothing and compares every subject with live entries', async () => {
    // Every event has been applied by now (both subjects settled above); a pass on demand.
    await waitFor(() => seen.length >= 3, { what: 'the RestrictionsChanged events' });
    const r = await app.keeper.reconcile();
    expect(r).toMatchObject({ complete: true, repaired: 0, ahead: 0 });
    expect(r.checked).toBeGreaterThanOrEqual(1);
  });
});
