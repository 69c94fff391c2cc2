import { Server } from '@grpc/grpc-js';
import { type QueryServiceServer, QueryServiceService } from '@hub/contracts';
import { type Clock, HubError } from '@hub/domain';
import { type Logger, unary } from '@hub/service-kit';
import type { Pool } from '@hub/store';
import { propertyReport } from '../property-report.js';

/** The query service's read API (the gateway serves it to courts as /v1/cases/:caseNo/property-report). */
export function createQueryGrpcServer(deps: { pool: Pool; clock: Clock; logger: Logger }): Server {
  const impl: QueryServiceServer = {
    getPropertyReport: unary(deps.logger, async (call) => {
      const { caseNo, courtCode } = call.request;
      const report = await propertyReport(deps.pool, caseNo, courtCode, deps.clock.now());
      if (!report) throw new HubError('NOT_FOUND', [{ path: 'caseNo', code: 'NO_INQUIRY_FOR_CASE' }]);
      return { report };
    }),
  };
  const server = new Server();
  server.addService(QueryServiceService, impl);
  return server;
}
