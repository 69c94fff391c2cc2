import { Server, type ServiceError, type sendUnaryData, status } from '@grpc/grpc-js';
import { type TrackerServiceServer, TrackerServiceService } from '@hub/contracts';
import { type Clock, isUuid } from '@hub/domain';
import type { Logger } from '@hub/service-kit';
import type { Pool } from '@hub/store';
import { readNotice } from '../notice-view.js';

/** The tracker's read API for the gateway (and any other internal reader). */
export function createTrackerGrpcServer(deps: { pool: Pool; clock: Clock; logger: Logger }): Server {
  const impl: TrackerServiceServer = {
    getNotice: (call, callback: sendUnaryData<{ notice?: Awaited<ReturnType<typeof readNotice>> }>) => {
      if (!isUuid(call.request.id)) {
        callback({ code: status.NOT_FOUND, details: 'no such notice' } as ServiceError);
        return;
      }
      readNotice(deps.pool, call.request.id, deps.clock.now()).then(
        (notice) =>
          notice
            ? callback(null, { notice })
            : callback({ code: status.NOT_FOUND, details: 'no such notice' } as ServiceError),
        (err) => {
          deps.logger.error({ err }, 'getNotice failed');
          callback({ code: status.UNAVAILABLE, details: 'tracker store unavailable' } as ServiceError);
        },
      );
    },
  };
  const server = new Server();
  server.addService(TrackerServiceService, impl);
  return server;
}
