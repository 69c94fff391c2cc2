import { Server } from '@grpc/grpc-js';
import { type FreezeDeductServiceServer, FreezeDeductServiceService } from '@hub/contracts';
import { type Clock, HubError } from '@hub/domain';
import type { EventFactory } from '@hub/messaging';
import { type Logger, unary } from '@hub/service-kit';
import type { Pool } from '@hub/store';
import { caseControls } from '../case-controls.js';
import { checkControls, checkResultOf } from '../control-admission.js';
import { makeFreezePlan } from '../freeze-plans.js';
import {
  answersOfRequest,
  caseReconciliation,
  hasControlNotice,
  reconciliationToResponse,
} from '../reconciliation.js';

/**
 * The freeze-deduct service's read API: a case's controls (the gateway serves them to courts as
 * /v1/cases/:caseNo/controls), and whether control notices may be accepted (asked before the gateway stores one);
 * plans (查冻扣一体) and reconciliation (对账) against the agencies' books the caller brings.
 */
export function createFreezeDeductGrpcServer(deps: {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  events: EventFactory;
}): Server {
  const impl: FreezeDeductServiceServer = {
    getCaseControls: unary(deps.logger, async (call) => {
      const { caseNo, courtCode } = call.request;
      const controls = await caseControls(deps.pool, caseNo, courtCode, deps.clock.now());
      if (!controls) throw new HubError('NOT_FOUND', [{ path: 'caseNo', code: 'NO_CONTROL_FOR_CASE' }]);
      return { controls };
    }),
    planFreeze: unary(deps.logger, (call) => makeFreezePlan(deps.pool, call.request, deps.clock.now(), deps)),
    checkControls: unary(deps.logger, async (call) => {
      const admissions = await checkControls(deps.pool, call.request.notices, deps.clock.now());
      return { results: admissions.map(checkResultOf) };
    }),
    reconcileCase: unary(deps.logger, async (call) => {
      const { caseNo, courtCode, answers } = call.request;
      // The same answer as GetCaseControls for a case this court has no control notice of (or another court's).
      if (!(await hasControlNotice(deps.pool, caseNo, courtCode)))
        throw new HubError('NOT_FOUND', [{ path: 'caseNo', code: 'NO_CONTROL_FOR_CASE' }]);
      const r = await caseReconciliation(deps.pool, { courtCode, caseNo }, answersOfRequest(answers));
      return reconciliationToResponse(r);
    }),
  };
  const server = new Server();
  server.addService(FreezeDeductServiceService, impl);
  return server;
}
