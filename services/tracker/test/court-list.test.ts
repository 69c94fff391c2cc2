import { randomUUID } from 'node:crypto';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  encodeEnvelope,
  type NoticeSummary,
  type TopicKey,
  TrackerServiceClient,
  type TrackerServiceListNoticesRequest,
  type TrackerServiceListNoticesResponse,
  topicName,
} from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitForGroupCaughtUp } from '@hub/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';

/**
 * The court API's list (GET /v1/notices, DESIGN §6) as the tracker serves it over gRPC: one court's notices only,
 * newest first, filtered by case, status and breach, and paged by keyset without a notice skipped or repeated.
 */
const iso = isolate();
const logger = createLogger({ service: 'tracker-list-test', level: 'warn' });
const app = buildApp(loadConfig(hubEnv(iso)), { logger, clock: systemClock });
const HOUR = 3_600_000;
const SENT_TO: TopicKey[] = ['notices', 'requestsBank', 'progress', 'answers'];
const COURT = '川0104';
const OTHER = '京01';
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let admin: ReturnType<Kafka['admin']>;
let client: TrackerServiceClient;

beforeAll(async () => {
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'tracker-list-test', logger });
  await app.start();
  producer = kafka.producer();
  admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  client = new TrackerServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await producer?.disconnect();
  await admin?.disconnect();
  await app.stop();
  await iso.cleanup();
});

const at = (when: Date) => eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => when });

async function publish(...messages: OutboxMessage[]) {
  await producer.sendBatch({
    topicMessages: messages.map((m) => ({
      topic: m.topic,
      messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
    })),
  });
  await waitForGroupCaughtUp(
    admin,
    `${iso.namespace}.tracker.lifecycle`,
    SENT_TO.map((key) => topicName(key, iso.topicPrefix)),
    { what: 'the tracker to consume everything published' },
  );
}

const caseOf = (court: string, n: number) => `(2026)${court}执${n}号`;
const issued = (noticeId: string, court: string, caseNo: string, when: Date) =>
  at(when).event('notices', noticeId, 'noticeIssued', {
    noticeId,
    notice: {
      noticeNo: `${caseNo}-协${noticeId.slice(0, 8)}`,
      caseNo,
      court: { code: court, name: '' },
      measure: 'query',
      targets: [{ agency: 'bank', institution: '' }],
      legalBasis: `${caseNo}执行裁定书`,
      issuedAt: '2026-11-23T09:00:00+08:00',
      confirmWarnings: [],
    },
    receivedAt: when,
  });
const dispatched = (noticeId: string, requestId: string, when: Date) =>
  at(when).event('requestsBank', noticeId, 'requestDispatched', {
    requestId,
    noticeId,
    agency: 'bank',
    institution: 'ICBC',
    measure: 'query',
    caseNo: '',
    noticeNo: '',
    legalBasis: '',
  });
const answered = (noticeId: string, requestId: string, when: Date) =>
  at(when).event('answers', noticeId, 'requestAnswered', {
    requestId,
    noticeId,
    agency: 'bank',
    institution: 'ICBC',
    outcome: 'done',
    reason: '',
    resultJson: JSON.stringify({ accounts: [] }),
  });

function list(
  request: Partial<TrackerServiceListNoticesRequest>,
): Promise<TrackerServiceListNoticesResponse> {
  const full: TrackerServiceListNoticesRequest = {
    courtCode: COURT,
    caseNo: '',
    status: '',
    limit: 20,
    afterIssuedAt: '',
    afterId: '',
    ...request,
  };
  return new Promise((resolve, reject) =>
    client.listNotices(full, new Metadata(), { deadline: Date.now() + 5000 }, (err, res) =>
      err || !res ? reject(err) : resolve(res),
    ),
  );
}

/** Every page of a listing, following the positions the tracker hands back. */
async function allPages(request: Partial<TrackerServiceListNoticesRequest>, limit: number) {
  const pages: NoticeSummary[][] = [];
  let after = { afterIssuedAt: '', afterId: '' };
  for (;;) {
    const page = await list({ ...request, limit, ...after });
    pages.push(page.notices);
    if (!page.nextAfterId) return pages;
    after = { afterIssuedAt: page.nextAfterIssuedAt, afterId: page.nextAfterId };
    if (pages.length > 1000) throw new Error('paging does not end');
  }
}

// Notices of this court (seven, two issued at the same microsecond) and of another (two): newest first is
// by issue time, then id.
const base = Date.now() - 3 * 24 * HOUR;
const mine = Array.from({ length: 7 }, (_, i) => ({
  id: randomUUID(),
  caseNo: caseOf(COURT, 100 + (i % 3)),
  at: new Date(base + (i === 6 ? 5 : i) * 60_000),
}));
const theirs = Array.from({ length: 2 }, (_, i) => ({
  id: randomUUID(),
  caseNo: caseOf(OTHER, 100),
  at: new Date(base + (i + 10) * 60_000),
}));
const [late, done] = [mine[0]!, mine[1]!];
const [lateRequest, doneRequest] = [randomUUID(), randomUUID()];
const newestFirst = [...mine].sort((a, b) => b.at.getTime() - a.at.getTime() || a.id.localeCompare(b.id));

describe('tracker ListNotices (the court API’s list)', () => {
  beforeAll(async () => {
    await publish(
      ...[...mine, ...theirs].map((n) =>
        issued(n.id, n === theirs[0] || n === theirs[1] ? OTHER : COURT, n.caseNo, n.at),
      ),
    );
    // `late`: a bank query dispatched two days ago and never answered (due within 24 h): breached.
    // `done`: dispatched and answered at once, then completed.
    const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
    await publish(
      dispatched(late.id, lateRequest, twoDaysAgo),
      dispatched(done.id, doneRequest, new Date()),
      answered(done.id, doneRequest, new Date()),
    );
    await publish(
      at(new Date()).event('notices', done.id, 'noticeCompleted', {
        noticeId: done.id,
        requests: 1,
        done: 1,
        partial: 0,
        cannotAssist: 0,
        refused: 0,
        failed: 0,
      }),
    );
  });

  it('lists only the court’s notices, newest first, with their state', async () => {
    const { notices, nextAfterId } = await list({});
    expect(notices.map((n) => n.id)).toEqual(newestFirst.map((n) => n.id));
    expect(nextAfterId).toBe('');
    const byId = new Map(notices.map((n) => [n.id, n]));
    expect(byId.get(late.id)).toMatchObject({
      status: 'in-progress',
      breached: true,
      requests: 1,
      requestsOpen: 1,
    });
    expect(byId.get(done.id)).toMatchObject({
      status: 'completed',
      breached: false,
      requests: 1,
      requestsOpen: 0,
    });
    expect(byId.get(mine[2]!.id)).toMatchObject({ status: 'issued', breached: false, requests: 0 });
    const other = await list({ courtCode: OTHER });
    expect(other.notices.map((n) => n.id).sort()).toEqual(theirs.map((n) => n.id).sort());
    expect((await list({ courtCode: '沪01' })).notices).toEqual([]);
  });

  it('filters by case, status and breach, together', async () => {
    const ids = async (r: Partial<TrackerServiceListNoticesRequest>) =>
      (await list(r)).notices.map((n) => n.id);
    expect(await ids({ caseNo: caseOf(COURT, 101) })).toEqual(
      newestFirst.filter((n) => n.caseNo === caseOf(COURT, 101)).map((n) => n.id),
    );
    // Another court's case number lists nothing of it, even though it exists.
    expect(await ids({ caseNo: caseOf(OTHER, 100) })).toEqual([]);
    expect(await ids({ status: 'completed' })).toEqual([done.id]);
    expect(await ids({ status: 'in-progress' })).toEqual([late.id]);
    expect(await ids({ breached: true })).toEqual([late.id]);
    expect(await ids({ breached: false })).toEqual(newestFirst.filter((n) => n !== late).map((n) => n.id));
    expect(await ids({ breached: true, status: 'completed' })).toEqual([]);
    expect(await ids({ breached: true, caseNo: late.caseNo })).toEqual([late.id]);
  });

  it('pages through every notice once, in order, whatever the page size (ties on issue time included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), async (limit) => {
        const pages = await allPages({}, limit);
        expect(pages.flat().map((n) => n.id)).toEqual(newestFirst.map((n) => n.id));
        expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
      }),
      { numRuns: 8 },
    );
    // Filters hold across pages too.
    const breachFree = await allPages({ breached: false }, 2);
    expect(breachFree.flat().map((n) => n.id)).toEqual(
      newestFirst.filter((n) => n !== late).map((n) => n.id),
    );
  });

  it('refuses what no caller of the court API could send', async () => {
    const code = (r: Partial<TrackerServiceListNoticesRequest>) =>
      list(r).then(
        () => 'ok',
        (err: ServiceError) => err.metadata.get('error-code')[0],
      );
    expect(await code({ courtCode: '' })).toBe('VALIDATION_FAILED');
    expect(await code({ status: 'finished' })).toBe('VALIDATION_FAILED');
    expect(await code({ limit: 0 })).toBe('VALIDATION_FAILED');
    expect(await code({ limit: 101 })).toBe('VALIDATION_FAILED');
    expect(await code({ afterIssuedAt: '2026-11-23T01:00:00Z', afterId: late.id })).toBe('VALIDATION_FAILED');
    expect(await code({ afterIssuedAt: '2026-11-23T01:00:00.000000Z', afterId: 'x' })).toBe(
      'VALIDATION_FAILED',
    );
    // Times that do not exist are refused as input, not failed on in SQL (an internal error before).
    for (const t of ['2026-02-30T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z'])
      expect(await code({ afterIssuedAt: t, afterId: late.id })).toBe('VALIDATION_FAILED');
  });
});
