/**
 * The tracker's ops reads at scale (issue 13 item 5): fills the tracker's read model in its own schema
 * (`benchrm_tracker`) with N generated requests (a notice per 11, over three years up to now) by INSERT … SELECT
 * generate_series, the rollups rebuilt once after, then times every ops read through the tracker's HTTP API (several runs:
 * median and max) and /metrics, and how fast the projection applies events with the rollup triggers and without.
 * A schema already filled to N is reused (`--refill` to start over).
 *
 *   npm run bench -- --data 10000000 [--runs 7] [--refill]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { credentials, Metadata } from '@grpc/grpc-js';
import {
  TrackerServiceClient,
  type TrackerServiceListNoticesRequest,
  type TrackerServiceListNoticesResponse,
} from '@hub/contracts';
import { EXAMPLES } from '@hub/contracts/answers/test-support';
import { type AgencyKind, systemClock } from '@hub/domain';
import { type ConsumedEvent, eventFactory } from '@hub/messaging';
import { ANY_FREE_PORTS, createLogger } from '@hub/service-kit';
import { buildApp, loadConfig } from '@hub/tracker';
import { project } from '@hub/tracker/projection';

// BENCH_DATA_NAMESPACE: a second filled schema beside the first (say, another size) without refilling either.
const NAMESPACE = process.env.BENCH_DATA_NAMESPACE ?? 'benchrm';
const CHUNK = 250_000;
const INSTITUTIONS: Record<AgencyKind, number> = {
  bank: 20,
  'real-estate': 10,
  'public-security': 5,
  'provident-fund': 5,
};
const MEASURES: Record<AgencyKind, string[]> = {
  bank: ['query', 'query', 'query', 'freeze', 'renew-freeze', 'release', 'deduct', 'dishonest-list'],
  'real-estate': ['query', 'query', 'seal', 'renew-seal', 'unseal'],
  'public-security': ['query', 'restrict-exit', 'locate', 'dishonest-list', 'restrict-consumption'],
  'provident-fund': ['query', 'freeze', 'deduct', 'release'],
};
const COURTS = 150;

const sqlList = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(', ')}]`;
/** agency kind of notice j: 60 % bank, 15 % real estate, 15 % public security, 10 % provident fund. */
const AGENCY_OF_J = `(CASE WHEN (j * 2654435761) % 100 < 60 THEN 'bank' WHEN (j * 2654435761) % 100 < 75 THEN 'real-estate'
  WHEN (j * 2654435761) % 100 < 90 THEN 'public-security' ELSE 'provident-fund' END)`;
const MEASURE_OF_J = `(CASE ${AGENCY_OF_J}
  ${Object.entries(MEASURES)
    .map(([a, ms]) => `WHEN '${a}' THEN (${sqlList(ms)})[1 + (j / 7) % ${ms.length}]`)
    .join(' ')} END)`;
const INSTITUTIONS_OF_J = `(CASE ${AGENCY_OF_J} ${Object.entries(INSTITUTIONS)
  .map(([a, n]) => `WHEN '${a}' THEN ${n}`)
  .join(' ')} END)`;
const COURT_OF_J = `'川0' || (100 + (j * 40503) % ${COURTS})`;
// Notice j is issued at an even pace over [start, start + span).
const ISSUED_OF_J = `($3::timestamptz + ($4::float8 * j / $5::float8) * interval '1 second')`;
const CASE_OF_J = `format('(%s)%s执%s号', extract(year FROM ${ISSUED_OF_J} AT TIME ZONE 'Asia/Shanghai'), ${COURT_OF_J}, j)`;

const FILL_NOTICES = `
INSERT INTO notices (id, notice_no, case_no, court_code, measure, status, issued_at, completed_at, updated_at,
                     debtor_masked, subject_key)
SELECT ('1' || lpad(to_hex(j), 31, '0'))::uuid, ${CASE_OF_J} || '-协01', ${CASE_OF_J}, ${COURT_OF_J}, ${MEASURE_OF_J},
  CASE WHEN ${ISSUED_OF_J} < $6::timestamptz - interval '3 days' THEN 'completed' ELSE 'in-progress' END,
  ${ISSUED_OF_J}, NULL, ${ISSUED_OF_J},
  '张* 110***********' || lpad((j % 10000)::text, 4, '0'), encode(sha256(j::text::bytea), 'hex')
FROM generate_series($1::bigint, $2::bigint - 1) j`;

// Request i belongs to notice j = i / 11; answer times log-triangular between ~1 min and ~45 h (median ~50 min).
const FILL_REQUESTS = `
INSERT INTO requests (id, notice_id, agency, institution, measure, status, status_rank, dispatched_at, ack_due_at,
  due_at, escalate_at, delivered_at, acknowledged_at, answered_at, outcome, reason, result_json, breached_at,
  escalated_at, late, court_code, case_no, sla_policy_version, answer_read, answer_fen, updated_at)
SELECT id, notice_id, agency, institution, measure, status, rank, dispatched, ack_due, due, due + interval '24 hours',
  CASE WHEN rank >= 1 THEN dispatched + interval '5 seconds' END,
  CASE WHEN rank >= 2 THEN dispatched + answer * 0.1 END,
  answered, outcome, CASE WHEN outcome IN ('cannot-assist', 'refused') THEN '查无此人' END,
  CASE WHEN money AND status IN ('done', 'partial') THEN $7::text END,
  CASE WHEN rank < 3 AND due < $6 THEN due WHEN answered > due THEN due END,
  CASE WHEN rank < 3 AND due + interval '24 hours' < $6 THEN due + interval '24 hours'
       WHEN answered > due + interval '24 hours' THEN due + interval '24 hours' END,
  outcome IS NOT NULL AND answered > due, court, case_no, 'bench', CASE WHEN money THEN true END,
  CASE WHEN money AND status IN ('done', 'partial') THEN $8::bigint END, COALESCE(answered, dispatched)
FROM (
  SELECT *, CASE WHEN rank = 3 THEN LEAST(dispatched + answer, $6 - interval '1 minute') END AS answered,
    CASE WHEN rank = 3 AND status <> 'failed' THEN status END AS outcome
  FROM (
    SELECT *,
      CASE WHEN open THEN (ARRAY['pending', 'delivered', 'acknowledged'])[1 + floor(r2 * 3)::int]
           WHEN r2 < 0.70 THEN 'done' WHEN r2 < 0.78 THEN 'partial' WHEN r2 < 0.90 THEN 'cannot-assist'
           WHEN r2 < 0.97 THEN 'refused' ELSE 'failed' END AS status,
      CASE WHEN open THEN floor(r2 * 3)::smallint ELSE 3::smallint END AS rank,
      dispatched + CASE WHEN agency = 'bank' THEN interval '15 minutes' ELSE interval '1 hour' END AS ack_due,
      dispatched + CASE WHEN measure IN ('query', 'dishonest-list', 'restrict-consumption', 'restrict-exit')
                        THEN interval '24 hours' ELSE interval '72 hours' END AS due,
      exp(4 + 4 * (r3 + r4)) * interval '1 second' AS answer
    FROM (
      SELECT ('2' || lpad(to_hex(i), 31, '0'))::uuid AS id, ('1' || lpad(to_hex(j), 31, '0'))::uuid AS notice_id,
        ${AGENCY_OF_J} AS agency, ${AGENCY_OF_J} || '-' || lpad((((j + k) % ${INSTITUTIONS_OF_J}) + 1)::text, 2, '0') AS institution,
        ${MEASURE_OF_J} AS measure, ${MEASURE_OF_J} IN ('freeze', 'renew-freeze', 'deduct') AS money,
        ${ISSUED_OF_J} + k * interval '1 minute' AS dispatched, ${COURT_OF_J} AS court, ${CASE_OF_J} AS case_no,
        CASE WHEN ${ISSUED_OF_J} > $6::timestamptz - interval '3 days' THEN random() < 0.5 ELSE random() < 0.005 END
          AS open,
        random() AS r2, random() AS r3, random() AS r4
      FROM (SELECT i, i / 11 AS j, i % 11 AS k FROM generate_series($1::bigint, $2::bigint - 1) i) ij
    ) g
  ) s
) t`;

interface Timing {
  read: string;
  path: string;
  medianMs: number;
  maxMs: number;
  runs: number;
}

export async function runReadModelBench(options: {
  requests: number;
  runs: number;
  refill: boolean;
  outDir: string;
}) {
  const env = {
    ...process.env,
    HUB_NAMESPACE: NAMESPACE,
    HUB_TOPIC_PREFIX: `${NAMESPACE}.`,
    LOG_LEVEL: 'warn',
    ...ANY_FREE_PORTS,
  };
  const logger = createLogger({ service: 'bench-read-model', level: 'warn' });
  const app = buildApp(loadConfig(env), { logger, clock: systemClock });
  const now = new Date();
  await app.start();
  const pool = app.runtime.pool;
  const figures: Record<string, unknown> = { requests: options.requests, at: now.toISOString() };
  try {
    const have = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM requests')).rows[0]!.n);
    if (have !== options.requests || options.refill) {
      figures.fillSeconds = await fill(pool, options.requests, now);
    } else
      console.log(`read-model: ${have.toLocaleString()} requests already there (--refill to start over)`);
    const sample = (
      await pool.query<{ case_no: string; notice_no: string; court_code: string }>(
        `SELECT case_no, notice_no, court_code FROM notices ORDER BY id OFFSET (SELECT count(*) / 3 FROM notices) LIMIT 1`,
      )
    ).rows[0]!;
    const year = now.getUTCFullYear() - 1;
    const reads: [string, string][] = [
      ['yearly statistics, all courts', `/v1/ops/reports/yearly?year=${year}`],
      [
        'yearly statistics, one court',
        `/v1/ops/reports/yearly?year=${year}&court=${encodeURIComponent(sample.court_code)}`,
      ],
      ['agency report, a year', `/v1/ops/reports/agencies?from=${year}-01-01&to=${year}-12-31`],
      ['agency report, a quarter', `/v1/ops/reports/agencies?from=${year}-07-01&to=${year}-09-30`],
      ['agency report, a month', `/v1/ops/reports/agencies?from=${year}-03-01&to=${year}-03-31`],
      ['agency report, Jan 2 – Dec 30', `/v1/ops/reports/agencies?from=${year}-01-02&to=${year}-12-30`],
      ['agency report, 24 days', `/v1/ops/reports/agencies?from=${year}-05-17&to=${year}-06-09`],
      ['agency report, this quarter', '/v1/ops/reports/agencies'],
      ['console agency panel, 30 days', '/v1/ops/agencies'],
      ['console agency panel, 366 days', '/v1/ops/agencies?days=366'],
      ['search by case number', `/v1/ops/notices?q=${encodeURIComponent(sample.case_no)}`],
      ['search by notice number', `/v1/ops/notices?q=${encodeURIComponent(sample.notice_no)}`],
      ['search, newest (no query)', '/v1/ops/notices'],
      ['breach list', '/v1/ops/breaches'],
      ['/metrics', '/metrics'],
    ];
    const timings: Timing[] = [];
    for (const [read, path] of reads) timings.push(await time(app, read, path, options.runs));
    timings.push(...(await courtListTimings(app, sample, options.runs)));
    printTimings(timings);
    figures.reads = timings;
    figures.apply = await applyRates(pool);
  } finally {
    await app.stop();
  }
  mkdirSync(options.outDir, { recursive: true });
  const file = `${options.outDir}/read-model-${options.requests}-${now.toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`read-model: figures in ${file}`);
}

/**
 * The court API's list (GET /v1/notices) as the gateway asks the tracker for it (gRPC ListNotices): one court's
 * newest page, its breached or completed notices, one case's, and a later page by its cursor.
 */
async function courtListTimings(
  app: ReturnType<typeof buildApp>,
  sample: { case_no: string; court_code: string },
  runs: number,
): Promise<Timing[]> {
  const client = new TrackerServiceClient(`127.0.0.1:${app.grpcPort}`, credentials.createInsecure());
  const list = (r: Partial<TrackerServiceListNoticesRequest>) =>
    new Promise<TrackerServiceListNoticesResponse>((resolve, reject) =>
      client.listNotices(
        {
          courtCode: sample.court_code,
          caseNo: '',
          status: '',
          limit: 20,
          afterIssuedAt: '',
          afterId: '',
          ...r,
        },
        new Metadata(),
        (err, res) => (err || !res ? reject(err) : resolve(res)),
      ),
    );
  try {
    // A page deep in the court's list: after up to 50 pages of 100 (its last page where it has fewer).
    let after = { afterIssuedAt: '', afterId: '' };
    for (let i = 0; i < 50; i++) {
      const page = await list({ limit: 100, ...after });
      if (!page.nextAfterId) break;
      after = { afterIssuedAt: page.nextAfterIssuedAt, afterId: page.nextAfterId };
    }
    const court = `court=${sample.court_code}`;
    const cases: [string, string, Partial<TrackerServiceListNoticesRequest>][] = [
      ['court list, newest (GET /v1/notices)', `ListNotices ${court}`, {}],
      ['court list, a page deep (cursor)', `ListNotices ${court} cursor`, after],
      ['court list, breached', `ListNotices ${court} breached=true`, { breached: true }],
      ['court list, completed', `ListNotices ${court} status=completed`, { status: 'completed' }],
      ['court list, one case', `ListNotices ${court} caseNo`, { caseNo: sample.case_no }],
    ];
    const out: Timing[] = [];
    for (const [read, path, r] of cases) out.push(await timeCall(read, path, runs, () => list(r)));
    return out;
  } finally {
    client.close();
  }
}

type Pool = ReturnType<typeof buildApp>['runtime']['pool'];

const ROLLUP_TRIGGERS = [
  'requests_rollup_insert',
  'requests_rollup_update',
  'requests_rollup_delete',
  'notices_rollup_insert',
  'notices_rollup_update',
  'notices_rollup_delete',
];

async function fill(pool: Pool, requests: number, now: Date): Promise<number> {
  const started = performance.now();
  const notices = Math.ceil(requests / 11);
  const start = new Date(now.getTime() - 3 * 365 * 86_400_000);
  const span = (now.getTime() - 3_600_000 - start.getTime()) / 1000;
  const example = EXAMPLES.bank.freeze as { frozenFen: number };
  const client = await pool.connect();
  try {
    await client.query(`SET work_mem = '256MB'`);
    await client.query('SET synchronous_commit = off');
    await client.query(
      `TRUNCATE notices, requests, timeline, timers, rollup_requests_daily, rollup_requests_court_daily,
         rollup_answer_hist, rollup_answers_daily, rollup_backlog, rollup_listing_notices, rollup_notices_daily,
         notice_agencies, rollup_notice_agencies, rollup_requests_monthly, rollup_requests_court_monthly,
         rollup_notices_monthly, rollup_notice_agencies_monthly`,
    );
    // Not written ahead: a bench fill, and the shared machine's disk. The reads are the same on either.
    await client.query('ALTER TABLE requests SET UNLOGGED');
    await client.query('ALTER TABLE notices SET UNLOGGED');
    // The rows go in without the rollup triggers and the rollups are rebuilt once at the end, by the template the
    // triggers share (tracker_rebuild_rollups): 10 million rows row-by-trigger took hours. What the triggers cost
    // the projection is measured below (applyRates).
    for (const t of ROLLUP_TRIGGERS)
      await client.query(`ALTER TABLE ${t.split('_')[0]} DISABLE TRIGGER ${t}`);
    const params = (lo: number, hi: number) => [lo, hi, start, span, notices, now];
    for (let lo = 0; lo < notices; lo += CHUNK) {
      await client.query(FILL_NOTICES, params(lo, Math.min(notices, lo + CHUNK)));
    }
    console.log(
      `read-model: ${notices.toLocaleString()} notices in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    for (let lo = 0; lo < requests; lo += CHUNK) {
      const hi = Math.min(requests, lo + CHUNK);
      await client.query(FILL_REQUESTS, [...params(lo, hi), JSON.stringify(example), example.frozenFen]);
      const s = (performance.now() - started) / 1000;
      console.log(`read-model: ${hi.toLocaleString()} requests in ${s.toFixed(0)} s`);
    }
    for (const t of ROLLUP_TRIGGERS) await client.query(`ALTER TABLE ${t.split('_')[0]} ENABLE TRIGGER ${t}`);
    await client.query('SELECT tracker_rebuild_rollups()');
    console.log(`read-model: rollups rebuilt in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // Every table of the schema, as autovacuum leaves a database in service: statistics for the planner, the
    // visibility map for index-only scans, hint bits set (the first reads after a bulk load otherwise pay for them:
    // the newest-notices search took 425 ms a run right after a 2-million fill and 2 ms once vacuumed).
    const { rows: tables } = await client.query<{ t: string }>(
      `SELECT quote_ident(tablename) AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
    );
    for (const { t } of tables) await client.query(`VACUUM (ANALYZE) ${t}`);
    console.log(
      `read-model: vacuumed and analyzed in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    client.release();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`read-model: filled in ${seconds.toFixed(0)} s`);
  return Math.round(seconds);
}

async function time(
  app: ReturnType<typeof buildApp>,
  read: string,
  path: string,
  runs: number,
): Promise<Timing> {
  return timeCall(read, path, runs, async () => {
    const res = await app.http.inject({ url: path });
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  });
}

async function timeCall(
  read: string,
  path: string,
  runs: number,
  call: () => Promise<unknown>,
): Promise<Timing> {
  const ms: number[] = [];
  // One untimed run first: the first statement of a connection plans cold.
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    await call();
    const took = performance.now() - t;
    if (i > 0) ms.push(took);
  }
  ms.sort((a, b) => a - b);
  return {
    read,
    path,
    medianMs: round(ms[Math.floor(ms.length / 2)]!),
    maxMs: round(ms[ms.length - 1]!),
    runs,
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

function printTimings(timings: Timing[]) {
  const w = Math.max(...timings.map((t) => t.read.length));
  console.log(`\n${'read'.padEnd(w)}  median ms     max ms`);
  for (const t of timings) {
    console.log(`${t.read.padEnd(w)}  ${String(t.medianMs).padStart(9)}  ${String(t.maxMs).padStart(9)}`);
  }
  console.log('');
}

/**
 * Events applied per second by the projection over the filled read model, in batches of 500 as a fetch brings
 * them: each notice issued, its 10 requests dispatched, delivered, then answered. With the rollup triggers, then
 * without (their rollup rows are then applied as the triggers would have).
 */
async function applyRates(pool: Pool) {
  const out: Record<string, number> = {};
  let seq = 0;
  const at = eventFactory({ producer: 'bench', topicPrefix: `${NAMESPACE}.`, now: () => new Date() });
  const batchOf = () => {
    const events: ConsumedEvent[] = [];
    const ids: string[] = [];
    const noticeIds: string[] = [];
    for (let n = 0; n < 12; n++) {
      const noticeId = `30000000-0000-4000-8000-${(++seq).toString(16).padStart(12, '0')}`;
      noticeIds.push(noticeId);
      const caseNo = `(2026)川0104执${900000 + seq}号`;
      const court = { code: '川0104', name: '成都市锦江区人民法院' };
      const push = (m: ReturnType<typeof at.event>) =>
        events.push({ envelope: m.envelope, topic: m.topic, partition: 0, offset: String(events.length) });
      push(
        at.event('notices', noticeId, 'noticeIssued', {
          noticeId,
          notice: {
            noticeNo: `${caseNo}-协01`,
            caseNo,
            court,
            measure: 'freeze',
            targets: [],
            legalBasis: '',
            issuedAt: new Date().toISOString(),
            confirmWarnings: [],
          },
          receivedAt: new Date(),
        }),
      );
      for (let r = 0; r < 10; r++) {
        const requestId = `40000000-0000-4000-8000-${(++seq).toString(16).padStart(12, '0')}`;
        ids.push(requestId);
        const who = {
          requestId,
          noticeId,
          agency: 'bank',
          institution: `bank-${String(1 + r).padStart(2, '0')}`,
        };
        push(
          at.event('requestsBank', noticeId, 'requestDispatched', {
            ...who,
            measure: 'freeze',
            caseNo,
            court,
            noticeNo: `${caseNo}-协01`,
            legalBasis: '',
          }),
        );
        push(at.event('progress', noticeId, 'requestDelivered', who));
        push(
          at.event('answers', noticeId, 'requestAnswered', {
            ...who,
            outcome: 'done',
            reason: '',
            resultJson: JSON.stringify(EXAMPLES.bank.freeze),
          }),
        );
      }
    }
    return { events, ids, noticeIds };
  };
  const run = async (label: string, batches: number) => {
    const all: { ids: string[]; noticeIds: string[] } = { ids: [], noticeIds: [] };
    let events = 0;
    const t = performance.now();
    for (let b = 0; b < batches; b++) {
      const batch = batchOf();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await project(client, batch.events);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      events += batch.events.length;
      all.ids.push(...batch.ids);
      all.noticeIds.push(...batch.noticeIds);
    }
    const rate = Math.round(events / ((performance.now() - t) / 1000));
    console.log(`read-model: projection ${label}: ${rate.toLocaleString()} events/s (${events} events)`);
    out[label] = rate;
    return all;
  };
  await run('with rollup triggers (warm-up)', 5);
  await run('with rollup triggers', 30);
  const triggers = [
    'requests_rollup_insert',
    'requests_rollup_update',
    'notices_rollup_insert',
    'notices_rollup_update',
  ];
  const tableOf = (t: string) => t.split('_')[0];
  for (const t of triggers) await pool.query(`ALTER TABLE ${tableOf(t)} DISABLE TRIGGER ${t}`);
  let without: { ids: string[]; noticeIds: string[] };
  try {
    without = await run('without rollup triggers', 30);
  } finally {
    for (const t of triggers) await pool.query(`ALTER TABLE ${tableOf(t)} ENABLE TRIGGER ${t}`);
  }
  // What the triggers would have done for those rows (all new): notices first, then their requests.
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const noticeSql = await client.query<{ s: string }>('SELECT tracker_notice_rollup_sql($1, true) AS s', [
      `SELECT 1 AS sign, * FROM notices WHERE id = ANY('{${without.noticeIds.join(',')}}'::uuid[])`,
    ]);
    await client.query(noticeSql.rows[0]!.s);
    const requestSql = await client.query<{ s: string }>('SELECT tracker_request_rollup_sql($1) AS s', [
      `SELECT 1 AS sign, * FROM requests WHERE id = ANY('{${without.ids.join(',')}}'::uuid[])`,
    ]);
    await client.query(requestSql.rows[0]!.s);
    await client.query('COMMIT');
    // Gone again (the rollup triggers take them out of the counts): the next run finds the schema filled to N and
    // reuses it instead of filling it again.
    await client.query(`DELETE FROM requests WHERE id >= '30000000-0000-0000-0000-000000000000'`);
    await client.query(`DELETE FROM notices WHERE id >= '30000000-0000-0000-0000-000000000000'`);
    // And vacuumed as autovacuum would in service, with the tables their triggers changed: their dead rows lie in
    // the newest days, which the console panel reads live (its 366 days took 338 ms right after these deletes and
    // 159 ms the run before, with 46,800 dead requests in that range).
    const { rows: tables } = await client.query<{ t: string }>(
      `SELECT quote_ident(relname) AS t FROM pg_stat_user_tables
       WHERE schemaname = current_schema() AND n_dead_tup > 0 ORDER BY 1`,
    );
    for (const { t } of tables) await client.query(`VACUUM (ANALYZE) ${t}`);
  } finally {
    client.release();
  }
  return out;
}
