import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import {
  decodeEnvelope,
  type EventCase,
  type EventEnvelope,
  encodeEnvelope,
  type NoticeSubmission,
  type PayloadOf,
  PunishmentServiceClient,
  type RestrictionView,
  type TopicKey,
  topicName,
} from '@hub/contracts';
import { AGENCY_KINDS, addMonthsShanghai, type Clock, dishonestDeletionDeadline } from '@hub/domain';
import { InterceptionProjection, subjectHash } from '@hub/interception';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createLogger, loadCalendar } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor } from '@hub/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { EXPIRY_TIMER } from '../src/expiry.js';
import { rebuildLockOf } from '../src/projection.js';

/** Hub time at real speed from a fixed origin, which the test may move forward (a term running out). */
function jumpingClock(origin: Date): Clock & { jumpTo(at: Date): void } {
  let hub = origin.getTime();
  let real = Date.now();
  const now = () => new Date(hub + (Date.now() - real));
  return {
    now,
    jumpTo(at) {
      hub = at.getTime();
      real = Date.now();
    },
  };
}

const ORIGIN = new Date('2026-11-20T10:00:00+08:00');
const clock = jumpingClock(ORIGIN);
const iso = isolate();
const logger = createLogger({ service: 'punishment-test', level: 'error' });
const DIRECTORY: Record<string, string[]> = {
  bank: ['ICBC', 'CCB'],
  'real-estate': ['CDRE'],
  'public-security': ['CDPS'],
  'provident-fund': ['CDGJJ'],
};
const institutionsEnv = (d: Record<string, string[]>) =>
  Object.entries(d)
    .flatMap(([k, is]) => is.map((i) => `${k}:${i}`))
    .join(',');
// Listings placed now end in 2028, a year the shipped calendar has no table for: ops load it, as here.
const CALENDAR_FILE = join(mkdtempSync(join(tmpdir(), 'punishment-calendar-')), 'calendar.json');
writeFileSync(
  CALENDAR_FILE,
  JSON.stringify([
    {
      year: 2028,
      provisional: true,
      source: 'test: a provisional 2028 table loaded by ops (HUB_CALENDAR_FILE)',
      holidays: [{ first: '2028-01-01', last: '2028-01-03', name: '元旦' }],
      makeUpWorkdays: [],
    },
  ]),
);
const calendar = loadCalendar(CALENDAR_FILE);
const configOf = (d: Record<string, string[]>) =>
  loadConfig(
    hubEnv(iso, {
      HUB_INSTITUTIONS: institutionsEnv(d),
      PUNISHMENT_PROJECTION_CHECK_MS: '200',
      HUB_CALENDAR_FILE: CALENDAR_FILE,
    }),
  );
let app = buildApp(configOf(DIRECTORY), { logger, clock });
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => clock.now() });
const WATCHED: TopicKey[] = [
  'requestsBank',
  'requestsRealEstate',
  'requestsPublicSecurity',
  'requestsProvidentFund',
  'progress',
  'answers',
  'answersPunishment',
  'notices',
  'noticesPunishment',
  'restrictions',
  'controlActions',
];
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let reader: ReturnType<Kafka['consumer']>;
let redis: Redis;
let projection: InterceptionProjection;
let grpc: PunishmentServiceClient;
const seen: { topic: string; envelope: EventEnvelope }[] = [];

beforeAll(async () => {
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'punishment-test', logger });
  await app.start();
  redis = new Redis(endpoints().redisUrl);
  projection = new InterceptionProjection(redis, iso.namespace);
  grpc = new PunishmentServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
  producer = kafka.producer();
  reader = kafka.consumer({ groupId: `${iso.namespace}.test-reader`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), reader.connect()]);
  await reader.subscribe({ topics: WATCHED.map((t) => topicName(t, iso.topicPrefix)), fromBeginning: true });
  await reader.run({
    eachMessage: async ({ topic, message }) => {
      seen.push({ topic, envelope: decodeEnvelope(message.value!) });
    },
  });
}, 60_000);

/** A new instance of the service on the same schema, topics and Redis namespace (after `app.stop()`). */
async function startAgain(directory: Record<string, string[]>) {
  app = buildApp(configOf(directory), { logger, clock });
  await app.start();
  grpc.close();
  grpc = new PunishmentServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
}

afterAll(async () => {
  grpc?.close();
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

const of = <C extends EventCase>(c: C, pick: (p: PayloadOf<C>) => boolean = () => true) =>
  seen
    .filter((s) => s.envelope.payload?.$case === c)
    .map((s) => s.envelope.payload!.value as PayloadOf<C>)
    .filter(pick);

async function publish(...messages: OutboxMessage[]) {
  await producer.sendBatch({
    topicMessages: messages.map((m) => ({
      topic: m.topic,
      messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
    })),
  });
}

let serial = 0;
/** A fresh (synthetic) resident ID for each debtor: only its hash and masked form reach the service's tables. */
const residentId = () => `110105${String(19_490_000_000 + serial++)}X`;

interface Debtor {
  kind: 'person' | 'organisation';
  name: string;
  idNumber: string;
  creditCode: string;
  legalRepresentative?: { name: string; idNumber: string };
  responsiblePersons: { role: string; name: string; idNumber: string }[];
}
const person = (name = '李某'): Debtor => ({
  kind: 'person',
  name,
  idNumber: residentId(),
  creditCode: '',
  responsiblePersons: [],
});

function submission(
  caseNo: string,
  measure: string,
  debtor: Debtor,
  params: Partial<NoticeSubmission['params']> = {},
  courtCode = '川0104',
): NoticeSubmission {
  return {
    noticeNo: `${caseNo}-${measure}-${randomUUID().slice(0, 8)}`,
    caseNo,
    court: { code: courtCode, name: '成都市锦江区人民法院' },
    officer: { name: '王法官', phone: '028-00000000' },
    debtor,
    measure,
    // Punishment measures broadcast whatever the court names.
    targets: [],
    params: { accountNo: '', unitNo: '', plate: '', otherGrounds: [], ...params },
    legalBasis: `${caseNo}执行裁定书`,
    issuedAt: clock.now().toISOString(),
    confirmWarnings: [],
  } as NoticeSubmission;
}

/** The court files the notice; resolves with its id. */
async function file(n: NoticeSubmission): Promise<string> {
  const noticeId = randomUUID();
  await publish(
    events.event('notices', noticeId, 'noticeIssued', { noticeId, notice: n, receivedAt: clock.now() }),
  );
  return noticeId;
}

const dispatchedOf = (noticeId: string) => of('requestDispatched', (r) => r.noticeId === noticeId);
const institutionsOf = (noticeId: string) =>
  dispatchedOf(noticeId)
    .map((r) => `${r.agency}/${r.institution}`)
    .sort();
const everyInstitution = (d: Record<string, string[]>, kinds: readonly string[] = AGENCY_KINDS) =>
  Object.entries(d)
    .filter(([k]) => kinds.includes(k))
    .flatMap(([k, is]) => is.map((i) => `${k}/${i}`))
    .sort();

async function requestsOf(noticeId: string, count: number) {
  return waitFor(() => ((r) => r.length === count && r)(dispatchedOf(noticeId)), {
    what: `${count} requests of ${noticeId}`,
  });
}

/** The institutions `only` picks answer the notice's requests with `outcome`. */
async function answer(noticeId: string, outcome: 'done' | 'refused', only: (institution: string) => boolean) {
  const answers = dispatchedOf(noticeId)
    .filter((r) => only(r.institution))
    .map((r) =>
      events.event('answers', noticeId, 'requestAnswered', {
        requestId: r.requestId,
        noticeId,
        agency: r.agency,
        institution: r.institution,
        outcome,
        reason: outcome === 'refused' ? 'not ours to lift' : '',
        resultJson: '',
      }),
    );
  await publish(...answers);
}

/** Every institution the notice reached confirms it (done), or only those `only` picks. */
const confirm = (noticeId: string, only: (institution: string) => boolean = () => true) =>
  answer(noticeId, 'done', only);

/** These institutions refuse the notice's requests instead of confirming them. */
const refuse = (noticeId: string, only: (institution: string) => boolean) =>
  answer(noticeId, 'refused', only);

const db = () => app.runtime.pool;
async function entriesOfCase(caseNo: string) {
  const { rows } = await db().query<{
    id: string;
    subject_hash: string;
    role: string;
    measure: string;
    state: string;
    ends_at: Date | null;
    implied_by: string | null;
    removal_due_at: Date | null;
    removed_at: Date | null;
  }>(
    `SELECT id, subject_hash, role, measure, state, ends_at, implied_by, removal_due_at, removed_at
     FROM entries WHERE case_no = $1 ORDER BY since, measure, role`,
    [caseNo],
  );
  return rows;
}

const read = async (idNumber: string) => {
  const r = await projection.read([subjectHash(idNumber)], clock.now());
  return { ready: r.ready, entries: r.standings.get(subjectHash(idNumber)) ?? [] };
};
const restricted = (idNumber: string) =>
  waitFor(async () => ((r) => r.ready && r.entries.length > 0 && r.entries)(await read(idNumber)), {
    what: 'the subject restricted in the projection',
  });

function call<Req, Res>(method: 'checkPunishments' | 'getCaseRestrictions' | 'searchPublicList', req: Req) {
  return new Promise<Res>((resolve, reject) => {
    // biome-ignore lint/suspicious/noExplicitAny: the generated client's overloads per method
    (grpc as any)[method](req, new Metadata(), (err: Error | null, res: Res) =>
      err ? reject(err) : resolve(res),
    );
  });
}
const check = async (n: NoticeSubmission) =>
  (
    await call<unknown, { results: { ok: boolean; errorCode: string; errorDetailsJson: string }[] }>(
      'checkPunishments',
      { notices: [n] },
    )
  ).results[0]!;
const failedCode = (noticeId: string) =>
  waitFor(() => of('requestFailed', (f) => f.noticeId === noticeId)[0]?.code, {
    what: `the refusal of ${noticeId}`,
  });
const completed = (noticeId: string) => of('noticeCompleted', (c) => c.noticeId === noticeId).length > 0;

/** Listed for 2 years in the first test; its term runs out in the last. */
const listed = person('张三');
const LISTED_CASE = '(2026)川0104执2001号';

describe('listings (失信名单): terms, broadcast and the consumption restriction they imply', () => {
  const caseNo = LISTED_CASE;
  let listingNotice = '';

  it('a listing on a fixed-term ground runs 2 years, goes to every institution of every kind, and restricts consumption too', async () => {
    listingNotice = await file(
      submission(caseNo, 'dishonest-list', listed, { ground: 'evades-enforcement' }),
    );
    await requestsOf(listingNotice, everyInstitution(DIRECTORY).length);
    expect(institutionsOf(listingNotice)).toEqual(everyInstitution(DIRECTORY));
    const rows = await waitFor(async () => ((r) => r.length === 2 && r)(await entriesOfCase(caseNo)));
    const listing = rows.find((r) => r.measure === 'dishonest-list')!;
    const implied = rows.find((r) => r.measure === 'restrict-consumption')!;
    expect(listing).toMatchObject({ role: 'debtor', state: 'live', implied_by: null });
    expect(listing.ends_at!.getTime()).toBeGreaterThan(addMonthsShanghai(ORIGIN, 24).getTime() - 60_000);
    expect(listing.ends_at!.getTime()).toBeLessThan(addMonthsShanghai(ORIGIN, 24).getTime() + 600_000);
    expect(implied).toMatchObject({ role: 'debtor', state: 'live', implied_by: listing.id });
    expect(implied.ends_at).toEqual(listing.ends_at);
    const { rows: timers } = await db().query('SELECT subject_id, due_at FROM timers WHERE kind = $1', [
      EXPIRY_TIMER,
    ]);
    expect(timers).toContainEqual({ subject_id: listing.id, due_at: listing.ends_at });
    const entries = await restricted(listed.idNumber);
    expect(entries.map((e) => e.measure).sort()).toEqual(['dishonest-list', 'restrict-consumption']);
    const changed = await waitFor(
      () => of('restrictionsChanged', (c) => c.subjectHash === subjectHash(listed.idNumber)).at(-1),
      { what: 'RestrictionsChanged of the listed debtor' },
    );
    expect(changed).toMatchObject({ cause: 'listed', noticeId: listingNotice });
    expect(changed.entries).toHaveLength(2);
  });

  it('keeps when the listing was decided, and refuses a removal decided before it (WITHDRAWAL_BEFORE_DECISION)', async () => {
    const rows = await waitFor(async () => ((r) => r.length === 2 && r)(await entriesOfCase(caseNo)));
    const { rows: decided } = await db().query<{ decided_at: Date }>(
      'SELECT decided_at FROM entries WHERE id = $1',
      [rows.find((r) => r.measure === 'dishonest-list')!.id],
    );
    expect(decided[0]!.decided_at).toBeInstanceOf(Date);
    const early = {
      ...submission(caseNo, 'dishonest-list-removal', listed, { removalReason: 'performed' }),
      issuedAt: '2005-01-02T10:00:00+08:00',
    } as NoticeSubmission;
    const refused = await check(early);
    expect(refused).toMatchObject({ ok: false, errorCode: 'WITHDRAWAL_BEFORE_DECISION' });
    expect(JSON.parse(refused.errorDetailsJson)).toEqual([
      expect.objectContaining({ path: 'issuedAt', decidedAt: decided[0]!.decided_at.toISOString() }),
    ]);
  });

  it('ground (1) alone lists with no fixed term, and arms no expiry', async () => {
    const debtor = person();
    const caseNo1 = '(2026)川0104执2002号';
    await file(submission(caseNo1, 'dishonest-list', debtor, { ground: 'able-but-refuses' }));
    const rows = await waitFor(async () => ((r) => r.length === 2 && r)(await entriesOfCase(caseNo1)));
    expect(rows.map((r) => r.ends_at)).toEqual([null, null]);
    const { rows: timers } = await db().query('SELECT 1 FROM timers WHERE subject_id = $1', [rows[0]!.id]);
    expect(timers).toEqual([]);
  });

  it('a second listing of the debtor in the case is refused at the gateway’s check and at intake (ALREADY_LISTED)', async () => {
    const again = submission(caseNo, 'dishonest-list', listed, { ground: 'breaches-settlement' });
    expect(await check(again)).toMatchObject({ ok: false, errorCode: 'ALREADY_LISTED' });
    expect(await failedCode(await file(again))).toBe('ALREADY_LISTED');
    expect(await entriesOfCase(caseNo)).toHaveLength(2);
  });

  it('the gateway’s question judges a batch in order: the second listing of one debtor is refused before storage', async () => {
    const debtor = person();
    const caseNo2 = '(2026)川0104执2004号';
    const first = submission(caseNo2, 'dishonest-list', debtor, { ground: 'evades-enforcement' });
    const again = submission(caseNo2, 'dishonest-list', debtor, { ground: 'evades-enforcement' });
    const removal = submission(caseNo2, 'dishonest-list-removal', debtor, { removalReason: 'performed' });
    const { results } = await call<
      unknown,
      { results: { ok: boolean; errorCode: string; errorDetailsJson: string }[] }
    >('checkPunishments', { notices: [first, again, removal] });
    // The listing first, then a second one refused; the removal of the listing the batch places is pending
    // behind it: intake might read it first from another partition and find nothing to remove.
    expect(results.map((r) => [r.ok, r.errorCode])).toEqual([
      [true, ''],
      [false, 'ALREADY_LISTED'],
      [false, 'PUNISHMENT_PENDING'],
    ]);
    // Asked alone, the listing just admitted is not taken in yet: still pending, whatever the order.
    expect((await check(removal)).errorCode).toBe('PUNISHMENT_PENDING');
    // Once intake has the listing, the removal is admitted; the listing re-sent under its own number is
    // never pending behind itself.
    const listing = await file(first);
    await waitFor(() => dispatchedOf(listing).length > 0, { what: 'the listing taken in' });
    expect(await check(first)).toMatchObject({ ok: false, errorCode: 'ALREADY_LISTED' });
    expect(await check(removal)).toMatchObject({ ok: true });
  });

  it('two listings of one debtor filed at once: whichever is taken in first lists, the other is refused', async () => {
    const debtor = person();
    const caseNo2 = '(2026)川0104执2003号';
    const first = submission(caseNo2, 'dishonest-list', debtor, { ground: 'evades-enforcement' });
    const second = submission(caseNo2, 'dishonest-list', debtor, { ground: 'breaches-settlement' });
    const ids = [randomUUID(), randomUUID()];
    await publish(
      ...[first, second].map((n, i) =>
        events.event('notices', ids[i]!, 'noticeIssued', {
          noticeId: ids[i]!,
          notice: n,
          receivedAt: clock.now(),
        }),
      ),
    );
    const refused = await waitFor(
      () => ids.find((id) => of('requestFailed', (f) => f.noticeId === id).length > 0),
      {
        what: 'one of the two refused',
      },
    );
    expect(await failedCode(refused)).toBe('ALREADY_LISTED');
    const taken = ids.find((id) => id !== refused)!;
    await requestsOf(taken, everyInstitution(DIRECTORY).length);
    const rows = await entriesOfCase(caseNo2);
    expect(rows.filter((r) => r.measure === 'dishonest-list').map((r) => r.id)).toHaveLength(1);
    expect(of('requestFailed', (f) => f.noticeId === taken)).toEqual([]);
  });

  it('another court cannot read the case’s restrictions', async () => {
    await expect(
      call('getCaseRestrictions', { caseNo: LISTED_CASE, courtCode: '川0105' }),
    ).rejects.toMatchObject({ code: 5 });
  });

  it('the public list finds a live listing by exact name and the visible part of the ID, masked', async () => {
    const found = await call<unknown, { listings: { idMasked: string; caseNo: string; ground: string }[] }>(
      'searchPublicList',
      { name: '张三', idPrefix: listed.idNumber.slice(0, 6), limit: 10 },
    );
    expect(found.listings).toEqual([
      expect.objectContaining({
        caseNo,
        ground: 'evades-enforcement',
        idMasked: `${listed.idNumber.slice(0, 6)}********${listed.idNumber.slice(-4)}`,
      }),
    ]);
    const other = await call<unknown, { listings: unknown[] }>('searchPublicList', {
      name: '张三',
      idPrefix: '990000',
      limit: 10,
    });
    expect(other.listings).toEqual([]);
  });
});

describe('organisations (法释〔2015〕17号 art. 3) and exit restrictions', () => {
  const rep = { name: '王总', idNumber: residentId() };
  const principal = { role: 'principal', name: '赵经理', idNumber: residentId() };
  const controller = { role: 'actual-controller', name: '钱某', idNumber: residentId() };
  const company: Debtor = {
    kind: 'organisation',
    name: '某某贸易有限公司',
    idNumber: '',
    creditCode: '91510100MA6CGUGA1W',
    legalRepresentative: rep,
    responsiblePersons: [principal, controller],
  };
  const caseNo = '(2026)川0104执2101号';

  it('a consumption restriction binds the company, its legal representative and each responsible person, each with its own entry, and is lifted all together', async () => {
    const placed = await file(submission(caseNo, 'restrict-consumption', company));
    await requestsOf(placed, everyInstitution(DIRECTORY).length);
    const rows = await waitFor(async () => ((r) => r.length === 4 && r)(await entriesOfCase(caseNo)));
    expect(rows.map((r) => r.role).sort()).toEqual([
      'actual-controller',
      'debtor',
      'legal-representative',
      'principal',
    ]);
    expect(new Set(rows.map((r) => r.subject_hash)).size).toBe(4);
    for (const id of [company.creditCode, rep.idNumber, principal.idNumber, controller.idNumber])
      expect((await restricted(id)).map((e) => e.measure)).toEqual(['restrict-consumption']);
    await confirm(placed);
    await waitFor(() => completed(placed), { what: 'the restriction confirmed' });

    const lift = await file(submission(caseNo, 'restrict-consumption-lift', company));
    await requestsOf(lift, everyInstitution(DIRECTORY).length);
    expect(institutionsOf(lift)).toEqual(institutionsOf(placed));
    // Interception stops answering at once, before any institution confirmed the lifting.
    for (const id of [company.creditCode, rep.idNumber, principal.idNumber, controller.idNumber]) {
      await waitFor(async () => ((r) => r.ready && r.entries.length === 0)(await read(id)), {
        what: 'the lifted subject free in the projection',
      });
    }
    expect((await entriesOfCase(caseNo)).map((r) => r.state)).toEqual(Array(4).fill('removing'));
    await confirm(lift);
    await waitFor(async () =>
      (await entriesOfCase(caseNo)).every((r) => r.state === 'removed' && r.removed_at),
    );
  });

  it('an exit restriction goes to public security alone', async () => {
    const debtor = person();
    const n = await file(submission('(2026)川0104执2102号', 'restrict-exit', debtor));
    await requestsOf(n, DIRECTORY['public-security']!.length);
    expect(institutionsOf(n)).toEqual(everyInstitution(DIRECTORY, ['public-security']));
    expect((await restricted(debtor.idNumber)).map((e) => e.measure)).toEqual(['restrict-exit']);
  });

  it('an organisation’s exit restriction binds each named person and never the organisation (民事诉讼法 第二百六十六条), is judged by the company’s notices, and is lifted all together', async () => {
    const caseNo4 = '(2026)川0104执2104号';
    const persons = [
      { name: '孙总', idNumber: residentId() },
      { role: 'directly-responsible', name: '周某', idNumber: residentId() },
      { role: 'actual-controller', name: '吴某', idNumber: residentId() },
    ];
    const firm: Debtor = {
      ...company,
      creditCode: '91510100MA6CGUGB2X',
      legalRepresentative: persons[0]!,
      responsiblePersons: [persons[1]!, persons[2]!] as Debtor['responsiblePersons'],
    };
    // The actual controller is named but not one the article lists for exit (执行程序解释 第三十七条).
    const ids = persons.slice(0, 2).map((p) => p.idNumber);
    const exitOf = async (id: string) =>
      (await read(id)).entries.filter((e) => e.measure === 'restrict-exit');
    expect(await check(submission(caseNo4, 'restrict-exit-lift', firm))).toMatchObject({
      ok: false,
      errorCode: 'RESTRICTION_NOT_FOUND',
    });

    const placed = await file(submission(caseNo4, 'restrict-exit', firm));
    await requestsOf(placed, DIRECTORY['public-security']!.length);
    expect(institutionsOf(placed)).toEqual(everyInstitution(DIRECTORY, ['public-security']));
    const rows = await waitFor(async () => ((r) => r.length === 2 && r)(await entriesOfCase(caseNo4)));
    expect(rows.map((r) => r.role).sort()).toEqual(['directly-responsible', 'legal-representative']);
    expect(rows.every((r) => r.measure === 'restrict-exit' && r.state === 'live')).toBe(true);
    expect(rows.map((r) => r.subject_hash)).not.toContain(subjectHash(firm.creditCode));
    for (const id of ids)
      expect((await restricted(id)).map((e) => [e.measure, e.debtorKind])).toEqual([
        ['restrict-exit', 'person'],
      ]);
    // Interception never answers a company as restricted from exit, nor its actual controller through it.
    expect(await exitOf(firm.creditCode)).toEqual([]);
    expect(await exitOf(persons[2]!.idNumber)).toEqual([]);

    // Admission matches the company's notice, though no entry is the company's own.
    const again = submission(caseNo4, 'restrict-exit', firm);
    expect(await check(again)).toMatchObject({ ok: false, errorCode: 'ALREADY_RESTRICTED' });
    expect(await failedCode(await file(again))).toBe('ALREADY_RESTRICTED');
    const foreign = submission(caseNo4, 'restrict-exit-lift', firm, {}, '川0105');
    expect(await check(foreign)).toMatchObject({ ok: false, errorCode: 'RESTRICTION_OF_ANOTHER_COURT' });
    expect(await entriesOfCase(caseNo4)).toHaveLength(2);
    await confirm(placed);
    await waitFor(() => completed(placed), { what: 'the exit restriction confirmed' });

    const lift = await file(submission(caseNo4, 'restrict-exit-lift', firm));
    await requestsOf(lift, DIRECTORY['public-security']!.length);
    expect(institutionsOf(lift)).toEqual(institutionsOf(placed));
    for (const id of ids)
      await waitFor(async () => (await read(id)).ready && (await exitOf(id)).length === 0, {
        what: 'the person free of the exit restriction in the projection',
      });
    expect((await entriesOfCase(caseNo4)).map((r) => r.state)).toEqual(Array(2).fill('removing'));
    // A second lifting finds nothing left to lift.
    expect(await check(submission(caseNo4, 'restrict-exit-lift', firm))).toMatchObject({
      ok: false,
      errorCode: 'RESTRICTION_NOT_FOUND',
    });
    await confirm(lift);
    await waitFor(async () =>
      (await entriesOfCase(caseNo4)).every((r) => r.state === 'removed' && r.removed_at),
    );
    await waitFor(() => completed(lift), { what: 'the lifting confirmed' });
    // Restricted afresh after the lifting: a new notice is admitted.
    expect(await check(submission(caseNo4, 'restrict-exit', firm))).toMatchObject({ ok: true });
  });

  it('a lifting with nothing to lift, or of another court’s restriction, is refused', async () => {
    const debtor = person();
    const lift = submission('(2026)川0104执2103号', 'restrict-exit-lift', debtor);
    expect(await check(lift)).toMatchObject({ ok: false, errorCode: 'RESTRICTION_NOT_FOUND' });
    const n = await file(submission('(2026)川0104执2103号', 'restrict-exit', debtor));
    await requestsOf(n, 1);
    await waitFor(async () => (await entriesOfCase('(2026)川0104执2103号')).length === 1);
    const foreign = submission('(2026)川0104执2103号', 'restrict-exit-lift', debtor, {}, '川0105');
    expect(await check(foreign)).toMatchObject({ ok: false, errorCode: 'RESTRICTION_OF_ANOTHER_COURT' });
    expect(await failedCode(await file(foreign))).toBe('RESTRICTION_OF_ANOTHER_COURT');
  });

  it('a listed organisation is published with its credit code and its legal representative (法释〔2017〕7号 art. 6)', async () => {
    const listedCompany: Debtor = { ...company, name: '某某建材有限公司', creditCode: '91510100MA6CGUGA2X' };
    const n = await file(
      submission('(2026)川0104执2104号', 'dishonest-list', listedCompany, { ground: 'evades-enforcement' }),
    );
    await requestsOf(n, everyInstitution(DIRECTORY).length);
    const found = await waitFor(
      async () =>
        ((r) => r.listings.length > 0 && r.listings)(
          await call<
            unknown,
            { listings: { idMasked: string; legalRepresentative: string; debtorKind: string }[] }
          >('searchPublicList', { name: listedCompany.name, idPrefix: '9151', limit: 10 }),
        ),
      { what: 'the company on the public list' },
    );
    expect(found).toEqual([
      expect.objectContaining({
        idMasked: listedCompany.creditCode,
        debtorKind: 'organisation',
        legalRepresentative: rep.name,
      }),
    ]);
  });
});

describe('removal (删除): exactly where the listing went, due within 3 working days, removed once every institution confirmed', () => {
  const debtor = person('孙某');
  const caseNo = '(2026)川0104执2201号';
  let listing = '';
  let removal = '';

  it('a removal reaches exactly the institutions that received the listing, even after the directory changed and the service restarted', async () => {
    // Listed before National Day (hub time moved back for it, then on again).
    const resume = clock.now();
    clock.jumpTo(new Date('2026-09-25T10:00:00+08:00'));
    listing = await file(
      submission(caseNo, 'dishonest-list', debtor, { ground: 'breaches-property-report' }),
    );
    await requestsOf(listing, everyInstitution(DIRECTORY).length);
    await restricted(debtor.idNumber);
    await confirm(listing);
    await waitFor(() => completed(listing));
    clock.jumpTo(resume);

    // CCB leaves the hub and ABC joins; the service comes back with the new directory.
    await app.stop();
    const changed = { ...DIRECTORY, bank: ['ICBC', 'ABC'] };
    await startAgain(changed);

    // The ground arose on the eve of National Day: 10/8, 10/9 and the make-up Saturday 10/10.
    removal = await file(
      submission(caseNo, 'dishonest-list-removal', debtor, {
        removalReason: 'performed',
        groundAroseAt: '2026-09-30T10:00:00+08:00',
      }),
    );
    const requests = await requestsOf(removal, everyInstitution(DIRECTORY).length);
    expect(institutionsOf(removal)).toEqual(institutionsOf(listing));
    expect(institutionsOf(removal)).toContain('bank/CCB');
    expect(institutionsOf(removal)).not.toContain('bank/ABC');
    const due = new Date('2026-10-10T23:59:59.999+08:00');
    // The court issues it long after that: its lateness, not the institutions'. Each institution is due to
    // confirm no earlier than it must acknowledge, never before the request was even sent.
    for (const r of requests) {
      expect(r.answerBy).toEqual(r.acknowledgeBy);
      expect(r.answerBy!.getTime()).toBeGreaterThan(clock.now().getTime());
    }
    const rows = await entriesOfCase(caseNo);
    expect(rows.map((r) => [r.state, r.removal_due_at])).toEqual([
      ['removing', due],
      ['removing', due],
    ]);
  });

  it('interception stops answering at once; the notice completes and the entries are removed only after every confirmation', async () => {
    await waitFor(async () => ((r) => r.ready && r.entries.length === 0)(await read(debtor.idNumber)));
    await confirm(removal, (i) => i !== 'CDGJJ');
    await waitFor(() => of('requestAnswered', (a) => a.noticeId === removal).length >= 4);
    // Give the service the answers it has; the notice stays open without the provident-fund centre's.
    await waitFor(async () => {
      const { rows } = await db().query(
        `SELECT count(*)::int AS n FROM requests WHERE notice_id = $1 AND status = 'done'`,
        [removal],
      );
      return rows[0].n === 4;
    });
    expect(completed(removal)).toBe(false);
    expect((await entriesOfCase(caseNo)).map((r) => r.state)).toEqual(['removing', 'removing']);
    await confirm(removal, (i) => i === 'CDGJJ');
    await waitFor(() => completed(removal), { what: 'the removal completed' });
    await waitFor(async () => (await entriesOfCase(caseNo)).every((r) => r.state === 'removed'));
    expect((await read(debtor.idNumber)).entries).toEqual([]);
    // Kept in the standing, marked when they stopped binding (the removal taken in), for partners' reports of
    // blocks made before: no check finds them.
    const kept = (await projection.readWithEnded([subjectHash(debtor.idNumber)])).entries[0]!;
    expect(kept.map((e) => e.measure).sort()).toEqual(['dishonest-list', 'restrict-consumption']);
    expect(kept.every((e) => e.until !== undefined && Date.parse(e.until) <= clock.now().getTime())).toBe(
      true,
    );
  });

  it('the case’s restrictions show who confirmed the listing and its removal, and that the removal was late', async () => {
    const res = await call<unknown, { restrictions: RestrictionView[] }>('getCaseRestrictions', {
      caseNo,
      courtCode: '川0104',
    });
    const view = res.restrictions.find((r) => r.measure === 'dishonest-list')!;
    expect(view).toMatchObject({ state: 'removed', removalNoticeId: removal, removalReason: 'performed' });
    expect(view.broadcast).toHaveLength(everyInstitution(DIRECTORY).length);
    expect(view.withdrawal.map((w) => w.institution).sort()).toEqual([
      'CCB',
      'CDGJJ',
      'CDPS',
      'CDRE',
      'ICBC',
    ]);
    // Issued after the 3-working-day limit had passed: the deletion is late (the court's), the institutions'
    // prompt confirmations are not.
    expect(view.removalDueAt!.getTime()).toBeLessThan(view.removedAt!.getTime());
    expect(view.withdrawal.every((w) => !w.late && w.confirmedAt)).toBe(true);
    expect(view.broadcast.every((w) => !w.late && w.confirmedAt)).toBe(true);
    const publicList = await call<unknown, { listings: unknown[] }>('searchPublicList', {
      name: '孙某',
      idPrefix: '',
      limit: 10,
    });
    expect(publicList.listings).toEqual([]);
  });

  it('a lifting one institution refuses completes as a notice, but its entries are not removed until it is sent again and confirmed', async () => {
    const debtor = person('周某');
    const caseNo5 = '(2026)川0104执2006号';
    const placed = await file(submission(caseNo5, 'restrict-consumption', debtor));
    await requestsOf(placed, everyInstitution(DIRECTORY).length);
    await confirm(placed);
    await waitFor(() => completed(placed), { what: 'the restriction confirmed' });
    const lift = await file(submission(caseNo5, 'restrict-consumption-lift', debtor));
    await requestsOf(lift, everyInstitution(DIRECTORY).length);
    await refuse(lift, (i) => i === 'CDGJJ');
    await confirm(lift, (i) => i !== 'CDGJJ');
    await waitFor(() => completed(lift), { what: 'the lifting completed' });
    // Every request has its answer, one of them a refusal: not every institution confirmed the lifting.
    expect(of('noticeCompleted', (c) => c.noticeId === lift)[0]).toMatchObject({ refused: 1, done: 4 });
    expect((await entriesOfCase(caseNo5)).map((r) => [r.state, r.removed_at])).toEqual([['removing', null]]);
    // Not a dead end: the court sends the lifting again (admitted, where before it was RESTRICTION_NOT_FOUND),
    // it goes to the same institutions, and once each has confirmed the entries are removed.
    const again = submission(caseNo5, 'restrict-consumption-lift', debtor);
    expect(await check(again)).toMatchObject({ ok: true });
    const resent = await file(again);
    await requestsOf(resent, everyInstitution(DIRECTORY).length);
    expect(institutionsOf(resent)).toEqual(institutionsOf(placed));
    // While it is out, a third one is refused: a withdrawal in flight is not sent twice.
    expect(await check(submission(caseNo5, 'restrict-consumption-lift', debtor))).toMatchObject({
      ok: false,
      errorCode: 'RESTRICTION_NOT_FOUND',
    });
    await confirm(resent);
    await waitFor(() => completed(resent), { what: 'the lifting sent again completed' });
    await waitFor(
      async () => (await entriesOfCase(caseNo5)).every((r) => r.state === 'removed' && r.removed_at !== null),
      { what: 'the entries removed' },
    );
  });

  it('a ground stated before the listing took effect makes the deletion due 3 working days from the listing, not before it existed', async () => {
    // Filed on Friday 2026-11-20 (hub time): due by the end of Wednesday 11-25, whatever the stated ground.
    const due = new Date('2026-11-25T23:59:59.999+08:00');
    expect(clock.now().toISOString().slice(0, 10)).toBe('2026-11-20');
    for (const [i, groundAroseAt] of ['2025-01-01T10:00:00+08:00', '2006-03-01T10:00:00+08:00'].entries()) {
      const debtor = person('郑某');
      const caseNo6 = `(2026)川0104执221${i}号`;
      const listing = await file(
        submission(caseNo6, 'dishonest-list', debtor, { ground: 'evades-enforcement' }),
      );
      await requestsOf(listing, everyInstitution(DIRECTORY).length);
      await confirm(listing);
      await waitFor(() => completed(listing), { what: 'the listing confirmed' });
      const removal = await file(
        submission(caseNo6, 'dishonest-list-removal', debtor, { removalReason: 'performed', groundAroseAt }),
      );
      const requests = await requestsOf(removal, everyInstitution(DIRECTORY).length);
      // Not due before they got it: the policy's time to answer, capped by the listing's deletion deadline.
      for (const r of requests) {
        expect(r.answerBy!.getTime()).toBeGreaterThan(clock.now().getTime());
        expect(r.answerBy!.getTime()).toBeLessThanOrEqual(due.getTime());
      }
      const rows = await entriesOfCase(caseNo6);
      expect(rows.map((r) => [r.state, r.removal_due_at])).toEqual([
        ['removing', due],
        ['removing', due],
      ]);
    }
  });
});

/** Deleted at the applicant's request in the relisting test; relisted on the same ground 6 months later (last test). */
const BARRED = { debtor: person(), caseNo: '(2026)川0104执2302号' };

describe('the relisting bar (法释〔2017〕7号 art. 10 第四款)', () => {
  const debtor = person();
  const caseNo = '(2026)川0104执2301号';

  it('a deletion at the applicant’s request bars the same ground in the case', async () => {
    const listing = await file(
      submission(BARRED.caseNo, 'dishonest-list', BARRED.debtor, { ground: 'evades-enforcement' }),
    );
    await requestsOf(listing, everyInstitution(DIRECTORY).length);
    const removal = await file(
      submission(BARRED.caseNo, 'dishonest-list-removal', BARRED.debtor, {
        removalReason: 'applicant-request',
      }),
    );
    await requestsOf(removal, everyInstitution(DIRECTORY).length);
    const again = submission(BARRED.caseNo, 'dishonest-list', BARRED.debtor, {
      ground: 'evades-enforcement',
    });
    expect(await check(again)).toMatchObject({ ok: false, errorCode: 'RELISTING_BARRED' });
  });

  it('within 6 months of a deletion at the applicant’s request the same ground is refused, another ground accepted', async () => {
    const listing = await file(
      submission(caseNo, 'dishonest-list', debtor, { ground: 'evades-enforcement' }),
    );
    await requestsOf(listing, everyInstitution(DIRECTORY).length);
    const removal = await file(
      submission(caseNo, 'dishonest-list-removal', debtor, { removalReason: 'applicant-request' }),
    );
    await requestsOf(removal, everyInstitution(DIRECTORY).length);
    await confirm(removal);
    await waitFor(() => completed(removal));

    const same = submission(caseNo, 'dishonest-list', debtor, { ground: 'evades-enforcement' });
    const refused = await check(same);
    expect(refused).toMatchObject({ ok: false, errorCode: 'RELISTING_BARRED' });
    expect(JSON.parse(refused.errorDetailsJson)).toEqual([
      expect.objectContaining({
        rule: 'RELISTING_BAR_2017_ART10',
        source: expect.stringContaining('第十条第四款'),
      }),
    ]);
    expect(await failedCode(await file(same))).toBe('RELISTING_BARRED');
    const other = submission(caseNo, 'dishonest-list', debtor, { ground: 'breaches-settlement' });
    expect(await check(other)).toMatchObject({ ok: true });
    const accepted = await file(other);
    await requestsOf(accepted, everyInstitution(DIRECTORY).length);
  });

  it('conduct after the deletion may be listed at once, on the same ground (art. 10 第三款)', async () => {
    const d = person();
    const c = '(2026)川0104执2303号';
    const listing = await file(submission(c, 'dishonest-list', d, { ground: 'evades-enforcement' }));
    await requestsOf(listing, everyInstitution(DIRECTORY).length);
    const removal = await file(
      submission(c, 'dishonest-list-removal', d, { removalReason: 'applicant-request' }),
    );
    await requestsOf(removal, everyInstitution(DIRECTORY).length);
    await confirm(removal);
    await waitFor(() => completed(removal));
    // Dated before the deletion: the conduct the deleted listing covered, still barred.
    const old = submission(c, 'dishonest-list', d, {
      ground: 'evades-enforcement',
      groundAroseAt: new Date(clock.now().getTime() - 86_400_000).toISOString(),
    });
    const refused = await check(old);
    expect(refused).toMatchObject({ ok: false, errorCode: 'RELISTING_BARRED' });
    expect(JSON.parse(refused.errorDetailsJson)[0].exception).toMatchObject({
      rule: 'RELISTING_ON_NEW_CONDUCT_2017_ART10',
      source: expect.stringContaining('第十条第三款'),
    });
    const fresh = submission(c, 'dishonest-list', d, {
      ground: 'evades-enforcement',
      groundAroseAt: clock.now().toISOString(),
    });
    expect(await check(fresh)).toMatchObject({ ok: true });
    const relisted = await file(fresh);
    await requestsOf(relisted, everyInstitution(DIRECTORY).length);
    await restricted(d.idNumber);
  });
});

describe('consistency of the interception projection', () => {
  it('after the namespace’s keys are lost, readers get "not ready" until the rebuild, which restores exactly what PostgreSQL holds', async () => {
    const stillListed = person();
    const n = await file(
      submission('(2026)川0104执2401号', 'dishonest-list', stillListed, { ground: 'evades-enforcement' }),
    );
    await requestsOf(n, everyInstitution(DIRECTORY).length);
    await restricted(stillListed.idNumber);
    const rebuilds = app.keeper.rebuilds;
    const keys = await redis.keys(`${iso.namespace}:intercept:*`);
    await redis.del(...keys);
    await waitFor(() => app.keeper.rebuilds > rebuilds, { what: 'the projection rebuilt' });
    const { rows } = await db().query<{ subject_hash: string; state: string }>(
      'SELECT subject_hash, state FROM entries',
    );
    const live = new Set(rows.filter((r) => r.state === 'live').map((r) => r.subject_hash));
    const r = await projection.read(
      rows.map((x) => x.subject_hash),
      clock.now(),
    );
    expect(r.ready).toBe(true);
    for (const row of rows)
      expect((r.standings.get(row.subject_hash)?.length ?? 0) > 0).toBe(live.has(row.subject_hash));
    expect((await read(stillListed.idNumber)).entries.length).toBe(2);
  });

  it('a withdrawal waits for a rebuild in progress, so a rebuild never writes a standing older than a committed withdrawal', async () => {
    const debtor = person();
    const caseNo = '(2026)川0104执2403号';
    const listing = await file(
      submission(caseNo, 'dishonest-list', debtor, { ground: 'evades-enforcement' }),
    );
    await requestsOf(listing, everyInstitution(DIRECTORY).length);
    await restricted(debtor.idNumber);
    // The test plays a rebuild holding the namespace's lock.
    const rebuild = await db().connect();
    const lock = rebuildLockOf(iso.namespace);
    try {
      await rebuild.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lock]);
      const removal = await file(
        submission(caseNo, 'dishonest-list-removal', debtor, { removalReason: 'performed' }),
      );
      await waitFor(
        async () =>
          (
            await db().query(
              `SELECT 1 FROM pg_locks l, (SELECT hashtextextended($1, 0) AS k) x
               WHERE l.locktype = 'advisory' AND NOT l.granted AND l.mode = 'ShareLock'
                 AND l.classid::bigint = ((x.k >> 32) & 4294967295) AND l.objid::bigint = (x.k & 4294967295)`,
              [lock],
            )
          ).rowCount === 1,
        { what: 'the withdrawal waiting for the rebuild' },
      );
      expect((await entriesOfCase(caseNo)).map((r) => r.state)).toEqual(['live', 'live']);
      expect(dispatchedOf(removal)).toEqual([]);
    } finally {
      await rebuild.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lock]);
      rebuild.release();
    }
    await waitFor(async () => ((r) => r.ready && r.entries.length === 0)(await read(debtor.idNumber)), {
      what: 'the withdrawal applied once the rebuild let go',
    });
    // The standing is written to the projection just before the withdrawal commits: wait for the commit.
    await waitFor(async () => (await entriesOfCase(caseNo)).every((r) => r.state === 'removing'));
    expect((await entriesOfCase(caseNo)).map((r) => r.state)).toEqual(['removing', 'removing']);
  });

  it('a restart while the keys are lost rebuilds the projection on startup: a removed subject is never read as restricted', async () => {
    const removed = person();
    const caseNo = '(2026)川0104执2402号';
    const listing = await file(
      submission(caseNo, 'dishonest-list', removed, { ground: 'evades-enforcement' }),
    );
    await requestsOf(listing, everyInstitution(DIRECTORY).length);
    await restricted(removed.idNumber);
    const removal = await file(
      submission(caseNo, 'dishonest-list-removal', removed, { removalReason: 'performed' }),
    );
    await requestsOf(removal, everyInstitution(DIRECTORY).length);
    await confirm(removal);
    await waitFor(() => completed(removal));
    await waitFor(async () => (await entriesOfCase(caseNo)).every((r) => r.state === 'removed'));

    await app.stop();
    const keys = await redis.keys(`${iso.namespace}:intercept:*`);
    await redis.del(...keys);
    // Meanwhile nothing may be read as "not restricted": the projection says it is not ready.
    expect((await read(removed.idNumber)).ready).toBe(false);
    await startAgain(DIRECTORY);
    expect(app.keeper.rebuilds).toBe(1);
    expect(await read(removed.idNumber)).toEqual({ ready: true, entries: [] });
    expect((await read(listed.idNumber)).entries).toHaveLength(2);
  });

  it('a term running out expires the listing and the consumption restriction it implies (a durable timer)', async () => {
    const rows = await entriesOfCase(LISTED_CASE);
    const endsAt = rows.find((r) => r.measure === 'dishonest-list')!.ends_at!;
    expect((await read(listed.idNumber)).entries).toHaveLength(2);
    clock.jumpTo(new Date(endsAt.getTime() + 1000));
    await waitFor(async () => (await entriesOfCase(LISTED_CASE)).every((r) => r.state === 'expired'), {
      what: 'the listing expired',
    });
    await waitFor(
      () =>
        of('restrictionsChanged', (c) => c.subjectHash === subjectHash(listed.idNumber)).at(-1)?.cause ===
        'expired',
      { what: 'RestrictionsChanged (expired)' },
    );
    const last = of('restrictionsChanged', (c) => c.subjectHash === subjectHash(listed.idNumber)).at(-1)!;
    expect(last.cause).toBe('expired');
    // Both kept, marked as ended at the term's end (for partners' reports of blocks made before it).
    expect(last.entries.map((e) => [e.measure, e.until?.getTime()]).sort()).toEqual([
      ['dishonest-list', endsAt.getTime()],
      ['restrict-consumption', endsAt.getTime()],
    ]);
    const { rows: timers } = await db().query('SELECT 1 FROM timers WHERE subject_id = $1', [
      rows.find((r) => r.measure === 'dishonest-list')!.id,
    ]);
    expect(timers).toEqual([]);
    expect((await read(listed.idNumber)).entries).toEqual([]);
    // Its deletion asked of the gateway, once, in the expiry's transaction (the gateway issues it as the court's).
    const listingNotice = rows.find((r) => r.measure === 'dishonest-list')!;
    const { rows: notices } = await db().query<{ notice_id: string }>(
      'SELECT notice_id FROM entries WHERE id = $1',
      [listingNotice.id],
    );
    const asked = await waitFor(
      () => ((d) => d.length > 0 && d)(of('deletionRequested', (d) => d.caseNo === LISTED_CASE)),
      { what: 'DeletionRequested' },
    );
    expect(asked).toEqual([
      { listingNoticeId: notices[0]!.notice_id, courtCode: '川0104', caseNo: LISTED_CASE, endsAt },
    ]);
    // The institutions still hold the listing until it is deleted, within 3 working days of the term's
    // end (法释〔2017〕7号 art. 10 第二款): a deletion is accepted and goes to every institution, due then.
    const deletion = submission(LISTED_CASE, 'dishonest-list-removal', listed, { removalReason: 'expired' });
    expect(await check(deletion)).toEqual({ ok: true, errorCode: '', errorDetailsJson: '' });
    const deleted = await file(deletion);
    await requestsOf(deleted, everyInstitution(DIRECTORY).length);
    await waitFor(async () => (await entriesOfCase(LISTED_CASE)).every((r) => r.state === 'removing'), {
      what: 'the expired listing being deleted',
    });
    const rule = (await entriesOfCase(LISTED_CASE)).find((r) => r.measure === 'dishonest-list')!;
    expect(rule.removal_due_at).toEqual(dishonestDeletionDeadline(endsAt, calendar));
    // More than 6 months after the deletion at the applicant's request, the same ground is accepted again.
    const again = submission(BARRED.caseNo, 'dishonest-list', BARRED.debtor, {
      ground: 'evades-enforcement',
    });
    expect(await check(again)).toEqual({ ok: true, errorCode: '', errorDetailsJson: '' });
    const relisted = await file(again);
    await requestsOf(relisted, everyInstitution(DIRECTORY).length);
    expect(of('requestFailed', (f) => f.noticeId === relisted)).toEqual([]);
  });
});
