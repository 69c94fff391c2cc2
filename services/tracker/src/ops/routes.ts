import {
  type Clock,
  canonicalCaseNo,
  HubError,
  isUuid,
  optionalQueryInt,
  QUERY_INT_TEXT,
  queryInt,
  toValidationIssues,
} from '@hub/domain';
import type { Pool } from '@hub/store';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readNotice } from '../notice-view.js';
import { inSnapshot } from '../reports/snapshot.js';
import { consoleScript } from './console-bundle.js';
import { loadConsolePage } from './console-page.js';
import { agencyStats } from './sql/agency-stats.js';
import { caseRestrictions } from './sql/case-restrictions.js';
import { listBreaches } from './sql/list-breaches.js';
import { listDeadLetters, readDeadLetterValue } from './sql/list-dead-letters.js';
import { listExpiringHolds } from './sql/list-expiring-holds.js';
import { type LatePunishmentCursor, listLatePunishments } from './sql/list-late-punishments.js';
import { searchNotices } from './sql/search-notices.js';
import { latestTimelineId } from './sql/timeline-feed.js';
import { TimelineStream } from './timeline-stream.js';

export interface OpsDeps {
  pool: Pool;
  /** Hub time: "recent" late answers and answer-time windows are measured on it. */
  clock: Clock;
  /** How often each live stream reads the timeline; 500 ms unless a test says otherwise. */
  streamIntervalMs?: number;
}

const DAY_MS = 86_400_000;
/** Late answers stay on the breach list this long after they came in. */
const LATE_ANSWERS_SHOWN_DAYS = 7;
/** Lapsed holds stay on the expiring list this long after their deadline. */
const LAPSED_HOLDS_SHOWN_DAYS = 7;

const limit = (fallback: number, max: number) => queryInt(1, max, fallback);
const BreachesQuery = z.object({ limit: limit(200, 1000) });
const ExpiringHoldsQuery = z.object({ limit: limit(200, 1000) });
/** A page of late punishment confirmations resumes after `cursor`: the last row's deadline and request id. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~([0-9a-f-]{36})$/;
const LatePunishmentsQuery = z.object({
  limit: limit(50, 500),
  cursor: z
    .string()
    .refine(
      (c) => {
        const m = CURSOR.exec(c);
        return m !== null && isUuid(m[2]!) && !Number.isNaN(Date.parse(m[1]!));
      },
      { message: 'INVALID_CURSOR' },
    )
    .optional(),
});
const cursorOf = (c: LatePunishmentCursor) => `${c.dueAt.toISOString()}~${c.requestId}`;
const RestrictionsQuery = z.object({
  // In the one spelling the case's notices are stored under (canonicalCaseNo), whichever was typed.
  caseNo: z
    .string()
    .trim()
    .min(1)
    .max(100)
    // A case number or nothing: a word, a NUL or a lone surrogate is a 400 here as at the court API, not a query.
    .refine((s) => canonicalCaseNo(s) !== null, { message: 'INVALID_CASE_NO' })
    .transform((s) => canonicalCaseNo(s) ?? s),
});
const AgenciesQuery = z.object({ days: queryInt(1, 366, 30) });
const NoticesQuery = z.object({ q: z.string().trim().max(100).default(''), limit: limit(50, 200) });
const DeadLettersQuery = z.object({
  limit: limit(50, 500),
  /** A page's `nextBefore`: the dead letters older than that one. */
  before: optionalQueryInt(1, Number.MAX_SAFE_INTEGER),
});

const ISSUE_TEXT = {
  ...QUERY_INT_TEXT,
  INVALID_CURSOR: 'not a cursor this list returned (nextCursor)',
} as const;

function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success)
    throw new HubError('VALIDATION_FAILED', toValidationIssues(parsed.error.issues, query, ISSUE_TEXT));
  return parsed.data;
}

/** An EventSource resends the last `id:` it saw; anything else starts the stream at "now". */
function lastEventIdOf(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * The ops console (DESIGN §2, §6): `/` the page, `/v1/ops/...` its JSON API and live stream. Every
 * answer is read from the database, so any tracker instance serves the same console.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  const { pool, clock } = deps;
  const page = loadConsolePage();
  const streams = new Set<TimelineStream>();
  let closing = false;

  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', page.contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(page.html),
  );

  // The console's TypeScript, bundled once per process; the tracker does not start if it fails to build.
  const script = consoleScript();
  app.addHook('onReady', async () => void (await script));
  app.get('/console.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(await script),
  );

  app.get('/v1/ops/breaches', async (request) => {
    const q = parseQuery(BreachesQuery, request.query);
    const now = clock.now();
    const lateSince = new Date(now.getTime() - LATE_ANSWERS_SHOWN_DAYS * DAY_MS);
    return { asOf: now, breaches: await listBreaches(pool, { lateSince, limit: q.limit }) };
  });

  // Holds across all courts running out unless renewed (reminded of), soonest first; lapsed ones marked.
  app.get('/v1/ops/holds/expiring', async (request) => {
    const q = parseQuery(ExpiringHoldsQuery, request.query);
    const now = clock.now();
    const lapsedSince = new Date(now.getTime() - LAPSED_HOLDS_SHOWN_DAYS * DAY_MS);
    return { asOf: now, holds: await listExpiringHolds(pool, { now, lapsedSince, limit: q.limit }) };
  });

  // Who confirmed punishment notices late (or not yet, past the deadline), across courts, newest deadline first.
  app.get('/v1/ops/punishments/late', async (request) => {
    const q = parseQuery(LatePunishmentsQuery, request.query);
    const now = clock.now();
    const after = q.cursor
      ? { dueAt: new Date(q.cursor.slice(0, 24)), requestId: q.cursor.slice(25) }
      : undefined;
    const page = await listLatePunishments(pool, { now, limit: q.limit, after });
    return { asOf: now, late: page.rows, nextCursor: page.next ? cursorOf(page.next) : null };
  });

  app.get('/v1/ops/agencies', async (request) => {
    const q = parseQuery(AgenciesQuery, request.query);
    const now = clock.now();
    const since = new Date(now.getTime() - q.days * DAY_MS);
    // One snapshot: the counts and the percentiles agree; and the report's memory for the histogram sums.
    const agencies = await inSnapshot(pool, (db) => agencyStats(db, since));
    return { asOf: now, windowDays: q.days, agencies };
  });

  app.get('/v1/ops/notices', async (request) => {
    const q = parseQuery(NoticesQuery, request.query);
    return { notices: await searchNotices(pool, { q: q.q, now: clock.now(), limit: q.limit }) };
  });

  // A notice as the gateway reads it, plus (for the console) the restrictions in force on its case.
  app.get<{ Params: { id: string } }>('/v1/ops/notices/:id', async (request) => {
    const id = request.params.id;
    const now = clock.now();
    const view = isUuid(id) ? await readNotice(pool, id, now) : undefined;
    if (!view) throw new HubError('NOTICE_NOT_FOUND');
    return { ...view, restrictions: view.caseNo ? await caseRestrictions(pool, view.caseNo, now) : [] };
  });

  // The listings and restrictions in force on a case (from the punishment service's RestrictionsChanged).
  app.get('/v1/ops/restrictions', async (request) => {
    const q = parseQuery(RestrictionsQuery, request.query);
    const now = clock.now();
    return { asOf: now, caseNo: q.caseNo, restrictions: await caseRestrictions(pool, q.caseNo, now) };
  });

  app.get('/v1/ops/dead-letters', async (request) => {
    const q = parseQuery(DeadLettersQuery, request.query);
    return listDeadLetters(pool, q);
  });

  // The exact bytes of one dead letter (the list shows only the first few KiB), to re-publish once fixed.
  app.get<{ Params: { id: string } }>('/v1/ops/dead-letters/:id/value', async (request, reply) => {
    const id = request.params.id;
    const value = /^\d{1,15}$/.test(id) ? await readDeadLetterValue(pool, Number(id)) : undefined;
    if (value === undefined) throw new HubError('NOT_FOUND');
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="dead-letter-${id}.bin"`)
      .send(value ?? Buffer.alloc(0));
  });

  app.get('/v1/ops/stream', async (request, reply) => {
    const cursor = lastEventIdOf(request.headers['last-event-id']) ?? (await latestTimelineId(pool));
    // A stream opened after preClose ended the others would hold the closing server open.
    if (closing) throw new HubError('UNAVAILABLE');
    reply.hijack();
    const stream = new TimelineStream(
      reply.raw,
      {
        pool,
        log: request.log,
        intervalMs: deps.streamIntervalMs ?? 500,
        onClosed: () => streams.delete(stream),
      },
      cursor,
    );
    streams.add(stream);
    stream.open();
    return reply;
  });

  // Open streams would hold the server open forever: end them before fastify waits for its connections.
  app.addHook('preClose', async () => {
    closing = true;
    await Promise.all([...streams].map((s) => s.close()));
  });
}
