/**
 * Issue 12 on the tracker's side, on the real stack: interceptions partners reported (kept once, on the
 * timeline, counted in the yearly statistics and the agency report per measure × agency kind) and who
 * confirmed punishment notices late (the ops list, the 通报, the console).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import {
  encodeEnvelope,
  type NoticeView,
  REQUEST_TOPIC_KEYS,
  requestTopicKey,
  type TopicKey,
  TrackerServiceClient,
  topicName,
} from '@hub/contracts';
import {
  type AgencyKind,
  dishonestDeletionDeadline,
  type Measure,
  manualClock,
  PRC_CALENDAR,
} from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, portOf, REPO_ROOT, waitFor, waitForGroupCaughtUp } from '@hub/testkit';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { LATE_PUNISHMENTS_SQL } from '../src/ops/sql/list-late-punishments.js';
import type { AgencyReport } from '../src/reports/agency-report.js';
import { BY_INSTITUTION, BY_MEASURE_AND_AGENCY } from '../src/reports/interception-counts.js';
import type { YearlyStats } from '../src/reports/yearly-stats.js';

const HOUR = 3_600_000;
const iso = isolate();
const logger = createLogger({ service: 'tracker-punishment-test', level: 'error' });
// The listing went out on 1 December; its removal on 16 December (a Wednesday). Hub time then stands two
// days after the removal, so every deadline below has passed.
const LISTED = new Date('2026-12-01T10:00:00+08:00');
const REMOVED = new Date('2026-12-16T10:00:00+08:00');
const NOW = new Date(REMOVED.getTime() + 48 * HOUR);
const clock = manualClock(NOW);
const app = buildApp(loadConfig(hubEnv(iso, { TRACKER_SLA_SWEEP_MS: '100' })), { logger, clock });

const COURT = { code: '川0104', name: '成都市锦江区人民法院' };
const OTHER_COURT = { code: '川0105', name: '成都市青羊区人民法院' };
const CASE_NO = '(2026)川0104执1234号';
const PS = '成都市公安局';
const EXIT_OFFICE = '成都市公安局出入境管理支队';
// The ground for deletion arose on Friday 11 December: 3 working days end with Wednesday 16 December (Beijing),
// the day the removal went out, and earlier than its 24 h SLA would (法释〔2017〕7号 art. 10).
const GROUND_AROSE = new Date('2026-12-11T16:00:00+08:00');
const REMOVAL_DUE = new Date(
  Math.min(REMOVED.getTime() + 24 * HOUR, dishonestDeletionDeadline(GROUND_AROSE, PRC_CALENDAR).getTime()),
);

const notices = {
  listing: randomUUID(),
  removal: randomUUID(),
  exit: randomUUID(),
  query: randomUUID(),
};
const requests = {
  listingIcbc: randomUUID(),
  listingCcb: randomUUID(),
  listingPs: randomUUID(),
  removalIcbc: randomUUID(),
  removalCcb: randomUUID(),
  queryIcbc: randomUUID(),
};

let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let admin: ReturnType<Kafka['admin']>;
let grpc: TrackerServiceClient;

const at = (when: Date) => eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => when });
const plus = (d: Date, hours: number) => new Date(d.getTime() + hours * HOUR);

function issued(noticeId: string, measure: Measure, when: Date, court = COURT) {
  return at(when).event('notices', noticeId, 'noticeIssued', {
    noticeId,
    notice: {
      noticeNo: `${CASE_NO}-${measure}`,
      caseNo: CASE_NO,
      court,
      measure,
      debtor: {
        kind: 'person',
        name: '李某',
        idNumber: '11010519491231002X',
        creditCode: '',
        responsiblePersons: [],
      },
      targets: [],
      legalBasis: `${CASE_NO}执行裁定书`,
      issuedAt: when.toISOString(),
      confirmWarnings: [],
    },
    receivedAt: when,
  });
}

/** A request with the deadlines its measure service stamped on it. */
function dispatched(
  noticeId: string,
  requestId: string,
  agency: AgencyKind,
  institution: string,
  measure: Measure,
  when: Date,
  answerBy: Date,
) {
  return at(when).event(requestTopicKey(agency), noticeId, 'requestDispatched', {
    requestId,
    noticeId,
    agency,
    institution,
    measure,
    caseNo: CASE_NO,
    court: COURT,
    noticeNo: `${CASE_NO}-${measure}`,
    legalBasis: `${CASE_NO}执行裁定书`,
    acknowledgeBy: plus(when, 1),
    answerBy,
    escalateAt: new Date(answerBy.getTime() + (answerBy.getTime() - when.getTime())),
    slaPolicyVersion: 'test',
  });
}

function answered(noticeId: string, requestId: string, agency: AgencyKind, institution: string, when: Date) {
  return at(when).event('answers', noticeId, 'requestAnswered', {
    requestId,
    noticeId,
    agency,
    institution,
    outcome: 'done',
    reason: '',
    resultJson: '{}',
  });
}

interface Report {
  reportId: string;
  partnerRef: string;
  agency: AgencyKind;
  institution: string;
  measure: Measure;
  court: typeof COURT;
  noticeId: string;
  action: string;
  occurredAt: Date;
  subject: string;
}

function intercepted(r: Report) {
  return at(r.occurredAt).event('interceptions', r.noticeId, 'interceptionReported', {
    reportId: r.reportId,
    partnerRef: r.partnerRef,
    agency: r.agency,
    institution: r.institution,
    entryId: randomUUID(),
    measure: r.measure,
    courtCode: r.court.code,
    caseNo: CASE_NO,
    noticeId: r.noticeId,
    action: r.action,
    occurredAt: r.occurredAt,
    subjectMasked: r.subject,
    signatureJson: '{}',
  });
}

const loan: Report = {
  reportId: randomUUID(),
  partnerRef: 'ICBC-2026-0001',
  agency: 'bank',
  institution: 'ICBC',
  measure: 'dishonest-list',
  court: COURT,
  noticeId: notices.listing,
  action: 'loan',
  occurredAt: new Date('2026-12-10T09:30:00+08:00'),
  subject: '110105********002X',
};
const exit: Report = {
  reportId: randomUUID(),
  partnerRef: 'EXIT-77',
  agency: 'public-security',
  institution: EXIT_OFFICE,
  measure: 'restrict-exit',
  court: COURT,
  noticeId: notices.exit,
  action: 'exit',
  occurredAt: new Date('2026-12-12T20:00:00+08:00'),
  subject: '110105********002X',
};
// Another court's listing; the partner sent the ID in clear, which the tracker must not keep.
const otherCourt: Report = {
  ...loan,
  reportId: randomUUID(),
  partnerRef: 'ICBC-2026-0002',
  court: OTHER_COURT,
  noticeId: randomUUID(),
  subject: '11010519491231002X',
};
// Half an hour into 2027 in Beijing, still 2026 in UTC: it counts in 2027.
const newYear: Report = {
  ...loan,
  noticeId: randomUUID(),
  reportId: randomUUID(),
  partnerRef: 'CCB-2027-0001',
  institution: 'CCB',
  occurredAt: new Date('2027-01-01T00:30:00+08:00'),
};

// Standings as the punishment service publishes them: a subject's whole set of entries at a version.
const DEBTOR = 'a'.repeat(64);
const REPRESENTATIVE = 'b'.repeat(64);
const EXPIRED = 'c'.repeat(64);
const entry = (
  entryId: string,
  measure: Measure,
  role: string,
  since: Date,
  endsAt?: Date,
  impliedBy = '',
) => ({
  entryId,
  measure,
  courtCode: COURT.code,
  caseNo: CASE_NO,
  noticeId: notices.listing,
  since,
  endsAt,
  ground: measure === 'dishonest-list' ? 'evading' : '',
  role,
  debtorKind: 'person',
  impliedBy,
});
const standing = (subjectHash: string, version: number, entries: ReturnType<typeof entry>[], cause: string) =>
  at(LISTED).event('restrictions', subjectHash, 'restrictionsChanged', {
    subjectHash,
    version,
    entries,
    cause,
    noticeId: notices.listing,
  });
const LISTING_ENDS = new Date('2028-12-01T10:00:00+08:00');

const LIFECYCLE: TopicKey[] = ['notices', 'progress', 'answers', ...REQUEST_TOPIC_KEYS];

async function publish(messages: OutboxMessage[]) {
  await producer.sendBatch({
    topicMessages: messages.map((m) => ({
      topic: m.topic,
      messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
    })),
  });
  await waitForGroupCaughtUp(
    admin,
    `${iso.namespace}.tracker.lifecycle`,
    LIFECYCLE.map((k) => topicName(k, iso.topicPrefix)),
    { what: 'the tracker to project the lifecycle events' },
  );
  await waitForGroupCaughtUp(
    admin,
    `${iso.namespace}.tracker.side-events`,
    [topicName('interceptions', iso.topicPrefix)],
    { what: 'the tracker to read the interception reports' },
  );
  await waitForGroupCaughtUp(
    admin,
    `${iso.namespace}.tracker.side-events`,
    [topicName('restrictions', iso.topicPrefix)],
    { what: 'the tracker to read the restrictions' },
  );
}

function getNotice(id: string): Promise<NoticeView | undefined> {
  return new Promise((resolve, reject) => {
    grpc.getNotice({ id }, new Metadata(), { deadline: Date.now() + 5000 }, (err, res) =>
      err ? reject(err) : resolve(res?.notice),
    );
  });
}

const get = <T>(url: string) =>
  app.http.inject({ url }).then((r) => ({ status: r.statusCode, body: r.json<T>() }));

beforeAll(async () => {
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'tracker-punishment-test', logger });
  await app.start();
  grpc = new TrackerServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);

  const dueListing = plus(LISTED, 24);
  // Answers before dispatches: the projection folds them in any order (projection.test.ts), and the breach
  // detector then never sees an answered request open.
  await publish([
    issued(notices.listing, 'dishonest-list', LISTED),
    issued(notices.removal, 'dishonest-list-removal', REMOVED),
    issued(notices.exit, 'restrict-exit', LISTED),
    issued(notices.query, 'query', LISTED),
    answered(notices.listing, requests.listingIcbc, 'bank', 'ICBC', plus(LISTED, 2)),
    answered(notices.listing, requests.listingCcb, 'bank', 'CCB', plus(LISTED, 30)),
    // Within the 24 h SLA, but after the 3-working-day removal deadline the punishment service stamped.
    answered(notices.removal, requests.removalIcbc, 'bank', 'ICBC', plus(REMOVED, 20)),
    answered(notices.query, requests.queryIcbc, 'bank', 'ICBC', plus(LISTED, 48)),
  ]);
  await publish([
    dispatched(notices.listing, requests.listingIcbc, 'bank', 'ICBC', 'dishonest-list', LISTED, dueListing),
    dispatched(notices.listing, requests.listingCcb, 'bank', 'CCB', 'dishonest-list', LISTED, dueListing),
    dispatched(
      notices.listing,
      requests.listingPs,
      'public-security',
      PS,
      'dishonest-list',
      LISTED,
      dueListing,
    ),
    dispatched(
      notices.removal,
      requests.removalIcbc,
      'bank',
      'ICBC',
      'dishonest-list-removal',
      REMOVED,
      REMOVAL_DUE,
    ),
    dispatched(
      notices.removal,
      requests.removalCcb,
      'bank',
      'CCB',
      'dishonest-list-removal',
      REMOVED,
      REMOVAL_DUE,
    ),
    dispatched(notices.query, requests.queryIcbc, 'bank', 'ICBC', 'query', LISTED, dueListing),
  ]);
  // The loan report arrives twice as the same event (a redelivery) and once more as a new event (the
  // adapter's outbox re-sent it): one report.
  const loanEvent = intercepted(loan);
  await publish([loanEvent, intercepted(exit), intercepted(otherCourt), intercepted(newYear)]);
  await publish([loanEvent, intercepted(loan)]);

  // The debtor's newest standing arrives before an older one, which must change nothing; the legal
  // representative's restriction was lifted (an empty standing); a listing whose term ended is not in force.
  await publish([
    standing(
      DEBTOR,
      2,
      [
        entry('e-list', 'dishonest-list', 'debtor', LISTED, LISTING_ENDS),
        entry('e-consume', 'restrict-consumption', 'debtor', LISTED, undefined, 'e-list'),
      ],
      'listed',
    ),
    standing(
      REPRESENTATIVE,
      1,
      [entry('e-rep', 'restrict-consumption', 'legal-representative', LISTED)],
      'listed',
    ),
    standing(EXPIRED, 1, [entry('e-old', 'dishonest-list', 'debtor', LISTED, plus(NOW, -1))], 'listed'),
  ]);
  await publish([
    standing(DEBTOR, 1, [entry('e-exit', 'restrict-exit', 'debtor', LISTED)], 'restricted'),
    standing(REPRESENTATIVE, 2, [], 'lifted'),
  ]);
});

afterAll(async () => {
  grpc?.close();
  await producer?.disconnect();
  await admin?.disconnect();
  await app.stop();
  await iso.cleanup();
});

describe('interceptions reported by partners', () => {
  it('keeps each report once, however often it is delivered, and never an ID number in clear', async () => {
    const { rows } = await app.runtime.pool.query<{
      report_id: string;
      subject_masked: string;
      notice_id: string;
    }>('SELECT report_id, subject_masked, notice_id FROM interceptions ORDER BY occurred_at');
    expect(rows.map((r) => r.report_id).sort()).toEqual(
      [loan.reportId, exit.reportId, otherCourt.reportId, newYear.reportId].sort(),
    );
    expect(rows.every((r) => r.subject_masked === '110105********002X')).toBe(true);
  });

  it('shows the report on the timeline of the notice that placed the restriction, as the gateway reads it', async () => {
    const view = await getNotice(notices.listing);
    const entries = view!.timeline.filter((t) => t.event === 'InterceptionReported');
    expect(entries).toEqual([
      {
        at: loan.occurredAt,
        event: 'InterceptionReported',
        requestId: '',
        detail: 'bank ICBC: loan (dishonest-list)',
      },
    ]);
    const exitView = await getNotice(notices.exit);
    expect(exitView!.timeline.map((t) => t.detail)).toContain(
      `public-security ${EXIT_OFFICE}: exit (restrict-exit)`,
    );
  });

  it('counts interceptions per measure × agency kind in the yearly statistics, in the Beijing year they happened', async () => {
    const all = await get<YearlyStats>('/v1/ops/reports/yearly?year=2026');
    expect(all.body.interceptions).toEqual({
      total: 3,
      byMeasureAndAgency: [
        { measure: 'dishonest-list', agency: 'bank', count: 2 },
        { measure: 'restrict-exit', agency: 'public-security', count: 1 },
      ],
    });
    const court = await get<YearlyStats>(
      `/v1/ops/reports/yearly?year=2026&court=${encodeURIComponent(COURT.code)}`,
    );
    expect(court.body.interceptions.byMeasureAndAgency).toEqual([
      { measure: 'dishonest-list', agency: 'bank', count: 1 },
      { measure: 'restrict-exit', agency: 'public-security', count: 1 },
    ]);
    const next = await get<YearlyStats>('/v1/ops/reports/yearly?year=2027');
    expect(next.body.interceptions).toEqual({
      total: 1,
      byMeasureAndAgency: [{ measure: 'dishonest-list', agency: 'bank', count: 1 }],
    });
    const csv = await app.http.inject({ url: '/v1/ops/reports/yearly?year=2026&format=csv' });
    expect(csv.body).toContain('\r\ninterceptions.dishonest-list,bank,2\r\n');
  });

  it('counts them per institution and measure in the agency report (通报)', async () => {
    const q4 = await get<AgencyReport>('/v1/ops/reports/agencies?from=2026-10-01&to=2026-12-31');
    expect(q4.status).toBe(200);
    expect(q4.body.interceptions).toEqual({
      rows: [
        { agency: 'bank', institution: 'ICBC', measure: 'dishonest-list', count: 2 },
        { agency: 'public-security', institution: EXIT_OFFICE, measure: 'restrict-exit', count: 1 },
      ],
      agencies: [
        { agency: 'bank', measure: 'dishonest-list', count: 2 },
        { agency: 'public-security', measure: 'restrict-exit', count: 1 },
      ],
      total: 3,
    });
    const html = await app.http.inject({
      url: '/v1/ops/reports/agencies?from=2026-10-01&to=2026-12-31&format=html',
    });
    expect(html.body).toContain(
      `<tr><td>公安 Public security</td><td>${EXIT_OFFICE}</td><td>限制出境 Restrict exit</td><td>1</td></tr>`,
    );
  });

  it('reads the rollup and the late list through their indexes, never a scan of the table', async () => {
    const client = await app.runtime.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = async (sql: string, args: unknown[]) =>
        (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, args)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      expect(await plan(BY_MEASURE_AND_AGENCY, ['2026-01-01', '2027-01-01', null])).toContain(
        'interception_counts_pkey',
      );
      expect(await plan(BY_INSTITUTION, ['2026-10-01', '2026-12-31'])).toContain('interception_counts_pkey');
      const late = await plan(LATE_PUNISHMENTS_SQL, [NOW, 50, null, null]);
      expect(late).toContain('requests_punishment_overdue');
      expect(late).not.toMatch(/Seq Scan on requests/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});

interface LateRow {
  requestId: string;
  noticeId: string;
  caseNo: string;
  measure: string;
  agency: string;
  institution: string;
  dueAt: string;
  confirmedAt: string | null;
  missing: boolean;
}

describe('who confirmed punishment notices late', () => {
  it('marks a removal answered after its 3-working-day deadline late, and one never answered breached', async () => {
    expect(REMOVAL_DUE).toEqual(new Date('2026-12-16T23:59:59.999+08:00'));
    expect(REMOVAL_DUE.getTime()).toBeLessThan(plus(REMOVED, 20).getTime());
    expect(plus(REMOVED, 20).getTime()).toBeLessThan(plus(REMOVED, 24).getTime());
    const { rows } = await waitFor(
      async () => {
        const r = await app.runtime.pool.query<{ id: string; breached_at: Date | null }>(
          'SELECT id, breached_at FROM requests WHERE id = ANY($1::uuid[])',
          [[requests.removalCcb, requests.listingPs]],
        );
        return r.rows.every((x) => x.breached_at !== null) && r;
      },
      { what: 'the breach detector to stamp the unanswered punishment requests' },
    );
    expect(rows).toHaveLength(2);
    const view = await getNotice(notices.removal);
    expect(view!.requests.map((r) => [r.institution, r.breached, r.dueAt])).toEqual([
      ['CCB', true, REMOVAL_DUE],
      ['ICBC', true, REMOVAL_DUE],
    ]);
  });

  it('lists late and missing confirmations with notice, case, measure, agency, institution and due, a page at a time', async () => {
    const first = await get<{ late: LateRow[]; nextCursor: string | null }>(
      '/v1/ops/punishments/late?limit=3',
    );
    expect(first.status).toBe(200);
    expect(first.body.late).toHaveLength(3);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await get<{ late: LateRow[]; nextCursor: string | null }>(
      `/v1/ops/punishments/late?limit=3&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
    );
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.late, ...second.body.late];
    // Newest deadline first; the query notice's late answer is no punishment notice's.
    expect(all.map((r) => r.dueAt)).toEqual([...all.map((r) => r.dueAt)].sort().reverse());
    const byId = new Map(all.map((r) => [r.requestId, r]));
    expect(byId.size).toBe(4);
    expect(byId.get(requests.removalIcbc)).toMatchObject({
      noticeId: notices.removal,
      caseNo: CASE_NO,
      measure: 'dishonest-list-removal',
      agency: 'bank',
      institution: 'ICBC',
      dueAt: REMOVAL_DUE.toISOString(),
      confirmedAt: plus(REMOVED, 20).toISOString(),
      missing: false,
    });
    expect(byId.get(requests.removalCcb)).toMatchObject({
      institution: 'CCB',
      confirmedAt: null,
      missing: true,
    });
    expect(byId.get(requests.listingCcb)).toMatchObject({
      measure: 'dishonest-list',
      confirmedAt: plus(LISTED, 30).toISOString(),
      missing: false,
    });
    expect(byId.get(requests.listingPs)).toMatchObject({
      agency: 'public-security',
      institution: PS,
      missing: true,
    });
  });

  it('rejects a cursor it never gave with a field path', async () => {
    const res = await app.http.inject({ url: '/v1/ops/punishments/late?cursor=yesterday' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
      ['cursor', 'INVALID_CURSOR'],
    ]);
  });

  it('shows per institution in the 通报 who confirmed on time, late, or not at all', async () => {
    const q4 = await get<AgencyReport>('/v1/ops/reports/agencies?from=2026-10-01&to=2026-12-31');
    const p = q4.body.punishmentConfirmations;
    const none = { confirmedOnTime: 0, confirmedLate: 0, missing: 0, notYetDue: 0 };
    expect(p.rows).toEqual([
      { agency: 'bank', institution: 'CCB', ...none, received: 2, confirmedLate: 1, missing: 1 },
      { agency: 'bank', institution: 'ICBC', ...none, received: 2, confirmedOnTime: 1, confirmedLate: 1 },
      { agency: 'public-security', institution: PS, ...none, received: 1, missing: 1 },
    ]);
    expect(p.agencies).toEqual([
      { agency: 'bank', ...none, received: 4, confirmedOnTime: 1, confirmedLate: 2, missing: 1 },
      { agency: 'public-security', ...none, received: 1, missing: 1 },
    ]);
    expect(p.totals).toEqual({ ...none, received: 5, confirmedOnTime: 1, confirmedLate: 2, missing: 2 });
    // The query notice answered late is in the report's main figures, not among the punishment notices.
    expect(q4.body.totals.received).toBe(6);
    const csv = await app.http.inject({
      url: '/v1/ops/reports/agencies?from=2026-10-01&to=2026-12-31&format=csv',
    });
    const lines = csv.body
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(lines.map((l) => [l[0], l[1], l[13], l[14]])).toEqual([
      ['bank', 'CCB', '1', '1'],
      ['bank', 'ICBC', '1', '0'],
      ['bank', '小计 Subtotal', '2', '1'],
      ['public-security', PS, '0', '1'],
      ['public-security', '小计 Subtotal', '0', '1'],
      ['合计 Total', '', '2', '2'],
    ]);
  });
});

describe('restrictions in force', () => {
  it('shows a case’s current listings at each subject’s newest version, lifted and ended ones gone', async () => {
    const res = await get<{
      restrictions: { entryId: string; measure: string; role: string; endsAt: string | null }[];
    }>(`/v1/ops/restrictions?caseNo=${encodeURIComponent(CASE_NO)}`);
    expect(res.status).toBe(200);
    expect(res.body.restrictions.map((r) => [r.entryId, r.measure, r.role, r.endsAt])).toEqual([
      ['e-list', 'dishonest-list', 'debtor', LISTING_ENDS.toISOString()],
      ['e-consume', 'restrict-consumption', 'debtor', null],
    ]);
    const bad = await app.http.inject({ url: '/v1/ops/restrictions' });
    expect([bad.statusCode, bad.json().error.details[0].path]).toEqual([400, 'caseNo']);
    // Not a case number (a NUL was a 500 from the database; a word an empty 200): 400 at caseNo.
    for (const q of ['%00', 'x', '%ED%A0%80']) {
      const res = await app.http.inject({ url: `/v1/ops/restrictions?caseNo=${q}` });
      expect([res.statusCode, res.json().error.details[0].path], q).toEqual([400, 'caseNo']);
    }
  });
});

describe('ops console', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists late and missing punishment confirmations and shows an interception on the notice’s timeline', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${portOf(app.http)}/`);
      const rows = page.getByTestId('late-punishment-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(4);
      expect(await page.getByTestId('badge-missing').count()).toBe(2);
      expect(await page.getByTestId('badge-confirmed-late').count()).toBe(2);
      expect(await page.getByTestId('late-punishment-count').textContent()).toBe('4');
      const missingAtPs = page
        .getByTestId('late-punishment-rows')
        .locator(`[data-request-id="${requests.listingPs}"]`);
      expect(await missingAtPs.getAttribute('data-missing')).toBe('true');
      expect(await missingAtPs.getByTestId('late-punishment-institution').textContent()).toBe(`公安 · ${PS}`);

      await page
        .locator(`[data-request-id="${requests.listingCcb}"]`)
        .getByTestId('late-punishment-case')
        .click();
      const entry = page
        .getByTestId('timeline-entry')
        .and(page.locator('[data-event="InterceptionReported"]'));
      await entry.waitFor();
      expect(await entry.textContent()).toContain('协助单位报告拦截');
      expect(await entry.textContent()).toContain('bank ICBC: loan (dishonest-list)');

      expect(
        await page
          .getByTestId('restriction-row')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-measure'))),
      ).toEqual(['dishonest-list', 'restrict-consumption']);

      await page.getByTestId('lang-toggle').click();
      expect(await page.getByTestId('late-punishments').textContent()).toContain(
        'Punishment notices confirmed late',
      );
      const dir = join(REPO_ROOT, 'test-artifacts');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'console-late-punishments.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
