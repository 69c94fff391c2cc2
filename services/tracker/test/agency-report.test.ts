import {
  encodeEnvelope,
  REQUEST_TOPIC_KEYS,
  requestTopicKey,
  type TopicKey,
  topicName,
} from '@hub/contracts';
import {
  type AgencyKind,
  DEFAULT_SLA_POLICY,
  deadlinesFor,
  fixedClock,
  formatYuan,
  type Measure,
  slaFor,
} from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitForGroupCaughtUp } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import type { AgencyFigures, AgencyReport } from '../src/reports/agency-report.js';
import type { RequestOutcomes, YearlyStats } from '../src/reports/yearly-stats.js';

// ---------------------------------------------------------------------------------------------------------
// A simulated quarter (Q1 2026, Shanghai), generated deterministically from a seed, plus requests on each
// side of its edges. The tracker's clock stands still after it, so "open" and "breached" cannot drift.
// ---------------------------------------------------------------------------------------------------------

const NOW = new Date('2026-04-10T12:00:00+08:00');
const Q1 = { start: new Date('2026-01-01T00:00:00+08:00'), end: new Date('2026-04-01T00:00:00+08:00') };
const Q2 = { start: Q1.end, end: new Date('2026-07-01T00:00:00+08:00') };
const Y2026 = { start: Q1.start, end: new Date('2027-01-01T00:00:00+08:00') };
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

type Outcome = 'done' | 'partial' | 'cannot-assist' | 'refused';

interface SimRequest {
  requestId: string;
  noticeId: string;
  agency: AgencyKind;
  institution: string;
  measure: Measure;
  court: string;
  dispatchedAt: Date;
  ackDue: Date;
  due: Date;
  deliveredAt?: Date;
  acknowledgedAt?: Date;
  answer?: { at: Date; outcome: Outcome; result: object };
  failedAt?: Date;
}

interface SimNotice {
  noticeId: string;
  caseNo: string;
  court: string;
  measure: Measure;
  issuedAt: Date;
  requests: SimRequest[];
}

const INSTITUTIONS: Record<AgencyKind, string[]> = {
  bank: ['ICBC', 'CCB', 'ABC', 'BOC'],
  'real-estate': ['成都市不动产登记中心', '锦江区不动产登记中心'],
  'public-security': ['成都市公安局'],
  'provident-fund': ['成都住房公积金管理中心'],
};
const MEASURES: Record<AgencyKind, Measure[]> = {
  bank: ['query', 'query', 'freeze', 'renew-freeze', 'deduct', 'dishonest-list', 'restrict-consumption'],
  'real-estate': ['query', 'seal', 'renew-seal'],
  'public-security': ['query', 'restrict-exit', 'locate', 'dishonest-list'],
  'provident-fund': ['query', 'freeze', 'renew-freeze', 'deduct', 'restrict-consumption'],
};
/** Mostly done; the rest partial, cannot-assist or refused. */
const OUTCOMES: readonly Outcome[] = [
  'done',
  'done',
  'done',
  'done',
  'done',
  'partial',
  'cannot-assist',
  'refused',
];
const COURTS = [
  { code: '川0104', name: '成都市锦江区人民法院' },
  { code: '川0104', name: '成都市锦江区人民法院' },
  { code: '川0105', name: '成都市青羊区人民法院' },
];

/** mulberry32: a small seeded PRNG, so every run simulates the same quarter. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    /** Fisher–Yates. */
    shuffle: <T>(xs: readonly T[]): T[] => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    chance: (p: number) => next() < p,
    /** A deterministic UUID (v4 layout) from the stream. */
    uuid: () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
    },
  };
}

function simulate(seed: number): SimNotice[] {
  const r = rng(seed);
  const notices: SimNotice[] = [];
  let seq = 0;
  const notice = (issuedAt: Date, maxFanOut: number) => {
    const agency = r.pick(['bank', 'bank', 'real-estate', 'public-security', 'provident-fund'] as const);
    const measure = r.pick(MEASURES[agency]);
    const court = r.pick(COURTS).code;
    const noticeId = r.uuid();
    seq += 1;
    const fanOut = Math.min(maxFanOut, r.int(1, INSTITUTIONS[agency].length));
    const institutions = r.shuffle(INSTITUTIONS[agency]).slice(0, fanOut);
    const n: SimNotice = {
      noticeId,
      caseNo: `(${issuedAt.getUTCFullYear()})${court}执${seq}号`,
      court,
      measure,
      issuedAt,
      requests: institutions.map((institution, i) =>
        request(r, { noticeId, agency, institution, measure, court }, new Date(issuedAt.getTime() + i * SEC)),
      ),
    };
    notices.push(n);
  };
  // The edges: the last millisecond before Q1, its first, its last, and Q2's first (Shanghai time).
  for (const edge of [
    '2025-12-31T23:59:59.999+08:00',
    '2026-01-01T00:00:00.000+08:00',
    '2026-03-31T23:59:59.999+08:00',
    '2026-04-01T00:00:00.000+08:00',
  ]) {
    notice(new Date(edge), 1);
  }
  const span = Q1.end.getTime() - Q1.start.getTime();
  while (notices.flatMap((n) => n.requests).length < 300) {
    notice(new Date(Q1.start.getTime() + Math.floor(r.next() * span)), 4);
  }
  notices.push(...frozenThenRenewed());
  return notices;
}

/** Issue 9's case, alone in its court: 100 fen frozen at ICBC, the freeze renewed a month later. */
const RENEWING_COURT = { code: '川0106', name: '成都市金牛区人民法院' };
function frozenThenRenewed(): SimNotice[] {
  return (
    [
      ['freeze', '2026-02-02T10:00:00+08:00'],
      ['renew-freeze', '2026-03-02T10:00:00+08:00'],
    ] as const
  ).map(([measure, issued], i) => {
    const issuedAt = new Date(issued);
    const noticeId = `00000000-0000-4000-a000-00000000000${i + 1}`;
    const d = deadlinesFor(slaFor(DEFAULT_SLA_POLICY, 'bank', measure), issuedAt);
    const result = {
      accountNo: '6222020200112233445',
      requestedFen: 100,
      frozenFen: 100,
      receipt: { effective: true, queuePosition: 0, registrationNo: `DJ${i + 1}` },
    };
    return {
      noticeId,
      caseNo: `(2026)${RENEWING_COURT.code}执9号`,
      court: RENEWING_COURT.code,
      measure,
      issuedAt,
      requests: [
        {
          requestId: `00000000-0000-4000-b000-00000000000${i + 1}`,
          noticeId,
          agency: 'bank',
          institution: 'ICBC',
          measure,
          court: RENEWING_COURT.code,
          dispatchedAt: issuedAt,
          ackDue: d.acknowledgeBy,
          due: d.answerBy,
          deliveredAt: new Date(issuedAt.getTime() + MIN),
          answer: { at: new Date(issuedAt.getTime() + 10 * MIN), outcome: 'done', result },
        },
      ],
    };
  });
}

/** One request's life: delivered or failed; acknowledged on time, late or never; answered on time, late or never. */
function request(
  r: ReturnType<typeof rng>,
  base: Pick<SimRequest, 'noticeId' | 'agency' | 'institution' | 'measure' | 'court'>,
  dispatchedAt: Date,
): SimRequest {
  const d = deadlinesFor(slaFor(DEFAULT_SLA_POLICY, base.agency, base.measure), dispatchedAt);
  const q: SimRequest = {
    ...base,
    requestId: r.uuid(),
    dispatchedAt,
    ackDue: d.acknowledgeBy,
    due: d.answerBy,
  };
  const t0 = dispatchedAt.getTime();
  const past = (ms: number) => (ms <= NOW.getTime() ? new Date(ms) : undefined);
  if (r.chance(0.06)) {
    q.failedAt = past(t0 + 5 * MIN); // never reached the agency
    return q;
  }
  if (r.chance(0.92)) q.deliveredAt = past(t0 + r.int(1, 60) * SEC);
  const ackWindow = d.acknowledgeBy.getTime() - t0;
  const quick = r.chance(0.1); // answered inside the acknowledgement window, without a separate 签收
  if (!quick && r.chance(0.75)) {
    const late = r.chance(0.25);
    q.acknowledgedAt = past(
      late ? d.acknowledgeBy.getTime() + r.int(1, 6 * 60) * MIN : t0 + r.int(1, ackWindow - 1),
    );
  }
  if (quick || r.chance(0.82)) {
    const after = (q.acknowledgedAt?.getTime() ?? t0) + SEC;
    const dueMs = d.answerBy.getTime();
    const at = quick
      ? t0 + r.int(1, ackWindow - 1)
      : r.chance(0.7)
        ? Math.min(dueMs, after + Math.floor(r.next() * Math.max(0, dueMs - after)))
        : dueMs + r.int(1, 72) * HOUR;
    const outcome = r.pick(OUTCOMES);
    const when = past(Math.max(at, after));
    if (when) q.answer = { at: when, outcome, result: resultOf(r, base.measure, outcome) };
  }
  return q;
}

function resultOf(r: ReturnType<typeof rng>, measure: Measure, outcome: Outcome): object {
  if (outcome === 'cannot-assist' || outcome === 'refused') return {};
  const requestedFen = r.int(1_000, 50_000_000);
  const part = (fen: number) => (outcome === 'done' ? fen : Math.floor(fen * r.next()));
  switch (measure) {
    case 'freeze':
    case 'renew-freeze': {
      const queued = r.chance(0.15);
      return {
        accountNo: '6222020200112233445',
        requestedFen,
        frozenFen: queued ? 0 : part(requestedFen),
        receipt: { effective: !queued, queuePosition: queued ? 1 : 0, registrationNo: `R${r.int(1, 1e6)}` },
      };
    }
    case 'deduct': {
      const deductedFen = part(requestedFen);
      return {
        accountNo: '6222020200112233445',
        requestedFen,
        deductedFen,
        transferRef: 'T1',
        balanceAfterFen: 0,
      };
    }
    case 'dishonest-list':
    case 'restrict-consumption':
      return { applied: true, registrationNo: `L${r.int(1, 1e6)}`, effectiveAt: '2026-02-01T00:00:00+08:00' };
    default:
      return { accounts: [] };
  }
}

// ---------------------------------------------------------------------------------------------------------
// What the reports must say, computed from the simulated events alone (no SQL).
// ---------------------------------------------------------------------------------------------------------

const within = (at: Date, range: { start: Date; end: Date }) => at >= range.start && at < range.end;
const terminal = (q: SimRequest) => q.answer !== undefined || q.failedAt !== undefined;
const statusOf = (q: SimRequest) =>
  q.answer?.outcome ??
  (q.failedAt ? 'failed' : q.acknowledgedAt ? 'acknowledged' : q.deliveredAt ? 'delivered' : 'pending');
const answerSeconds = (q: SimRequest) => (q.answer!.at.getTime() - q.dispatchedAt.getTime()) / 1000;

/** PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks. */
function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function figuresOf(requests: SimRequest[]): AgencyFigures {
  const answered = requests.filter((q) => q.answer);
  const seconds = answered.map(answerSeconds);
  return {
    received: requests.length,
    acknowledgedOnTime: requests.filter((q) => {
      const receipt = q.acknowledgedAt ?? q.answer?.at;
      return receipt !== undefined && receipt <= q.ackDue;
    }).length,
    answered: answered.length,
    answeredOnTime: answered.filter((q) => q.answer!.at <= q.due).length,
    medianAnswerSeconds: percentileCont(seconds, 0.5),
    p95AnswerSeconds: percentileCont(seconds, 0.95),
    refused: requests.filter((q) => q.answer?.outcome === 'refused').length,
    cannotAssist: requests.filter((q) => q.answer?.outcome === 'cannot-assist').length,
    breached: requests.filter((q) => {
      const answeredAt = q.answer?.at ?? q.failedAt;
      return terminal(q) ? answeredAt! > q.due : q.due < NOW;
    }).length,
    open: requests.filter((q) => !terminal(q)).length,
    renewals: requests.filter((q) => RENEWALS.includes(q.measure)).length,
  };
}

/** 续冻 and 续封: each keeps an earlier freeze or seal, it is not another one. */
const RENEWALS: Measure[] = ['renew-freeze', 'renew-seal'];

function expectedAgencyReport(requests: SimRequest[], range: { start: Date; end: Date }) {
  const inPeriod = requests.filter((q) => within(q.dispatchedAt, range));
  const groups = new Map<string, SimRequest[]>();
  for (const q of inPeriod) {
    const key = `${q.agency}\u0000${q.institution}`;
    groups.set(key, [...(groups.get(key) ?? []), q]);
  }
  const rows = [...groups.entries()]
    .map(([key, qs]) => {
      const [agency, institution] = key.split('\u0000') as [string, string];
      return { agency, institution, ...figuresOf(qs) };
    })
    .sort((a, b) => compare(a.agency, b.agency) || compare(a.institution, b.institution));
  const kinds = [...new Set(rows.map((r) => r.agency))].sort(compare);
  return {
    rows,
    agencies: kinds.map((agency) => ({ agency, ...figuresOf(inPeriod.filter((q) => q.agency === agency)) })),
    totals: figuresOf(inPeriod),
  };
}

/** The database's collation orders these names; code-point order is what both sides agree on here. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function outcomesOf(requests: SimRequest[]): RequestOutcomes {
  const answered = requests.filter((q) => q.answer);
  const count = (s: string) => requests.filter((q) => statusOf(q) === s).length;
  return {
    dispatched: requests.length,
    done: count('done'),
    partial: count('partial'),
    cannotAssist: count('cannot-assist'),
    refused: count('refused'),
    failed: count('failed'),
    open: requests.filter((q) => !terminal(q)).length,
    answered: answered.length,
    averageAnswerSeconds:
      answered.length === 0 ? null : answered.map(answerSeconds).reduce((a, b) => a + b, 0) / answered.length,
  };
}

function expectedYearly(notices: SimNotice[], court: string | null) {
  const ofCourt = notices.filter((n) => court === null || n.court === court);
  const yearNotices = ofCourt.filter((n) => within(n.issuedAt, Y2026));
  const requests = ofCourt.flatMap((n) => n.requests).filter((q) => within(q.dispatchedAt, Y2026));
  const tally = (keys: string[]) => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const byMeasure = tally(yearNotices.map((n) => n.measure));
  const byAgency = tally(yearNotices.map((n) => n.requests[0]!.agency));
  const carriedOut = (measure: Measure) =>
    requests.filter(
      (q) => q.measure === measure && (q.answer?.outcome === 'done' || q.answer?.outcome === 'partial'),
    );
  const amount = (measure: Measure, field: 'frozenFen' | 'deductedFen') =>
    carriedOut(measure).reduce(
      (sum, q) => sum + ((q.answer!.result as Record<string, number>)[field] ?? 0),
      0,
    );
  const kinds = [...new Set(requests.map((q) => q.agency))].sort(compare);
  return {
    notices: {
      total: yearNotices.length,
      byMeasure: [...byMeasure]
        .sort(([a], [b]) => compare(a, b))
        .map(([measure, count]) => ({ measure, count })),
      byAgency: [...byAgency].sort(([a], [b]) => compare(a, b)).map(([agency, count]) => ({ agency, count })),
    },
    requests: {
      ...outcomesOf(requests),
      byAgency: kinds.map((agency) => ({
        agency,
        ...outcomesOf(requests.filter((q) => q.agency === agency)),
      })),
    },
    money: {
      frozenFen: amount('freeze', 'frozenFen'),
      renewedFen: amount('renew-freeze', 'frozenFen'),
      deductedFen: amount('deduct', 'deductedFen'),
      unreadableAnswers: 0,
    },
    holds: (
      [
        ['freeze', 'renew-freeze'],
        ['seal', 'renew-seal'],
      ] as const
    ).map(([measure, renewal]) => ({
      measure,
      placed: carriedOut(measure).length,
      renewals: carriedOut(renewal).length,
    })),
    listings: (['dishonest-list', 'restrict-consumption'] as const).map((measure) => {
      const listed = requests.filter((q) => q.measure === measure && q.answer?.outcome === 'done');
      return { measure, requests: listed.length, notices: new Set(listed.map((q) => q.noticeId)).size };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The tracker on real Kafka and PostgreSQL, with the report routes registered as app.ts will.
// ---------------------------------------------------------------------------------------------------------

const iso = isolate();
const logger = createLogger({ service: 'agency-report-test', level: 'warn' });
const clock = fixedClock(NOW);
const app = buildApp(loadConfig(hubEnv(iso)), { logger, clock });
// buildApp registers the report routes itself (src/app.ts).

const notices = simulate(20260401);
const requests = notices.flatMap((n) => n.requests);
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let admin: ReturnType<Kafka['admin']>;

const at = (when: Date) => eventFactory({ producer: 'sim', topicPrefix: iso.topicPrefix, now: () => when });

const courtOf = (code: string) => [...COURTS, RENEWING_COURT].find((c) => c.code === code)!;

function issuedEvent(n: SimNotice): OutboxMessage {
  const court = courtOf(n.court);
  return at(n.issuedAt).event('notices', n.noticeId, 'noticeIssued', {
    noticeId: n.noticeId,
    notice: {
      noticeNo: `${n.caseNo}-协01`,
      caseNo: n.caseNo,
      court,
      measure: n.measure,
      targets: n.requests.map((q) => ({ agency: q.agency, institution: q.institution })),
      legalBasis: `${n.caseNo}执行裁定书`,
      issuedAt: n.issuedAt.toISOString(),
      confirmWarnings: [],
    },
    receivedAt: n.issuedAt,
  });
}

function progressEvents(q: SimRequest): OutboxMessage[] {
  const who = { requestId: q.requestId, noticeId: q.noticeId, agency: q.agency, institution: q.institution };
  const out: OutboxMessage[] = [];
  if (q.deliveredAt) out.push(at(q.deliveredAt).event('progress', q.noticeId, 'requestDelivered', who));
  if (q.acknowledgedAt)
    out.push(at(q.acknowledgedAt).event('progress', q.noticeId, 'requestAcknowledged', who));
  if (q.answer) {
    out.push(
      at(q.answer.at).event('answers', q.noticeId, 'requestAnswered', {
        ...who,
        outcome: q.answer.outcome,
        reason:
          q.answer.outcome === 'done' || q.answer.outcome === 'partial' ? '' : '查无此人 no such customer',
        resultJson: JSON.stringify(q.answer.result),
      }),
    );
  }
  if (q.failedAt) {
    out.push(
      at(q.failedAt).event('answers', q.noticeId, 'requestFailed', {
        ...who,
        code: 'NO_ADAPTER',
        reason: 'down',
      }),
    );
  }
  return out;
}

function dispatchedEvent(q: SimRequest, n: SimNotice): OutboxMessage {
  return at(q.dispatchedAt).event(requestTopicKey(q.agency), q.noticeId, 'requestDispatched', {
    requestId: q.requestId,
    noticeId: q.noticeId,
    agency: q.agency,
    institution: q.institution,
    measure: q.measure,
    caseNo: n.caseNo,
    court: courtOf(n.court),
    noticeNo: `${n.caseNo}-协01`,
    legalBasis: `${n.caseNo}执行裁定书`,
  });
}

const TRACKED: TopicKey[] = ['notices', 'progress', 'answers', ...REQUEST_TOPIC_KEYS];

/** Publish in batches, then wait until the tracker's consumer group has committed past all of it. */
async function publish(messages: OutboxMessage[]) {
  const byTopic = new Map<string, OutboxMessage[]>();
  for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
  for (const [topic, ms] of byTopic) {
    for (let i = 0; i < ms.length; i += 500) {
      await producer.send({
        topic,
        messages: ms.slice(i, i + 500).map((m) => ({ key: m.key, value: encodeEnvelope(m.envelope) })),
      });
    }
  }
  await waitForGroupCaughtUp(
    admin,
    `${iso.namespace}.tracker.lifecycle`,
    TRACKED.map((key) => topicName(key, iso.topicPrefix)),
    { what: 'the tracker to project every simulated event' },
  );
}

beforeAll(async () => {
  kafka = createKafka({
    brokers: endpoints().kafkaBrokers,
    clientId: 'agency-report-test',
    logger: createLogger({ service: 'agency-report-test', level: 'error' }),
  });
  await app.start();
  producer = kafka.producer();
  admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  // Answers first, dispatches last: a request gets its deadlines only from its dispatch, so a breach
  // detector running against the fixed clock can never catch a request between its dispatch and its answer
  // being projected. The projection folds events in any order (projection.test.ts).
  await publish([...notices.map(issuedEvent), ...requests.flatMap(progressEvents)]);
  await publish(notices.flatMap((n) => n.requests.map((q) => dispatchedEvent(q, n))));
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await app.stop();
  await iso.cleanup();
});

async function get(url: string) {
  return app.http.inject({ url });
}

/** Seconds are interpolated in floating point on both sides: compare them apart, to the millisecond. */
function expectFigures(actual: AgencyFigures, expected: AgencyFigures) {
  const { medianAnswerSeconds: am, p95AnswerSeconds: ap, ...counts } = actual;
  const { medianAnswerSeconds: em, p95AnswerSeconds: ep, ...expectedCounts } = expected;
  expect(counts).toEqual(expectedCounts);
  for (const [a, e] of [
    [am, em],
    [ap, ep],
  ]) {
    if (e === null || e === undefined) expect(a).toBeNull();
    else expect(a).toBeCloseTo(e, 2);
  }
}

function parseCsv(text: string): string[][] {
  // The simulated names hold no commas or quotes, so a line split is a faithful parse here.
  return text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
}

describe('agency report (通报) over a simulated quarter', () => {
  const expected = expectedAgencyReport(requests, Q1);

  it('simulates every case the report must count', () => {
    const t = expected.totals;
    expect(t.received).toBeGreaterThanOrEqual(290);
    expect(expected.rows.length).toBe(8); // every institution received something
    expect(t.refused * t.cannotAssist * t.breached * t.open * t.renewals).toBeGreaterThan(0);
    expect(t.acknowledgedOnTime).toBeLessThan(t.received);
    expect(t.answeredOnTime).toBeLessThan(t.answered);
    const receiptByAnswer = requests.filter((q) => !q.acknowledgedAt && q.answer && q.answer.at <= q.ackDue);
    expect(receiptByAnswer.length).toBeGreaterThan(0);
    expect(requests.some((q) => q.failedAt && within(q.dispatchedAt, Q1))).toBe(true);
  });

  it('matches, per agency kind and institution, what the raw events say', async () => {
    const res = await get('/v1/ops/reports/agencies?from=2026-01-01&to=2026-03-31');
    expect(res.statusCode).toBe(200);
    const report = res.json<AgencyReport>();
    expect(report.period).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(report.rows.map((r) => [r.agency, r.institution])).toEqual(
      expected.rows.map((r) => [r.agency, r.institution]),
    );
    report.rows.forEach((row, i) => {
      expectFigures(row, expected.rows[i]!);
    });
    expect(report.agencies.map((a) => a.agency)).toEqual(expected.agencies.map((a) => a.agency));
    report.agencies.forEach((row, i) => {
      expectFigures(row, expected.agencies[i]!);
    });
    expectFigures(report.totals, expected.totals);
  });

  it('says the same in CSV, with a byte-order mark for Excel', async () => {
    const res = await get('/v1/ops/reports/agencies?from=2026-01-01&to=2026-03-31&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('agency-report-2026-01-01-2026-03-31.csv');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = parseCsv(res.body);
    expect(header).toHaveLength(15);
    expect(header![12]).toBe('其中续冻续封 Of which renewals');
    expect(header![13]).toBe('惩戒通知逾期确认 Punishment notices confirmed late');
    expect(header![2]).toBe('收到 Received');
    const numbers = (f: AgencyFigures) => [
      f.received,
      f.acknowledgedOnTime,
      f.answered,
      f.answeredOnTime,
      f.refused,
      f.cannotAssist,
      f.breached,
      f.open,
      f.renewals,
    ];
    const fromCsv = (line: string[]) => [...line.slice(2, 6), ...line.slice(8, 13)].map(Number);
    const want = [
      ...expected.agencies.flatMap((kind) => [
        ...expected.rows.filter((r) => r.agency === kind.agency).map((r) => [r.agency, r.institution, r]),
        [kind.agency, '小计 Subtotal', kind],
      ]),
      ['合计 Total', '', expected.totals],
    ] as [string, string, AgencyFigures][];
    expect(lines.map((l) => [l[0], l[1]])).toEqual(want.map(([a, i]) => [a, i]));
    lines.forEach((line, i) => {
      const figures = want[i]![2];
      expect(fromCsv(line)).toEqual(numbers(figures));
      expect(Number(line[6])).toBeCloseTo(figures.medianAnswerSeconds!, 2);
      expect(Number(line[7])).toBeCloseTo(figures.p95AnswerSeconds!, 2);
    });
  });

  it('prints as an HTML page titled for the period', async () => {
    const res = await get('/v1/ops/reports/agencies?from=2026-01-01&to=2026-03-31&format=html');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<title>协助执行单位通报 Agency report 2026-01-01–2026-03-31</title>');
    expect(res.body).toContain('<th>收到 Received</th>');
    expect(res.body).toContain('<td>锦江区不动产登记中心</td>');
  });

  it('defaults to the current quarter by the hub clock, in Shanghai days', async () => {
    const report = (await get('/v1/ops/reports/agencies')).json<AgencyReport>();
    expect(report.period).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expectFigures(report.totals, expectedAgencyReport(requests, Q2).totals);
    expect(report.totals.received).toBeGreaterThanOrEqual(1); // Q2's first millisecond
  });

  it('rejects a bad period with the field at fault', async () => {
    const bad = await get('/v1/ops/reports/agencies?from=2026-02-30&format=pdf');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(bad.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
      ['from', 'INVALID_DATE'],
      ['format', 'INVALID_VALUE'],
    ]);
    const reversed = await get('/v1/ops/reports/agencies?from=2026-03-01&to=2026-02-01');
    expect([reversed.statusCode, reversed.json().error.details[0].path]).toEqual([400, 'to']);
  });
});

describe('yearly linkage statistics over the simulated events', () => {
  for (const court of ['川0104', null]) {
    it(`count notices, outcomes, money and listings for ${court ?? 'all courts'}`, async () => {
      const query = court ? `year=2026&court=${encodeURIComponent(court)}` : 'year=2026';
      const res = await get(`/v1/ops/reports/yearly?${query}`);
      expect(res.statusCode).toBe(200);
      const stats = res.json<YearlyStats>();
      const want = expectedYearly(notices, court);
      expect(stats).toMatchObject({ year: 2026, court, generatedAt: NOW.toISOString() });
      expect(stats.notices).toEqual(want.notices);
      expect(stats.money).toEqual(want.money);
      expect(stats.holds).toEqual(want.holds);
      expect(stats.listings).toEqual(want.listings);
      const withoutAverage = ({ averageAnswerSeconds: _, ...rest }: RequestOutcomes) => rest;
      const { byAgency: _byAgency, ...total } = stats.requests;
      const { byAgency: _wantByAgency, ...wantTotal } = want.requests;
      expect(withoutAverage(total)).toEqual(withoutAverage(wantTotal));
      expect(stats.requests.averageAnswerSeconds).toBeCloseTo(want.requests.averageAnswerSeconds!, 2);
      expect(stats.requests.byAgency.map(withoutAverage)).toEqual(want.requests.byAgency.map(withoutAverage));
      stats.requests.byAgency.forEach((a, i) => {
        expect(a.averageAnswerSeconds).toBeCloseTo(want.requests.byAgency[i]!.averageAnswerSeconds!, 2);
      });
      expect(want.money.frozenFen * want.money.renewedFen * want.money.deductedFen).toBeGreaterThan(0);
      if (court === null) expect(want.holds.every((h) => h.placed > 0 && h.renewals > 0)).toBe(true);
      expect(want.listings.every((l) => l.requests > 0)).toBe(true);
    });
  }

  it('counts a freeze renewed once as one freeze and one renewal: 100 fen frozen, not 200', async () => {
    const stats = (
      await get(`/v1/ops/reports/yearly?year=2026&court=${encodeURIComponent(RENEWING_COURT.code)}`)
    ).json<YearlyStats>();
    expect(stats.money).toEqual({ frozenFen: 100, renewedFen: 100, deductedFen: 0, unreadableAnswers: 0 });
    expect(stats.holds).toEqual([
      { measure: 'freeze', placed: 1, renewals: 1 },
      { measure: 'seal', placed: 0, renewals: 0 },
    ]);
    expect(stats.notices.byMeasure).toEqual([
      { measure: 'freeze', count: 1 },
      { measure: 'renew-freeze', count: 1 },
    ]);
    const report = (await get('/v1/ops/reports/agencies?from=2026-01-01&to=2026-03-31')).json<AgencyReport>();
    const icbc = report.rows.find((r) => r.institution === 'ICBC')!;
    expect(icbc.renewals).toBe(
      requests.filter(
        (q) => q.institution === 'ICBC' && RENEWALS.includes(q.measure) && within(q.dispatchedAt, Q1),
      ).length,
    );
  });

  it('gives the same figures in CSV (fen) and HTML (yuan)', async () => {
    const want = expectedYearly(notices, '川0104');
    const csv = await get('/v1/ops/reports/yearly?year=2026&court=%E5%B7%9D0104&format=csv');
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new Map(parseCsv(csv.body).map(([section, item, value]) => [`${section}/${item}`, value]));
    expect(Number(lines.get('money/frozenFen'))).toBe(want.money.frozenFen);
    expect(Number(lines.get('money/renewedFen'))).toBe(want.money.renewedFen);
    expect(Number(lines.get('holds.freeze/renewals'))).toBe(want.holds[0]!.renewals);
    expect(Number(lines.get('money/deductedFen'))).toBe(want.money.deductedFen);
    expect(Number(lines.get('requests/refused'))).toBe(want.requests.refused);
    expect(Number(lines.get('notices/total'))).toBe(want.notices.total);
    expect(Number(lines.get('listings.dishonest-list/requests'))).toBe(want.listings[0]!.requests);

    const html = await get('/v1/ops/reports/yearly?year=2026&court=%E5%B7%9D0104&format=html');
    expect(html.body).toContain('执行联动年度统计 Yearly linkage statistics 2026 — 川0104');
    expect(html.body).toContain(`<td>${formatYuan(want.money.frozenFen)}</td>`);
    expect(html.body).toContain(`<td>${formatYuan(want.money.deductedFen)}</td>`);
  });

  it('refuses a period beyond the years it reports on with 400, not a 500 from the database', async () => {
    const res = await get('/v1/ops/reports/agencies?from=9999-01-02&to=9999-12-31');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
      ['from', 'DATE_OUT_OF_RANGE'],
      ['to', 'DATE_OUT_OF_RANGE'],
    ]);
  });

  it('rejects a bad year and court with their paths', async () => {
    const res = await get('/v1/ops/reports/yearly?year=twenty&court=nowhere');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
      ['year', 'INVALID_YEAR'],
      ['court', 'INVALID_COURT_CODE'],
    ]);
  });
});
