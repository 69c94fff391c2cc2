import { Server } from '@grpc/grpc-js';
import { type FreezeDeductServiceServer, FreezeDeductServiceService } from '@hub/contracts';
import { type Clock, HubError } from '@hub/domain';
import { type Logger, unary } from '@hub/service-kit';
import type { Pool } from '@hub/store';
import { caseControls } from '../case-controls.js';
import { makeFreezePlan } from '../freeze-plans.js';

/** The freeze-deduct service's read API (the gateway serves it to courts as /v1/cases/:caseNo/controls). */
export function createFreezeDeductGrpcServer(deps: { pool: Pool; clock: Clock; logger: Logger }): Server {
  const impl: FreezeDeductServiceServer = {
    getCaseControls: unary(deps.logger, async (call) => {
      const { caseNo, courtCode } = call.request;
      const controls = await caseControls(deps.pool, caseNo, courtCode, deps.clock.now());
      if (!controls) throw new HubError('NOT_FOUND', [{ path: 'caseNo', code: 'NO_CONTROL_FOR_CASE' }]);
      return { controls };
    }),
    planFreeze: unary(deps.logger, (call) => makeFreezePlan(deps.pool, call.request, deps.clock.now())),
  };
  const server = new Server();
  server.addService(FreezeDeductServiceService, impl);
  return server;
}
