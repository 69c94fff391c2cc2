/**
 * The read rollups (migration 1013) against the queries they replaced (test/legacy, the oracle): generated event
 * histories go through the real projection, in batches and in any order, then every rewritten read must answer
 * as the old one did, for random periods and instants (many on a Shanghai midnight), and a rebuild from the base
 * tables must give the rollups the triggers kept.
 */
import { EXAMPLES } from '@hub/contracts/answers/test-support';
import { type AgencyKind, fixedClock, type Measure } from '@hub/domain';
import { type ConsumedEvent, eventFactory, type OutboxMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate } from '@hub/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { agencyStats } from '../src/ops/sql/agency-stats.js';
import { listBreaches } from '../src/ops/sql/list-breaches.js';
import { project } from '../src/projection.js';
import { readAgencyReport } from '../src/reports/agency-report.js';
import { readYearlyStats } from '../src/reports/yearly-stats.js';
import { readAgencyReport as legacyAgencyReport } from './legacy/agency-report.js';
import { agencyStats as legacyAgencyStats } from './legacy/agency-stats.js';
import { listBreaches as legacyListBreaches } from './legacy/list-breaches.js';
import { readYearlyStats as legacyYearlyStats } from './legacy/yearly-stats.js';

const iso = isolate();
const logger = createLogger({ service: 'rollups-test', level: 'warn' });
const NEW_YEAR = Date.parse('2026-01-01T00:00:00+08:00');
const app = buildApp(loadConfig(hubEnv(iso)), { logger, clock: fixedClock(new Date(NEW_YEAR)) });
const pool = () => app.runtime.pool;
const DAY = 86_400_000;
const RUNS = Number(process.env.ROLLUPS_RUNS ?? 30);

// Only the schema: no consumer, relay or SLA sweeper runs beside the test. A sweeper stamping breaches between a
// rewritten read and its oracle would change what they compare, and the TRUNCATE below would queue behind its locks.
beforeAll(async () => {
  await app.runtime.migrate();
});
afterAll(async () => {
  await app.runtime.pool.end();
  await iso.cleanup();
});

const ROLLUPS = [
  'rollup_requests_daily',
  'rollup_requests_court_daily',
  'rollup_answer_hist',
  'rollup_answers_daily',
  'rollup_backlog',
  'rollup_listing_notices',
  'rollup_notices_daily',
  'notice_agencies',
  'rollup_notice_agencies',
  'rollup_requests_monthly',
  'rollup_requests_court_monthly',
  'rollup_notices_monthly',
  'rollup_notice_agencies_monthly',
  'rollup_answer_hist_grains',
];

const INSTITUTIONS: Record<AgencyKind, string[]> = {
  bank: ['ICBC', 'CCB'],
  'real-estate': ['成都市不动产登记中心'],
  'public-security': ['成都市公安局'],
  'provident-fund': ['成都住房公积金管理中心'],
};
const MEASURES: Record<AgencyKind, Measure[]> = {
  bank: ['query', 'freeze', 'renew-freeze', 'deduct', 'dishonest-list', 'restrict-consumption'],
  'real-estate': ['seal', 'renew-seal'],
  'public-security': ['restrict-exit', 'dishonest-list'],
  'provident-fund': ['freeze', 'deduct', 'restrict-consumption'],
};
const COURTS = [
  { code: '川0104', name: '成都市锦江区人民法院' },
  { code: '川0105', name: '成都市青羊区人民法院' },
];

/** An instant near the new year or a month's edge: many land on a Shanghai midnight or a millisecond off it. */
const instant = fc.oneof(
  fc.constantFrom(0, -1, 1, 31 * DAY, 31 * DAY - 1, -DAY, DAY).map((d) => NEW_YEAR + d),
  fc.integer({ min: -45 * DAY, max: 45 * DAY }).map((d) => NEW_YEAR + d),
  fc.integer({ min: -48, max: 48 }).map((h) => NEW_YEAR + h * 3_600_000),
);
const seconds = fc.oneof(
  fc.constantFrom(0, 1, 60, 3600, 7200),
  fc.integer({ min: -5, max: 10 * 86_400 }),
  fc.integer({ min: 0, max: 100_000_000 }).map((ms) => ms / 1000),
);

const requestArb = fc.record({
  agency: fc.constantFrom<AgencyKind>('bank', 'real-estate', 'public-security', 'provident-fund'),
  pick: fc.nat(),
  dispatchedAt: instant,
  dispatched: fc.integer({ min: 0, max: 9 }).map((x) => x > 0),
  dueIn: seconds,
  ackIn: seconds,
  delivered: fc.option(seconds),
  acknowledged: fc.option(seconds),
  answer: fc.option(
    fc.record({
      in: seconds,
      outcome: fc.constantFrom('done', 'done', 'partial', 'cannot-assist', 'refused'),
      result: fc.constantFrom('example', 'example', 'broken', 'empty'),
    }),
  ),
  failedIn: fc.option(seconds, { freq: 5 }),
});
const noticeArb = fc.record({
  court: fc.constantFrom(...COURTS),
  issuedAt: instant,
  issued: fc.integer({ min: 0, max: 9 }).map((x) => x > 0),
  seq: fc.integer({ min: 1, max: 30 }),
  requests: fc.array(requestArb, { minLength: 1, maxLength: 4 }),
  /** Its measure service completes it (NoticeCompleted counting all its requests), in any order with the rest. */
  completed: fc.boolean(),
});
const historyArb = fc.record({
  notices: fc.array(noticeArb, { minLength: 1, maxLength: 8 }),
  batches: fc.integer({ min: 1, max: 4 }),
  order: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
  stampBreachesAt: fc.option(instant),
  now: instant,
});
type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

let uuidSeq = 0;
const uuid = () => `00000000-0000-4000-8000-${(++uuidSeq).toString(16).padStart(12, '0')}`;

function eventsOf(h: History): OutboxMessage[] {
  const out: OutboxMessage[] = [];
  const at = (ms: number) => eventFactory({ producer: 'sim', topicPrefix: '', now: () => new Date(ms) });
  for (const n of h.notices) {
    const noticeId = uuid();
    const caseNo = `(2026)${n.court.code}执${n.seq}号`;
    const requests = n.requests.map((q) => {
      const institutions = INSTITUTIONS[q.agency];
      const measures = MEASURES[q.agency];
      return {
        ...q,
        requestId: uuid(),
        institution: institutions[q.pick % institutions.length]!,
        measure: measures[q.pick % measures.length]!,
      };
    });
    if (n.issued) {
      out.push(
        at(n.issuedAt).event('notices', noticeId, 'noticeIssued', {
          noticeId,
          notice: {
            noticeNo: `${caseNo}-协01`,
            caseNo,
            court: n.court,
            measure: requests[0]!.measure,
            targets: requests.map((q) => ({ agency: q.agency, institution: q.institution })),
            legalBasis: `${caseNo}执行裁定书`,
            issuedAt: new Date(n.issuedAt).toISOString(),
            confirmWarnings: [],
          },
          receivedAt: new Date(n.issuedAt),
        }),
      );
    }
    for (const q of requests) {
      const who = { requestId: q.requestId, noticeId, agency: q.agency, institution: q.institution };
      const t = (s: number) => q.dispatchedAt + s * 1000;
      if (q.dispatched) {
        out.push(
          at(q.dispatchedAt).event('requestsBank', noticeId, 'requestDispatched', {
            ...who,
            measure: q.measure,
            caseNo,
            court: n.court,
            noticeNo: `${caseNo}-协01`,
            legalBasis: `${caseNo}执行裁定书`,
            acknowledgeBy: new Date(t(q.ackIn)),
            answerBy: new Date(t(q.dueIn)),
            escalateAt: new Date(t(2 * q.dueIn)),
            slaPolicyVersion: 'test',
          }),
        );
      }
      if (q.delivered !== null)
        out.push(at(t(q.delivered)).event('progress', noticeId, 'requestDelivered', who));
      if (q.acknowledged !== null)
        out.push(at(t(q.acknowledged)).event('progress', noticeId, 'requestAcknowledged', who));
      if (q.answer) {
        const example = EXAMPLES[q.agency][q.measure];
        const resultJson =
          q.answer.result === 'example' && example !== undefined
            ? JSON.stringify(example)
            : q.answer.result === 'broken'
              ? '{"frozenFen":'
              : '';
        out.push(
          at(t(q.answer.in)).event('answers', noticeId, 'requestAnswered', {
            ...who,
            outcome: q.answer.outcome,
            reason: '',
            resultJson,
          }),
        );
      }
      if (q.failedIn !== null)
        out.push(
          at(t(q.failedIn)).event('answers', noticeId, 'requestFailed', {
            ...who,
            code: 'NO_ADAPTER',
            reason: '',
          }),
        );
    }
    if (n.completed)
      out.push(
        at(n.issuedAt + DAY).event('notices', noticeId, 'noticeCompleted', {
          noticeId,
          requests: requests.length,
          done: 0,
          partial: 0,
          cannotAssist: 0,
          refused: 0,
          failed: 0,
        }),
      );
  }
  return out;
}

async function projectHistory(h: History) {
  const db = pool();
  await db.query(`TRUNCATE notices, requests, timeline, timers, ${ROLLUPS.join(', ')}`);
  // Any order, in batches, one transaction each (as the consumer applies a fetch).
  const events = eventsOf(h)
    .map((m, i) => ({ m, key: h.order[i % h.order.length]! * 1000 + i }))
    .sort((a, b) => a.key - b.key)
    .map(
      ({ m }, i): ConsumedEvent => ({
        envelope: m.envelope,
        topic: m.topic,
        partition: 0,
        offset: String(i),
      }),
    );
  const size = Math.ceil(events.length / h.batches);
  for (let i = 0; i < events.length; i += size) {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await project(client, events.slice(i, i + size));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  // The breach detector's stamp (sla/detector.ts): open requests past their deadline.
  if (h.stampBreachesAt !== null) {
    await db.query('UPDATE requests SET breached_at = $1 WHERE status_rank < 3 AND due_at <= $1', [
      new Date(h.stampBreachesAt),
    ]);
  }
}

const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** Averages are a float sum in the old query and an exact one now: one millisecond apart at most once rounded. */
function withoutAverages<T>(stats: T): T {
  return JSON.parse(
    JSON.stringify(stats, (k, v) => (k === 'averageAnswerSeconds' ? (v === null ? null : 'avg') : v)),
  ) as T;
}
function averagesOf(stats: unknown): (number | null)[] {
  const out: (number | null)[] = [];
  JSON.stringify(stats, (k, v) => {
    if (k === 'averageAnswerSeconds') out.push(v);
    return v;
  });
  return out;
}

async function rollupRows() {
  const out: Record<string, unknown[]> = {};
  for (const table of ROLLUPS) {
    const { rows } = await pool().query(`SELECT * FROM ${table}`);
    // A counter that went up and back down leaves a row of zeros the rebuild does not write.
    out[table] = rows
      .filter(
        (r) =>
          Object.values(r).some((v) => typeof v === 'string' && /^-?[1-9]/.test(v)) ||
          table === 'notice_agencies',
      )
      .map((r) => JSON.stringify(r))
      .sort();
  }
  return out;
}

describe('read rollups', () => {
  it(
    'answer every rewritten read as the old queries did, and rebuild to what the triggers kept',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          historyArb,
          fc.array(fc.tuple(instant, instant), { minLength: 2, maxLength: 4 }),
          async (h, periods) => {
            await projectHistory(h);
            const now = new Date(h.now);
            const db = pool();

            // Besides the random periods: a quarter, a whole year and two (the histograms' year grain), and
            // periods across the new year made of 旬 and days; a year less its first and last day, a month less
            // some days at either end (grains taken away: rollups.ts grainParts).
            const fixed: [number, number][] = [
              [NEW_YEAR - 364 * DAY, NEW_YEAR - 2 * DAY],
              [NEW_YEAR + 33 * DAY, NEW_YEAR + 55 * DAY],
              [NEW_YEAR, NEW_YEAR + 89 * DAY],
              [NEW_YEAR - 365 * DAY, NEW_YEAR - DAY],
              [NEW_YEAR - 365 * DAY, NEW_YEAR + 364 * DAY],
              [NEW_YEAR - 11 * DAY, NEW_YEAR + 20 * DAY],
            ];
            for (const [a, b] of [...periods, ...fixed]) {
              const period = { from: day(Math.min(a, b)), to: day(Math.max(a, b)) };
              expect(await readAgencyReport(db, period, now)).toEqual(
                await legacyAgencyReport(db, period, now),
              );
            }
            for (const year of [2025, 2026]) {
              for (const court of [null, '川0104']) {
                const got = await readYearlyStats(db, { year, court }, now);
                const want = await legacyYearlyStats(db, { year, court }, now);
                expect(withoutAverages(got)).toEqual(withoutAverages(want));
                const [gotAvg, wantAvg] = [averagesOf(got), averagesOf(want)];
                gotAvg.forEach((v, i) => {
                  if (v === null) expect(wantAvg[i]).toBeNull();
                  // Both are rounded to the millisecond: a sum on a half-millisecond may round either way (one
                  // unit apart, 0.001 give or take the float's last bits).
                  else expect(Math.abs(v - wantAvg[i]!)).toBeLessThanOrEqual(0.001 + 1e-9);
                });
              }
            }
            for (const [since] of periods) {
              expect(await agencyStats(db, new Date(since))).toEqual(
                await legacyAgencyStats(db, new Date(since)),
              );
              for (const limit of [2, 1000]) {
                const q = { lateSince: new Date(since), limit };
                expect(await listBreaches(db, q)).toEqual(await legacyListBreaches(db, q));
              }
            }
            const backlog = await db.query(
              'SELECT agency, institution, open::int AS n FROM rollup_backlog WHERE open > 0 ORDER BY 1, 2',
            );
            const counted = await db.query(
              'SELECT agency, institution, count(*)::int AS n FROM requests WHERE status_rank < 3 GROUP BY 1, 2 ORDER BY 1, 2',
            );
            expect(backlog.rows).toEqual(counted.rows);

            const kept = await rollupRows();
            await db.query(`TRUNCATE ${ROLLUPS.join(', ')}`);
            await db.query('SELECT tracker_rebuild_rollups()');
            expect(await rollupRows()).toEqual(kept);
          },
        ),
        // No shrinking: each step replays a whole history (a failure shrank for minutes, past the timeout,
        // and looked like a hang); the seed and path printed reproduce the counterexample.
        { numRuns: RUNS, endOnFailure: true },
      );
    },
    Math.max(300_000, RUNS * 5_000),
  );

  it(
    'folds a batch into the same requests, rollups and timers as the same events applied one at a time',
    async () => {
      // A request dispatched and answered in one batch is inserted in its final state (projection.ts), not
      // inserted pending and then updated: what it ends as must not depend on how the events were batched.
      const state = async () => {
        const db = pool();
        const requests = await db.query(
          `SELECT id, notice_id, agency, institution, measure, status, status_rank, dispatched_at, ack_due_at, due_at,
                  escalate_at, delivered_at, acknowledged_at, answered_at, outcome, reason, result_json, late,
                  answer_read, answer_fen, breached_at, case_no, court_code, sla_policy_version
           FROM requests ORDER BY id`,
        );
        // Answer deadlines share a timer per second, armed as dispatches are applied (a batch that also holds
        // the answer arms none): what must hold either way is that every open, unbreached request is covered
        // by its second's timer, due no later than its deadline. Every other timer is the same both ways.
        const uncovered = await db.query(
          `SELECT r.id FROM requests r
           WHERE r.breached_at IS NULL AND r.status_rank < 3 AND r.due_at IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM timers t WHERE t.kind = 'sla.breach' AND t.due_at <= r.due_at
               AND t.subject_id = 's:' || floor(extract(epoch FROM r.due_at))::bigint)`,
        );
        expect(uncovered.rows).toEqual([]);
        const timers = await db.query(
          `SELECT kind, subject_id, due_at FROM timers WHERE kind <> 'sla.breach' ORDER BY 1, 2, 3`,
        );
        const notices = await db.query(
          `SELECT id, status, completed_at, completion_seen_at, requests_expected,
                  (SELECT count(*)::int FROM requests r WHERE r.notice_id = n.id AND r.status_rank >= 3) AS closed
           FROM notices n ORDER BY id`,
        );
        // Completed exactly when its completion was seen and every request it counted is here and answered.
        for (const n of notices.rows)
          expect(n.status === 'completed').toBe(
            n.completion_seen_at !== null && n.closed >= n.requests_expected,
          );
        return {
          requests: requests.rows,
          timers: timers.rows,
          rollups: await rollupRows(),
          notices: notices.rows,
        };
      };
      await fc.assert(
        fc.asyncProperty(historyArb, async (h) => {
          // The same ids both times (each projection starts from empty tables).
          uuidSeq = 0;
          await projectHistory(h);
          const batched = await state();
          uuidSeq = 0;
          await projectHistory({ ...h, batches: Number.MAX_SAFE_INTEGER });
          expect(batched).toEqual(await state());
        }),
        { numRuns: Math.max(5, Math.ceil(RUNS / 2)), endOnFailure: true },
      );
    },
    Math.max(300_000, RUNS * 5_000),
  );
});
