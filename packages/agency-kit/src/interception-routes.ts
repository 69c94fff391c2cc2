import {
  HubError,
  isWireSafeText,
  toErrorBody,
  toValidationIssues,
  unknownFieldIssues,
  type ValidationIssue,
} from '@hub/domain';
import { subjectHash } from '@hub/interception';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AgencyAuth, VerifiedCaller } from './auth.js';
import type { InterceptionDesk } from './interception.js';
import {
  ACTIONS_OF,
  actionIssue,
  type InterceptionReport,
  type InterceptionReports,
  interceptionReportBatchSchema,
  interceptionReportSchema,
  type StoredReport,
} from './interception-reports.js';
import { ROUTE_DOCS } from './openapi.js';
import { parseSubjectId, SUBJECT_ID_ISSUE_TEXT } from './subject-id.js';
import { check, stringField } from './validate.js';

export const MAX_IDS_PER_CHECK = 1000;
/** Seconds a partner should wait before asking again while the projection is rebuilt. */
export const INTERCEPTION_RETRY_AFTER_S = 5;

export interface InterceptionRouteDeps {
  auth: AgencyAuth;
  desk: InterceptionDesk;
  reports: InterceptionReports;
  /** Who signed the call; its nonce is not yet consumed on these routes (see `deferNonce`). */
  caller: (request: FastifyRequest) => VerifiedCaller;
  /** Counts subjects checked (metrics), by whether they were restricted. */
  counted?: (checked: number, restricted: number) => void;
}

/** Clock skew allowed between a partner and the hub for `occurredAt` (as for signature timestamps). */
const FUTURE_SLACK_MS = 5 * 60_000;

/** Route config: the signature is verified before the handler, the nonce consumed by the handler itself. */
export const DEFER_NONCE = { deferNonce: true } as const;

const issue = (path: string, code: keyof typeof SUBJECT_ID_ISSUE_TEXT | string, message: string) => ({
  path,
  code,
  message,
});

/** The keys of a JSON object body, or an issue naming what is wrong with it. */
function objectBody(body: unknown, allowed: string): ValidationIssue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [issue('', 'INVALID_TYPE', 'the body must be a JSON object')];
  const unknown: string[] = [];
  for (const key in body) {
    if (key !== allowed) unknown.push(isWireSafeText(key) ? key : JSON.stringify(key));
  }
  return unknownFieldIssues([], unknown);
}

/**
 * Unverified IDs (digits failing both the resident-ID and the credit-code check) the hub holds no standing for:
 * mistyped resident IDs, refused like any other (the call's nonce is already spent with the read). One the hub
 * holds is a pilot credit code a court listed after confirming its failed check, and is answered.
 */
function unknownUnverified(indices: readonly number[], at: string): HubError {
  return new HubError(
    'VALIDATION_FAILED',
    indices.map((i) => unverifiedIssue(at === 'ids' ? `ids.${i}` : at)),
  );
}

const unverifiedIssue = (path: string) =>
  issue(path, 'INVALID_RESIDENT_ID', SUBJECT_ID_ISSUE_TEXT.INVALID_RESIDENT_ID);

function unavailable(reply: FastifyReply) {
  return reply
    .code(503)
    .header('retry-after', String(INTERCEPTION_RETRY_AFTER_S))
    .send(toErrorBody(new HubError('INTERCEPTION_UNAVAILABLE')));
}

/**
 * Interception (DESIGN §6): checks of one ID or up to 1,000, answered from the Redis projection in one round
 * trip (the call's nonce rides along), and the partner's reports of what it blocked. IDs travel only in
 * bodies, never in URLs, and are never logged.
 */
export function registerInterceptionRoutes(app: FastifyInstance, deps: InterceptionRouteDeps): void {
  const { auth, desk, caller } = deps;
  /** A refused call still spends its nonce: a replay of it is a replay, whatever its body. */
  const refuse = async (request: FastifyRequest, issues: ValidationIssue[]): Promise<never> => {
    await auth.consumeNonce(caller(request));
    throw new HubError('VALIDATION_FAILED', issues);
  };

  app.post(
    '/v1/agency/interception/check',
    { schema: ROUTE_DOCS.interceptionCheck, config: DEFER_NONCE },
    async (request, reply) => {
      const who = caller(request);
      const body = request.body as { id?: unknown } | undefined;
      const shape = objectBody(body, 'id');
      if (shape.length > 0) return refuse(request, shape);
      const id = parseSubjectId(body!.id);
      if (!id.ok) {
        const code = body!.id === undefined ? 'REQUIRED' : id.code;
        return refuse(request, [
          issue('id', code, code === 'REQUIRED' ? 'required' : SUBJECT_ID_ISSUE_TEXT[id.code]),
        ]);
      }
      const outcome = await desk.check([id.id], auth.nonceOf(who));
      if (!outcome.ready) return unavailable(reply);
      if (id.unverified && !outcome.known[0]) throw unknownUnverified([0], 'id');
      const answer = outcome.answers[0]!;
      deps.counted?.(1, answer.restricted ? 1 : 0);
      return { restricted: answer.restricted, checkedAt: outcome.at.toISOString(), entries: answer.entries };
    },
  );

  app.post(
    '/v1/agency/interception/checks',
    { schema: ROUTE_DOCS.interceptionChecks, config: DEFER_NONCE },
    async (request, reply) => {
      const who = caller(request);
      const body = request.body as { ids?: unknown } | undefined;
      const shape = objectBody(body, 'ids');
      if (shape.length > 0) return refuse(request, shape);
      const raw = body!.ids;
      if (!Array.isArray(raw))
        return refuse(request, [
          issue('ids', raw === undefined ? 'REQUIRED' : 'INVALID_TYPE', 'ids must be an array of IDs'),
        ]);
      if (raw.length === 0) return refuse(request, [issue('ids', 'TOO_SHORT', 'at least one ID')]);
      if (raw.length > MAX_IDS_PER_CHECK)
        return refuse(request, [issue('ids', 'TOO_LONG', `at most ${MAX_IDS_PER_CHECK} IDs per call`)]);
      const ids: string[] = new Array(raw.length);
      const bad: ValidationIssue[] = [];
      const unverified: number[] = [];
      for (let i = 0; i < raw.length; i++) {
        const r = parseSubjectId(raw[i]);
        if (r.ok) {
          ids[i] = r.id;
          if (r.unverified) unverified.push(i);
        } else bad.push(issue(`ids.${i}`, r.code, SUBJECT_ID_ISSUE_TEXT[r.code]));
      }
      // All or nothing: a batch with one bad ID answers none, so no answer is ever taken for the wrong person. Its
      // unverified IDs are looked up too, so that the refusal names every bad one.
      if (bad.length > 0) {
        if (unverified.length > 0) {
          const looked = await desk.check(unverified.map((i) => ids[i]!));
          if (looked.ready)
            unverified.forEach((i, k) => {
              if (!looked.known[k]) bad.push(unverifiedIssue(`ids.${i}`));
            });
          bad.sort((a, b) => Number(a.path.slice(4)) - Number(b.path.slice(4)));
        }
        return refuse(request, bad);
      }
      const outcome = await desk.check(ids, auth.nonceOf(who));
      if (!outcome.ready) return unavailable(reply);
      const unknown = unverified.filter((i) => !outcome.known[i]);
      if (unknown.length > 0) throw unknownUnverified(unknown, 'ids');
      let restricted = 0;
      const results = outcome.answers.map((a, index) => {
        if (a.restricted) restricted += 1;
        return { index, restricted: a.restricted, entries: a.entries };
      });
      deps.counted?.(ids.length, restricted);
      return { checkedAt: outcome.at.toISOString(), results };
    },
  );

  /**
   * One report: checked against the subject's standing (the entry must be one this agency kind acts on, and have
   * bound the subject when the block was made: in force now, or ended since, within the punishment service's report
   * window), unless it repeats a stored one, which is answered as it was whatever the standing.
   */
  const recordOne = async (
    who: VerifiedCaller,
    report: InterceptionReport,
    at: string,
  ): Promise<StoredReport> => {
    // Evidence of a block that has not happened yet is no evidence.
    if (Date.parse(report.occurredAt) > desk.now().getTime() + FUTURE_SLACK_MS)
      throw new HubError('VALIDATION_FAILED', [
        issue(`${at}occurredAt`, 'IN_THE_FUTURE', 'occurredAt is later than now'),
      ]);
    const hash = subjectHash(report.id);
    const earlier = await deps.reports.earlier(who.institution, report, hash);
    if (earlier) return earlier;
    const found = await desk.entryForReport(report.id, report.entryId);
    if (!found.ready) throw new HubError('INTERCEPTION_UNAVAILABLE');
    // An unverified ID (digits failing both checks) is a pilot credit code only when the hub holds it.
    const parsed = parseSubjectId(report.id);
    if (!found.known && parsed.ok && parsed.unverified) throw unknownUnverified([0], `${at}id`);
    const entry = found.entry;
    if (!entry)
      throw new HubError(
        'RESTRICTION_NOT_FOUND',
        [{ path: `${at}entryId`, code: 'NOT_IN_FORCE' }],
        'No restriction with this entryId binds this subject now or did lately, or it is not one your agency kind acts on.',
      );
    // One removed or run out since: the block counts if it was made while the restriction bound.
    if (found.endedAt !== undefined && Date.parse(report.occurredAt) >= Date.parse(found.endedAt))
      throw new HubError(
        'RESTRICTION_NOT_FOUND',
        [{ path: `${at}occurredAt`, code: 'NOT_IN_FORCE', endedAt: found.endedAt }],
        `The restriction stopped binding this subject at ${found.endedAt}, before occurredAt.`,
      );
    const wrongAction = actionIssue(desk.agency, report.action, entry.measure);
    if (wrongAction)
      throw new HubError('VALIDATION_FAILED', [
        issue(
          `${at}action`,
          wrongAction,
          wrongAction === 'ACTION_NOT_FOR_AGENCY'
            ? `a ${desk.agency} institution reports one of: ${ACTIONS_OF[desk.agency].join(', ')}`
            : 'an exit is blocked because of an exit restriction, and an exit restriction blocks nothing else',
        ),
      ]);
    // Nor is a block before the restriction existed (a year-0000 date, a block from last year): it would count
    // an interception the restriction cannot have caused.
    if (Date.parse(report.occurredAt) < Date.parse(entry.since))
      throw new HubError('VALIDATION_FAILED', [
        issue(
          `${at}occurredAt`,
          'BEFORE_RESTRICTION',
          `occurredAt is before the restriction took effect (${entry.since})`,
        ),
      ]);
    return deps.reports.record(who.institution, report, hash, entry, who.signature);
  };

  app.post('/v1/agency/interceptions', { schema: ROUTE_DOCS.interceptionReport }, async (request, reply) => {
    const who = caller(request);
    const report = check(interceptionReportSchema, request.body, [], SUBJECT_ID_ISSUE_TEXT);
    if (!report.ok) throw new HubError('VALIDATION_FAILED', report.issues);
    try {
      return reply.code(202).send(await recordOne(who, report.value, ''));
    } catch (err) {
      if (err instanceof HubError && err.code === 'INTERCEPTION_UNAVAILABLE') return unavailable(reply);
      throw err;
    }
  });

  app.post('/v1/agency/interceptions/batch', { schema: ROUTE_DOCS.interceptionReports }, async (request) => {
    const who = caller(request);
    const r = interceptionReportBatchSchema.safeParse(request.body);
    if (!r.success) throw new HubError('VALIDATION_FAILED', toValidationIssues(r.error.issues, request.body));
    const results: unknown[] = [];
    for (const [i, item] of r.data.reports.entries()) {
      const reportRef = stringField(item, 'reportRef');
      const one = check(interceptionReportSchema, item, ['reports', i], SUBJECT_ID_ISSUE_TEXT);
      if (!one.ok) {
        results.push({ reportRef, ok: false, code: 'VALIDATION_FAILED', details: one.issues });
        continue;
      }
      try {
        results.push({ ok: true, ...(await recordOne(who, one.value, `reports.${i}.`)) });
      } catch (err) {
        if (!(err instanceof HubError)) throw err;
        results.push({ reportRef, ok: false, code: err.code, details: err.details });
      }
    }
    return { results };
  });
}
