import {
  checkedIdempotencyKey,
  HubError,
  isErrorCode,
  isUuid,
  isWireSafeText,
  QUERY_INT_TEXT,
  queryBool,
  queryInt,
  toValidationIssues,
  UUID_PATTERN,
} from '@hub/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Answer, answerSchema } from './answers.js';
import type { AgencyAuth, VerifiedCaller } from './auth.js';
import { type HoldChangeReport, holdChangeBatchSchema, holdChangeSchema } from './hold-changes.js';
import type { HoldReports, ReportResult } from './hold-reports.js';
import { type Inbox, requestKey, throwIfFailed } from './inbox.js';
import { type InterceptionRouteDeps, registerInterceptionRoutes } from './interception-routes.js';
import { type LeaseWaiters, leaseWaiting } from './long-poll.js';
import { ROUTE_DOCS } from './openapi.js';
import { check, stringField } from './validate.js';

export interface AgencyRouteDeps {
  auth: AgencyAuth;
  inbox: Inbox;
  /** Leases waiting for work (`wait`), woken by the inbox listener, released at shutdown. */
  waiters: LeaseWaiters;
  holdReports: HoldReports;
  /** The result schema for a measure's answer; unknown measures get a generic object. */
  resultSchemaFor: (measure: string) => z.ZodType;
  /** Interception checks and reports (absent: not served). */
  interception?: Omit<InterceptionRouteDeps, 'auth' | 'caller'>;
}

const inboxQuery = z.strictObject({
  limit: queryInt(1, 500, 50),
  leaseSeconds: queryInt(5, 3600, 60),
  /** Long poll: seconds to wait for work when there is none now (0: answer at once). */
  wait: queryInt(0, 30, 0),
  /** 签收 with the lease: what it takes that is still pending or delivered is acknowledged by the same call. */
  acknowledge: queryBool(false),
});
const reuseQuery = z.strictObject({
  limit: queryInt(1, 500, 50),
  after: z.string().regex(UUID_PATTERN).optional(),
});
const ackBatch = z.strictObject({ requestIds: z.array(z.string().regex(UUID_PATTERN)).min(1).max(500) });
/** The batch envelope only: each answer in it is checked on its own (even one that is no object at all). */
const answerBatch = z.strictObject({
  answers: z.array(z.unknown()).min(1).max(500),
});

/** POST /v1/agency/answers's query: `lease=true` with the inbox's parameters leases the next batch too. */
const answersQuery = inboxQuery.extend({ lease: queryBool(false) });
const LEASE_PARAMS = ['limit', 'leaseSeconds', 'wait', 'acknowledge'] as const;

/** The lease an answers call asks for, or undefined; a lease parameter without `lease=true` is refused. */
function parseAnswersQuery(query: unknown): z.infer<typeof inboxQuery> | undefined {
  const { lease, ...q } = parseQuery(answersQuery, query);
  if (lease) return q;
  const given = LEASE_PARAMS.filter((k) => Object.hasOwn((query ?? {}) as object, k));
  if (given.length > 0) {
    throw new HubError(
      'VALIDATION_FAILED',
      given.map((k) => ({ path: k, code: 'INVALID_VALUE', message: 'applies only with lease=true' })),
    );
  }
  return undefined;
}

/**
 * A query string's parameters: each given once. A repeated one (`limit=1&limit=2`) arrives as an array, which the
 * schema would call a wrong type; it is named as repeated instead, with whatever else is wrong.
 */
function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const repeated = Object.entries((query ?? {}) as Record<string, unknown>)
    .filter(([, v]) => Array.isArray(v))
    .map(([k]) => ({ path: k, code: 'REPEATED', message: 'given more than once: give each parameter once' }));
  if (repeated.length === 0) return parse(schema, query);
  const rest = check(schema, query, [], QUERY_INT_TEXT);
  const others = rest.ok ? [] : rest.issues.filter((i) => !repeated.some((r) => r.path === i.path));
  throw new HubError('VALIDATION_FAILED', [...repeated, ...others]);
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = check(schema, input, [], QUERY_INT_TEXT);
  if (!r.ok) throw new HubError('VALIDATION_FAILED', r.issues);
  return r.value;
}

/** The batch envelope only: its items are checked one by one, so one bad item fails alone. */
function parseEnvelope<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new HubError('VALIDATION_FAILED', toValidationIssues(r.error.issues, input));
  return r.data;
}

/**
 * The agency API (DESIGN §6): inbox pull with a lease, acknowledge (签收), answer; single and batch; and
 * hold-change reports, sent on the agency's own initiative (single and batch).
 */
/** A request on an agency route: its raw body (for the signature's hash) and who signed it, once verified. */
type SignedRequest = FastifyRequest & {
  rawBody: Buffer | null;
  agencyCaller: VerifiedCaller | null;
  /** The body is not JSON: refused once the signature is verified, so an unsigned caller learns nothing first. */
  malformedBody: boolean;
};

const malformedBody = () =>
  new HubError('VALIDATION_FAILED', [{ path: '', code: 'MALFORMED_BODY', message: 'body is not JSON' }]);

/** Whether the request carries a body (a length above 0, or chunks). */
function hasBody(headers: FastifyRequest['headers']): boolean {
  const length = headers['content-length'];
  return (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
}
const EMPTY = Buffer.alloc(0);

export function registerAgencyRoutes(app: FastifyInstance, deps: AgencyRouteDeps): void {
  // Building a zod schema costs far more than using one: one answer schema per measure, made once.
  const answerSchemas = new Map<string, z.ZodType>();
  const answerSchemaFor = (measure: string) => {
    let schema = answerSchemas.get(measure);
    if (!schema) {
      schema = answerSchema(deps.resultSchemaFor(measure));
      answerSchemas.set(measure, schema);
    }
    return schema;
  };
  // Declared on the request's shape up front (fastify decorators), so setting them per call neither changes
  // its hidden class nor needs a side table: the interception checks run thousands of times a second.
  app.decorateRequest('rawBody', null);
  app.decorateRequest('agencyCaller', null);
  app.decorateRequest('malformedBody', false);
  // Every agency call is a signed document: the raw body is kept for its hash, then parsed.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    (request as SignedRequest).rawBody = body as Buffer;
    if ((body as Buffer).length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      // Not refused here, before the signature is checked: an unsigned call is 401 whatever its body.
      (request as SignedRequest).malformedBody = true;
      done(null, undefined);
    }
  });
  // Callback style, not async: the interception checks run this thousands of times a second.
  app.addHook('preHandler', (request, _reply, done) => {
    const route = request.routeOptions; // a getter that builds an object: read once
    // By route, not by raw URL: /v1/%61gency/… routes to the same handler and must be checked too.
    if (!route.url?.startsWith('/v1/agency/'))
      return done((request as SignedRequest).malformedBody ? malformedBody() : undefined);
    const raw = (request as SignedRequest).rawBody ?? EMPTY;
    // A body sent as anything but JSON (text/plain, or no type) was never read as the signed document: say so,
    // rather than a signature that cannot match.
    if (raw.length === 0 && hasBody(request.headers)) return done(new HubError('UNSUPPORTED_MEDIA_TYPE'));
    const malformed = (request as SignedRequest).malformedBody;
    // The interception checks consume the nonce in the same Redis round trip as their read.
    if ((route.config as { deferNonce?: boolean }).deferNonce === true) {
      let c: VerifiedCaller;
      try {
        c = deps.auth.authenticate(request.method, request.url, request.headers, raw);
      } catch (err) {
        return done(err as Error);
      }
      (request as SignedRequest).agencyCaller = c;
      if (!malformed) return done();
      // A refused call still spends its nonce: its replay is a replay, whatever its body.
      deps.auth.consumeNonce(c).then(
        () => done(malformedBody()),
        (err: Error) => done(err),
      );
      return;
    }
    deps.auth.verify(request.method, request.url, request.headers, raw).then(
      (c) => {
        (request as SignedRequest).agencyCaller = c;
        done(malformed ? malformedBody() : undefined);
      },
      (err: Error) => done(err),
    );
  });
  const caller = (request: FastifyRequest) => {
    const c = (request as SignedRequest).agencyCaller;
    if (!c) throw new HubError('UNAUTHENTICATED');
    return c;
  };
  const who = (request: FastifyRequest) => caller(request).institution;
  if (deps.interception) registerInterceptionRoutes(app, { ...deps.interception, auth: deps.auth, caller });

  /** The worker a lease is taken for (X-Agency-Worker), checked. */
  const workerOf = (request: FastifyRequest) => {
    const worker = String(request.headers['x-agency-worker'] ?? 'default').slice(0, 64);
    if (!isWireSafeText(worker)) {
      throw new HubError('VALIDATION_FAILED', [{ path: 'x-agency-worker', code: 'INVALID_VALUE' }]);
    }
    return worker;
  };

  /** A lease call's Idempotency-Key, if any: the same call repeated with it gets back what the first leased. */
  const leaseKeyOf = (request: FastifyRequest) => checkedIdempotencyKey(request.headers['idempotency-key']);

  /** Lease for `institution` as GET /v1/agency/inbox does, waiting up to `q.wait` seconds when nothing is open. */
  const leaseFor = async (
    reply: FastifyReply,
    institution: string,
    worker: string,
    q: z.infer<typeof inboxQuery>,
    key?: string,
  ) => {
    // A client already gone (an answers call cut off while its answers were stored) is leased nothing: what it took
    // would be hidden from the institution's other workers for the lease's length.
    if (reply.raw.socket?.destroyed) return [];
    // With a key, the lease first looks for what a call with it leased and still holds (the same call again after
    // its reply was lost): that comes back at once, without waiting or leasing more (Inbox.leaseOrExpiry).
    if (q.wait === 0)
      return deps.inbox.lease(institution, worker, q.limit, q.leaseSeconds, {
        acknowledge: q.acknowledge,
        key,
      });
    // An empty lease also reads when the institution's next lease expires: the wait that follows needs it.
    let expiry: number | null | undefined;
    const lease = async () => {
      const found = await deps.inbox.leaseOrExpiry(institution, worker, q.limit, q.leaseSeconds, {
        acknowledge: q.acknowledge,
        key,
      });
      expiry = found.items.length === 0 ? found.nextExpiryMs : undefined;
      return found.items;
    };
    // The client leaving ends the wait: nothing is leased to a socket nobody reads.
    const gone = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) gone.abort();
    };
    reply.raw.once('close', onClose);
    try {
      return await leaseWaiting({
        waiters: deps.waiters,
        institution,
        waitMs: q.wait * 1000,
        lease,
        nextLeaseExpiryMs: async () =>
          expiry === undefined ? deps.inbox.nextLeaseExpiryMs(institution) : expiry,
        signal: gone.signal,
      });
    } finally {
      reply.raw.off('close', onClose);
    }
  };

  app.get('/v1/agency/inbox', { schema: ROUTE_DOCS.inbox }, async (request, reply) => {
    const institution = who(request);
    const q = parseQuery(inboxQuery, request.query);
    const worker = workerOf(request);
    const key = leaseKeyOf(request);
    try {
      return { requests: await leaseFor(reply, institution, worker, q, key) };
    } catch (err) {
      if (err instanceof HubError && err.code === 'TOO_MANY_WAITERS') reply.header('retry-after', '1');
      throw err;
    }
  });

  /** Inquiries answered from this institution's earlier answer: it is not asked again, but it is told. */
  app.get('/v1/agency/reuse-records', { schema: ROUTE_DOCS.reuseRecords }, async (request) => {
    const institution = who(request);
    const q = parseQuery(reuseQuery, request.query);
    return { records: await deps.inbox.reuseRecords(institution, q.after, q.limit) };
  });

  app.post<{ Params: { id: string } }>(
    '/v1/agency/requests/:id/ack',
    { schema: ROUTE_DOCS.ack },
    async (request) => {
      const institution = who(request);
      if (!isUuid(request.params.id)) throw new HubError('REQUEST_NOT_FOUND');
      return throwIfFailed((await deps.inbox.acknowledge(institution, [request.params.id]))[0]!);
    },
  );

  app.post('/v1/agency/acks', { schema: ROUTE_DOCS.acks }, async (request) => {
    const institution = who(request);
    const body = parse(ackBatch, request.body);
    return { results: await deps.inbox.acknowledge(institution, body.requestIds) };
  });

  app.post<{ Params: { id: string } }>(
    '/v1/agency/requests/:id/answer',
    { schema: ROUTE_DOCS.answer },
    async (request) => {
      const institution = who(request);
      const id = request.params.id;
      if (!isUuid(id)) throw new HubError('REQUEST_NOT_FOUND');
      const refs = await deps.inbox.refs(institution, [id]);
      const measure = refs.get(requestKey(id))?.measure;
      if (!measure) throw new HubError('REQUEST_NOT_FOUND');
      const answer = parse(answerSchemaFor(measure), request.body) as Answer;
      return throwIfFailed(
        (
          await deps.inbox.answer(institution, [{ requestId: id, answer }], caller(request).signature, refs)
        )[0]!,
      );
    },
  );

  /**
   * Many answers at once; each item stands alone: one bad answer never sinks the others. Each item is
   * all-or-nothing (its answer and its RequestAnswered event commit together): `ok` means stored.
   */
  app.post('/v1/agency/answers', { schema: ROUTE_DOCS.answers }, async (request, reply) => {
    const institution = who(request);
    // Checked before anything is stored: a bad lease parameter refuses the call whole.
    const next = parseAnswersQuery(request.query);
    const worker = next ? workerOf(request) : '';
    const key = next ? leaseKeyOf(request) : undefined;
    const body = parseEnvelope(answerBatch, request.body);
    const requestIds = body.answers.map((a) => stringField(a, 'requestId'));
    const refs = await deps.inbox.refs(
      institution,
      requestIds.filter((id) => isUuid(id)),
    );
    // Results by position, not by request id: the same request may appear twice in one batch.
    const results: unknown[] = new Array(body.answers.length);
    const valid: { requestId: string; answer: Answer }[] = [];
    const validAt: number[] = [];
    for (const [i, item] of body.answers.entries()) {
      const requestId = requestIds[i]!;
      if (typeof item !== 'object' || item === null || Array.isArray(item) || !isUuid(requestId)) {
        const issue =
          typeof item !== 'object' || item === null || Array.isArray(item)
            ? { path: `answers.${i}`, code: 'INVALID_TYPE', message: 'an answer is an object' }
            : { path: `answers.${i}.requestId`, code: 'INVALID_FORMAT', message: 'not a request id (UUID)' };
        results[i] = { requestId, ok: false, code: 'VALIDATION_FAILED', details: [issue] };
        continue;
      }
      const { requestId: _id, ...rest } = item as Record<string, unknown>;
      const measure = refs.get(requestKey(requestId))?.measure;
      if (!measure) {
        results[i] = { requestId, ok: false, code: 'REQUEST_NOT_FOUND' };
        continue;
      }
      const r = check(answerSchemaFor(measure), rest, ['answers', i]);
      if (!r.ok) {
        results[i] = { requestId, ok: false, code: 'VALIDATION_FAILED', details: r.issues };
        continue;
      }
      valid.push({ requestId, answer: r.value as Answer });
      validAt.push(i);
    }
    const stored =
      valid.length > 0 ? await deps.inbox.answer(institution, valid, caller(request).signature, refs) : [];
    for (const [j, s] of stored.entries()) results[validAt[j]!] = s;
    if (!next) return { results };
    // `lease=true`: the next batch in the same call (one call per round instead of two). The answers are stored
    // whatever follows: where this institution already has its most waiting calls, the lease does not wait
    // rather than refuse a call whose answers went in.
    let requests: unknown[];
    try {
      requests = await leaseFor(reply, institution, worker, next, key);
    } catch (err) {
      if (!(err instanceof HubError && err.code === 'TOO_MANY_WAITERS')) throw err;
      requests = await leaseFor(reply, institution, worker, { ...next, wait: 0 }, key);
    }
    return { results, requests };
  });

  /** One hold-change report: 202 when stored (or already stored, the same), else the error it names. */
  app.post('/v1/agency/hold-changes', { schema: ROUTE_DOCS.holdChange }, async (request, reply) => {
    const institution = who(request);
    const report = parse(holdChangeSchema, request.body);
    const [result] = await deps.holdReports.record(institution, [report], caller(request).signature);
    if (!result!.ok)
      throw new HubError(isErrorCode(result!.code) ? result!.code : 'INTERNAL', result!.details ?? []);
    return reply.code(202).send(result);
  });

  /** Many reports at once; each is validated and stored on its own, its result says which. */
  app.post('/v1/agency/hold-changes/batch', { schema: ROUTE_DOCS.holdChanges }, async (request) => {
    const institution = who(request);
    const body = parseEnvelope(holdChangeBatchSchema, request.body);
    const results: ReportResult[] = new Array(body.reports.length);
    const valid: HoldChangeReport[] = [];
    const validAt: number[] = [];
    for (const [i, item] of body.reports.entries()) {
      const r = check(holdChangeSchema, item, ['reports', i]);
      if (!r.ok) {
        const reportId = stringField(item, 'reportId');
        results[i] = { reportId, ok: false, code: 'VALIDATION_FAILED', details: r.issues };
        continue;
      }
      valid.push(r.value);
      validAt.push(i);
    }
    const stored =
      valid.length > 0 ? await deps.holdReports.record(institution, valid, caller(request).signature) : [];
    for (const [j, s] of stored.entries()) results[validAt[j]!] = s;
    return { results };
  });
}
