import { randomUUID } from 'node:crypto';
import {
  decodeEnvelope,
  type EventCase,
  type EventEnvelope,
  encodeEnvelope,
  type PayloadOf,
  type TopicKey,
  topicName,
} from '@hub/contracts';
import { BANK_ACCOUNT } from '@hub/contracts/answers/test-support';
import { addDaysToDay, type Clock, daysBetween, holdLapsesAt, renewalReminder } from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { HOLD_TIMERS } from '../src/hold-timers.js';

/** An hour of hub time per real second, as the issue asks. */
const SCALE = 3600;
const HOUR = 3_600_000;
/** One real second, in hub milliseconds: how late a timer may fire. */
const ONE_REAL_SECOND = 1000 * SCALE;

/**
 * A scaled clock the test may move forward while no instance runs ("the service was down for a while"):
 * every instance shares it, as separate processes share HUB_CLOCK_EPOCH.
 */
function jumpingClock(origin: Date): Clock & { jumpTo(at: Date): void } {
  let hub = origin.getTime();
  let real = Date.now();
  const now = () => new Date(hub + (Date.now() - real) * SCALE);
  return {
    now,
    jumpTo(at) {
      if (at.getTime() <= now().getTime()) return;
      hub = at.getTime();
      real = Date.now();
    },
  };
}

// Every hold of the first scenario runs to the end of Tuesday 2026-12-15 (Beijing time).
const LAST_DAY = '2026-12-15';
const DEADLINE = holdLapsesAt(LAST_DAY);
// A hold whose renewal reminder falls due at that same moment (the next working day's start): 15 working
// days before its last day.
const REMINDED_DAY = (() => {
  for (let d = LAST_DAY; ; d = addDaysToDay(d, 1))
    if (renewalReminder(d, 'deposit').at.getTime() === DEADLINE.getTime()) return d;
})();

const clock = jumpingClock(new Date(DEADLINE.getTime() - 23 * HOUR));
const iso = isolate();
const logger = createLogger({ service: 'hold-timers-test', level: 'error' });
const config = loadConfig(hubEnv(iso, { HUB_INSTITUTIONS: 'bank:ICBC' }));
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => clock.now() });
const app = buildApp(config, { logger, clock });
let appStopped = false;
let replicas: ReturnType<typeof buildApp>[] = [];
const WATCHED: TopicKey[] = ['requestsBank', 'holds'];
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let reader: ReturnType<Kafka['consumer']>;
let admin: ReturnType<Kafka['admin']>;
const seen: { topic: string; envelope: EventEnvelope }[] = [];

beforeAll(async () => {
  const quiet = createLogger({ service: 'hold-timers-test', level: 'error' });
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'hold-timers-test', logger: quiet });
  await app.start();
  producer = kafka.producer();
  admin = kafka.admin();
  reader = kafka.consumer({ groupId: `${iso.namespace}.test-reader`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), admin.connect(), reader.connect()]);
  await reader.subscribe({ topics: WATCHED.map((t) => topicName(t, iso.topicPrefix)), fromBeginning: true });
  await reader.run({
    eachMessage: async ({ topic, message }) => {
      seen.push({ topic, envelope: decodeEnvelope(message.value!) });
    },
  });
});

afterAll(async () => {
  await reader?.disconnect();
  await producer?.disconnect();
  await admin?.disconnect();
  await Promise.all(replicas.map((r) => r.stop()));
  if (!appStopped) await app.stop();
  await iso.cleanup();
});

const of = <C extends EventCase>(c: C, pick: (p: PayloadOf<C>) => boolean = () => true) =>
  seen
    .filter((s) => s.envelope.payload?.$case === c)
    .map((s) => ({
      at: s.envelope.occurredAt!,
      key: s.envelope.noticeId,
      ...(s.envelope.payload!.value as PayloadOf<C>),
    }))
    .filter((p) => pick(p as PayloadOf<C>));

async function publish(...messages: OutboxMessage[]) {
  await producer.sendBatch({
    topicMessages: messages.map((m) => ({
      topic: m.topic,
      messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
    })),
  });
}

const notice = (caseNo: string, measure: string) => {
  const noticeId = randomUUID();
  return events.event('notices', noticeId, 'noticeIssued', {
    noticeId,
    notice: {
      noticeNo: `${caseNo}-${measure}-${noticeId.slice(0, 8)}`,
      caseNo,
      court: { code: '川0104', name: '成都市锦江区人民法院' },
      officer: { name: '王法官', phone: '028-00000000' },
      debtor: {
        kind: 'person',
        name: '李某',
        idNumber: '11010519491231002X',
        creditCode: '',
        responsiblePersons: [],
      },
      measure,
      targets: [{ agency: 'bank', institution: 'ICBC' }],
      params: {
        amountFen: measure === 'release' ? 0 : 100_000,
        termDays: 30,
        accountNo: BANK_ACCOUNT,
        unitNo: '',
        plate: '',
        otherGrounds: [],
      },
      legalBasis: `${caseNo}执行裁定书`,
      issuedAt: '2026-11-16T09:00:00+08:00',
      confirmWarnings: [],
    },
    receivedAt: clock.now(),
  });
};

/** The court files `measure` for the case; ICBC answers it with `result`. Resolves once the answer is in. */
async function filedAndAnswered(caseNo: string, measure: string, result: object) {
  const issued = notice(caseNo, measure);
  await publish(issued);
  const noticeId = issued.envelope.noticeId;
  const [request] = await waitFor(
    () => ((r) => r.length > 0 && r)(of('requestDispatched', (r) => r.noticeId === noticeId)),
    {
      what: `the ${measure} request of ${caseNo}`,
    },
  );
  await publish(
    events.event('answers', noticeId, 'requestAnswered', {
      requestId: request!.requestId,
      noticeId,
      agency: 'bank',
      institution: 'ICBC',
      outcome: 'done',
      reason: '',
      resultJson: JSON.stringify(result),
    }),
  );
  return noticeId;
}

const receipt = (from: string, until: string) => ({
  effective: true,
  queuePosition: 0,
  from,
  until,
  registrationNo: `DJ${randomUUID().slice(0, 8)}`,
});
const frozen = (from: string, until: string) => ({
  accountNo: BANK_ACCOUNT,
  requestedFen: 100_000,
  frozenFen: 100_000,
  receipt: receipt(from, until),
});

const db = () => (replicas[0] ?? app).runtime.pool;
async function holdOf(caseNo: string) {
  const { rows } = await db().query(
    'SELECT id, state, term_until, frozen_fen FROM holds WHERE case_no = $1',
    [caseNo],
  );
  return rows[0] as { id: string; state: string; term_until: string; frozen_fen: string } | undefined;
}
async function timersOf(holdId: string) {
  const { rows } = await db().query<{ kind: string; due_at: Date }>(
    'SELECT kind, due_at FROM timers WHERE subject_id = $1 ORDER BY kind',
    [holdId],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.due_at]));
}
const held = (caseNo: string, state: string, until: string) =>
  waitFor(async () => ((h) => h?.state === state && h.term_until === until && h)(await holdOf(caseNo)), {
    what: `${caseNo} ${state} until ${until}`,
  });

/** Everything due by the deadline fired and was published, and this test read all of the holds topic. */
async function settled() {
  await waitFor(
    async () =>
      (await db().query('SELECT 1 FROM timers WHERE due_at <= $1 UNION ALL SELECT 1 FROM outbox', [DEADLINE]))
        .rowCount === 0,
    { what: 'every due timer fired and its event published' },
  );
  const holdsTopic = topicName('holds', iso.topicPrefix);
  await waitFor(
    async () =>
      (await admin.fetchTopicOffsets(holdsTopic)).reduce((n, p) => n + Number(p.high), 0) ===
      seen.filter((s) => s.topic === holdsTopic).length,
    { what: 'this test to read every event on the holds topic' },
  );
}

describe('holds over time (期限): lapse and renewal reminders as durable timers', () => {
  const FROM = addDaysToDay(LAST_DAY, -29);
  const NEW_LAST_DAY = addDaysToDay(LAST_DAY, 30);
  const cases = {
    unrenewed: '(2026)川0104执9101号',
    renewed: '(2026)川0104执9102号',
    released: '(2026)川0104执9103号',
    reminded: '(2026)川0104执9104号',
  };
  const ids = { unrenewed: '', renewed: '', released: '', reminded: '', placedBy: '' };

  it('a hold in effect has its lapse armed at the end of its term, and is reminded at once when already within its lead', async () => {
    // Four holds placed by one service instance: three ending with LAST_DAY, one reminded of at DEADLINE.
    ids.placedBy = await filedAndAnswered(cases.unrenewed, 'freeze', frozen(FROM, LAST_DAY));
    await filedAndAnswered(cases.renewed, 'freeze', frozen(FROM, LAST_DAY));
    await filedAndAnswered(cases.released, 'freeze', frozen(FROM, LAST_DAY));
    await filedAndAnswered(cases.reminded, 'freeze', frozen(FROM, REMINDED_DAY));
    ids.unrenewed = (await held(cases.unrenewed, 'effective', LAST_DAY)).id;
    // A 30-day term is within its 15 working days from the start: its reminder was due already, so sent at once.
    expect(renewalReminder(LAST_DAY, 'deposit').at.getTime()).toBeLessThan(clock.now().getTime());
    await waitFor(() => of('holdExpiring', (e) => e.holdId === ids.unrenewed).length === 1, {
      what: 'the reminder of a hold already within its lead',
    });
    expect(await timersOf(ids.unrenewed)).toEqual({ [HOLD_TIMERS.lapse]: DEADLINE });
    ids.reminded = (await held(cases.reminded, 'effective', REMINDED_DAY)).id;
    expect(await timersOf(ids.reminded)).toEqual({
      [HOLD_TIMERS.lapse]: holdLapsesAt(REMINDED_DAY),
      [HOLD_TIMERS.reminder]: DEADLINE,
    });
    expect(of('holdExpiring', (e) => e.holdId === ids.reminded)).toEqual([]);
  });

  it('a renewal (续冻) moves the lapse and the reminder to the new term; a release (解冻) cancels both', async () => {
    await filedAndAnswered(cases.renewed, 'renew-freeze', frozen(addDaysToDay(LAST_DAY, 1), NEW_LAST_DAY));
    await filedAndAnswered(cases.released, 'release', {
      accountNo: BANK_ACCOUNT,
      releasedFen: 100_000,
      receipt: receipt(FROM, LAST_DAY),
    });
    ids.renewed = (await held(cases.renewed, 'renewed', NEW_LAST_DAY)).id;
    expect(await timersOf(ids.renewed)).toEqual({
      [HOLD_TIMERS.lapse]: holdLapsesAt(NEW_LAST_DAY),
      [HOLD_TIMERS.reminder]: renewalReminder(NEW_LAST_DAY, 'deposit').at,
    });
    ids.released = (await held(cases.released, 'released', LAST_DAY)).id;
    expect(await timersOf(ids.released)).toEqual({});
  });

  it('an unrenewed hold lapses within a second of its deadline at 3600x, once, across a restart onto two replicas', async () => {
    // The instance that armed the timers stops before the deadline; two new ones take over the same schema.
    await app.stop();
    appStopped = true;
    expect(clock.now().getTime()).toBeLessThan(DEADLINE.getTime() - ONE_REAL_SECOND);
    replicas = [buildApp(config, { logger, clock }), buildApp(config, { logger, clock })];
    await Promise.all(replicas.map((r) => r.start()));
    clock.jumpTo(new Date(DEADLINE.getTime() - 2 * HOUR));

    const [lapsed] = await waitFor(() => ((l) => l.length > 0 && l)(of('holdLapsed')), {
      what: 'HoldLapsed',
    });
    expect(lapsed).toMatchObject({
      holdId: ids.unrenewed,
      key: ids.placedBy,
      noticeId: ids.placedBy,
      courtCode: '川0104',
      caseNo: cases.unrenewed,
      agency: 'bank',
      institution: 'ICBC',
      assetKind: 'account',
      assetKey: BANK_ACCOUNT,
      termUntil: LAST_DAY,
      lapsedAt: DEADLINE,
      daysLeft: 0,
      frozenFen: 100_000,
    });
    // Seen by a sweeper within a second (real) of the deadline, never before it.
    const late = lapsed!.at.getTime() - DEADLINE.getTime();
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(ONE_REAL_SECOND);

    await settled();
    expect(of('holdLapsed').map((e) => e.holdId)).toEqual([ids.unrenewed]);
    const { rows: history } = await db().query(
      `SELECT from_state, to_state, measure, frozen_fen::int, at FROM hold_history
       WHERE hold_id = $1 AND to_state = 'lapsed'`,
      [ids.unrenewed],
    );
    expect(history).toEqual([
      { from_state: 'effective', to_state: 'lapsed', measure: 'lapse', frozen_fen: 0, at: DEADLINE },
    ]);
    expect(await holdOf(cases.unrenewed)).toMatchObject({ state: 'lapsed', frozen_fen: 0 });
    expect(await timersOf(ids.unrenewed)).toEqual({});
  });

  it('a renewal reminder fires at its lead time, once', async () => {
    const [expiring] = await waitFor(
      () => ((e) => e.length > 0 && e)(of('holdExpiring', (e) => e.holdId === ids.reminded)),
      { what: 'the reminder at its lead time' },
    );
    expect(expiring).toMatchObject({
      caseNo: cases.reminded,
      termUntil: REMINDED_DAY,
      lapsesAt: holdLapsesAt(REMINDED_DAY),
      leadWorkingDays: 15,
      daysLeft: daysBetween(addDaysToDay(LAST_DAY, 1), REMINDED_DAY),
    });
    const late = expiring!.at.getTime() - DEADLINE.getTime();
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(ONE_REAL_SECOND);
    await settled();
    expect(of('holdExpiring', (e) => e.holdId === ids.reminded)).toHaveLength(1);
    expect(await timersOf(ids.reminded)).toEqual({ [HOLD_TIMERS.lapse]: holdLapsesAt(REMINDED_DAY) });
  });

  it('a renewed or released hold never lapses at the old deadline', async () => {
    expect(of('holdLapsed', (e) => e.holdId === ids.renewed || e.holdId === ids.released)).toEqual([]);
    expect((await holdOf(cases.renewed))?.state).toBe('renewed');
    expect((await holdOf(cases.released))?.state).toBe('released');
  });
});

describe('an agency’s hold-change report that overtakes the answer placing its hold', () => {
  it('waits for that answer and is then applied: the queued hold is promoted, its lapse armed', async () => {
    const caseNo = '(2026)川0104执9105号';
    // A term well past the clock: at 3600x the earlier tests have run it beyond LAST_DAY, and a lapse timer
    // already due would fire (and leave) as soon as it is armed.
    const termUntil = addDaysToDay(LAST_DAY, 60);
    const issued = notice(caseNo, 'freeze');
    await publish(issued);
    const noticeId = issued.envelope.noticeId;
    const [request] = await waitFor(
      () => ((r) => r.length > 0 && r)(of('requestDispatched', (r) => r.noticeId === noticeId)),
      { what: 'the freeze request' },
    );
    const requestId = request!.requestId;
    // The report travels on its own topic and is read before the answer (轮候 at the bank, then promoted).
    const promoted = events.event('holdReports', noticeId, 'holdChangeReported', {
      reportId: `R-${requestId}`,
      requestId,
      noticeId,
      agency: 'bank',
      institution: 'ICBC',
      change: 'promoted',
      occurredAt: clock.now(),
      assetKind: 'account',
      assetKey: BANK_ACCOUNT,
      queuePosition: 0,
      termFrom: addDaysToDay(termUntil, -29),
      termUntil,
      registrationNo: 'DJ-PROMOTED',
      frozenFen: 100_000,
      reason: '',
      signatureJson: '',
    });
    await publish(promoted);
    await publish(
      events.event('answers', noticeId, 'requestAnswered', {
        requestId,
        noticeId,
        agency: 'bank',
        institution: 'ICBC',
        outcome: 'done',
        reason: '',
        resultJson: JSON.stringify({
          accountNo: BANK_ACCOUNT,
          requestedFen: 100_000,
          frozenFen: 0,
          receipt: { effective: false, queuePosition: 1, registrationNo: 'DJ-QUEUED' },
        }),
      }),
    );
    const hold = await held(caseNo, 'effective', termUntil);
    const { rows } = await db().query('SELECT outcome FROM hold_reports WHERE event_id = $1', [
      promoted.envelope.eventId,
    ]);
    expect(rows).toEqual([{ outcome: 'applied' }]);
    expect(Number(hold.frozen_fen)).toBe(100_000);
    expect(Object.keys(await timersOf(hold.id))).toContain(HOLD_TIMERS.lapse);
  });
});
