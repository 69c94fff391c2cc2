import { Server } from '@grpc/grpc-js';
import { type TrackerServiceServer, TrackerServiceService } from '@hub/contracts';
import { type Clock, HubError, isUuid } from '@hub/domain';
import { type Logger, unary } from '@hub/service-kit';
import type { Pool } from '@hub/store';
import { readNotice } from '../notice-view.js';

/** The tracker's read API for the gateway (and any other internal reader). */
export function createTrackerGrpcServer(deps: { pool: Pool; clock: Clock; logger: Logger }): Server {
  const impl: TrackerServiceServer = {
    getNotice: unary(deps.logger, async (call) => {
      const notice = isUuid(call.request.id)
        ? await readNotice(deps.pool, call.request.id, deps.clock.now())
        : undefined;
      if (!notice) throw new HubError('NOTICE_NOT_FOUND');
      return { notice };
    }),
  };
  const server = new Server();
  server.addService(TrackerServiceService, impl);
  return server;
}
