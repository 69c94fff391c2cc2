import { canonicalCaseNo, HubError, isWireSafeText } from '@hub/domain';
import type { FastifyInstance } from 'fastify';
import { type ControlsClient, controlsToBody } from '../adapters/controls-client.js';
import { type PunishmentClient, restrictionsToBody } from '../adapters/punishment-client.js';
import { type QueryClient, reportToBody } from '../adapters/query-client.js';
import type { TrackerClient } from '../adapters/tracker-client.js';
import type { CourtAuth } from '../auth.js';
import type { FreezePlans } from '../freeze-plans.js';
import { listNotices, noticeSummaryToBody } from '../notice-list.js';
import { type NoticeReader, statusOfResubmitted, toBody } from '../notice-reader.js';
import { reconcileCase } from '../reconciliation.js';
import type { Submissions } from '../submissions.js';
import {
  FREEZE_PLAN_DOCS,
  NOTICE_DOCS,
  NOTICE_LIST_DOCS,
  RECONCILIATION_DOCS,
  RESTRICTIONS_DOCS,
} from './openapi.js';
import { type PublicRouteDeps, registerPublicRoutes } from './public-routes.js';

export interface RouteDeps {
  auth: CourtAuth;
  punishment: PunishmentClient;
  submissions: Submissions;
  maxBatch: number;
  reader: NoticeReader;
  tracker: TrackerClient;
  query: QueryClient;
  controls: ControlsClient;
  freezePlans: FreezePlans;
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The court the credentials act for; set on court routes only, before any handler runs. */
    court: string;
  }
}

/**
 * The gateway's API: court routes, every one behind court authentication, and the public routes, which
 * answer without credentials by design. Nothing else is open but /healthz, /readyz, /metrics and
 * /openapi.json (service-kit): a route added to the court API cannot forget to authenticate.
 */
export function registerRoutes(app: FastifyInstance, deps: RouteDeps & PublicRouteDeps): void {
  app.decorateRequest('court', '');
  void app.register(async (court) => {
    // Bearer key → court, before the body is read: 401 UNAUTHENTICATED otherwise.
    court.addHook('onRequest', async (request) => {
      request.court = deps.auth.authenticate(request.headers.authorization);
    });
    registerCourtRoutes(court, deps);
  });
  void app.register(async (open) => registerPublicRoutes(open, deps));
}

/** Court API v1 (DESIGN §6); the court is authenticated already (registerRoutes). */
function registerCourtRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v1/notices', { schema: NOTICE_DOCS }, async (request, reply) => {
    const { court } = request;
    const accepted = await deps.submissions.one(court, request.body, header(request.headers.traceparent));
    return reply.code(202).send({
      id: accepted.id,
      status: accepted.duplicate ? await statusOfResubmitted(deps.reader, accepted.id, court) : 'issued',
      duplicate: accepted.duplicate,
      warnings: accepted.warnings,
    });
  });

  /** Batch filing: per-item results in order (200 even when some items fail; each says why). */
  app.post('/v1/notices/batch', async (request) => {
    const { court } = request;
    const body = request.body as { notices?: unknown } | undefined;
    const notices = body?.notices;
    if (!Array.isArray(notices) || notices.length === 0 || notices.length > deps.maxBatch) {
      throw new HubError('VALIDATION_FAILED', [
        { path: 'notices', code: 'INVALID_BATCH', message: `an array of 1..${deps.maxBatch} notices` },
      ]);
    }
    const results = await deps.submissions.many(court, notices, header(request.headers.traceparent));
    const accepted = results.filter((r) => r.ok).length;
    return { accepted, rejected: results.length - accepted, results };
  });

  /** The court's notices, newest first, a page at a time (keyset: `nextCursor`), filtered by case, status, breach. */
  app.get('/v1/notices', { schema: NOTICE_LIST_DOCS }, async (request) => {
    const page = await listNotices(deps.tracker, request.court, request.query);
    return { notices: page.notices.map(noticeSummaryToBody), nextCursor: page.nextCursor };
  });

  app.get<{ Params: { id: string } }>('/v1/notices/:id', async (request) => {
    const { court } = request;
    return toBody(await deps.reader.get(request.params.id, court));
  });

  /** 财产报告: everything found for the case's debtors, per agency, totals in fen; partial results included. */
  app.get<{ Params: { caseNo: string } }>('/v1/cases/:caseNo/property-report', async (request) => {
    const { court } = request;
    const caseNo = checkedCaseNo(request.params.caseNo);
    return reportToBody(await deps.query.propertyReport(caseNo, court));
  });

  /** 控制措施: every hold the hub placed for the court's case, with state, term and money; pending requests. */
  app.get<{ Params: { caseNo: string } }>('/v1/cases/:caseNo/controls', async (request) => {
    const { court } = request;
    const caseNo = checkedCaseNo(request.params.caseNo);
    return controlsToBody(await deps.controls.caseControls(caseNo, court));
  });

  /**
   * 惩戒措施: the case's listings and restrictions on the debtor and the persons bound with it, each with who
   * was told of it and of its removal, and when each confirmed (late or not). Only the court of the case.
   */
  app.get<{ Params: { caseNo: string } }>(
    '/v1/cases/:caseNo/restrictions',
    { schema: RESTRICTIONS_DOCS },
    async (request) => {
      const caseNo = checkedCaseNo(request.params.caseNo);
      return restrictionsToBody(await deps.punishment.caseRestrictions(caseNo, request.court));
    },
  );

  /**
   * 对账: the case's holds against each institution's books as its latest query answer showed them; the
   * discrepancies by kind, and what could not be checked.
   */
  app.get<{ Params: { caseNo: string } }>(
    '/v1/cases/:caseNo/reconciliation',
    { schema: RECONCILIATION_DOCS },
    async (request) => {
      const { court } = request;
      const caseNo = checkedCaseNo(request.params.caseNo);
      return reconcileCase(deps.query, deps.controls, court, caseNo, deps.now);
    },
  );

  /**
   * 查冻扣一体: freeze across the accounts the property report found, largest free balances first, up to what
   * is owed (and seal every unit and vehicle when asked). 202 with the issued notices; 200 with an empty plan
   * and its reason when nothing is free to freeze.
   */
  app.post<{ Params: { caseNo: string } }>(
    '/v1/cases/:caseNo/freeze-plan',
    { schema: FREEZE_PLAN_DOCS },
    async (request, reply) => {
      const { court } = request;
      const caseNo = checkedCaseNo(request.params.caseNo);
      const plan = await deps.freezePlans.plan(
        court,
        caseNo,
        request.body,
        header(request.headers['idempotency-key']),
      );
      return reply.code(plan.notices.length > 0 ? 202 : 200).send(plan);
    },
  );
}

/**
 * What no case number can be is refused here, before it reaches a measure service's SQL; a case number is looked
 * up in the one spelling notices are stored under (canonicalCaseNo: full-width brackets, padding, spaces).
 */
function checkedCaseNo(caseNo: string): string {
  // Every stored notice's case number parses (the notice schema refuses any other), so what does not is a 400, not
  // a case with nothing in it (404).
  // canonicalCaseNo is null exactly for what does not parse as a case number (one parse, not two).
  const canonical = isWireSafeText(caseNo) && caseNo.length <= 64 ? canonicalCaseNo(caseNo) : null;
  if (canonical === null) {
    throw new HubError('VALIDATION_FAILED', [
      { path: 'caseNo', code: 'INVALID_CASE_NO', message: 'not a case number (案号)' },
    ]);
  }
  return canonical;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
