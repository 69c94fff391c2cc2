import { Server } from '@grpc/grpc-js';
import { type TrackerServiceServer, TrackerServiceService } from '@hub/contracts';
import { type Clock, HubError, isNoticeStatus, isUuid } from '@hub/domain';
import { type Logger, unary } from '@hub/service-kit';
import type { Pool } from '@hub/store';
import { COURT_LIST_MAX, isListPositionTime, listCourtNotices } from '../court-list.js';
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
    listNotices: unary(deps.logger, async (call) => {
      const r = call.request;
      // The gateway checks what a court sends; this is the internal contract, checked again (never trusted).
      const bad = (path: string) => new HubError('VALIDATION_FAILED', [{ path, code: 'INVALID_VALUE' }]);
      if (!r.courtCode) throw bad('courtCode');
      if (r.status && !isNoticeStatus(r.status)) throw bad('status');
      if (!Number.isInteger(r.limit) || r.limit < 1 || r.limit > COURT_LIST_MAX) throw bad('limit');
      const after = r.afterIssuedAt || r.afterId ? { issuedAt: r.afterIssuedAt, id: r.afterId } : undefined;
      if (after && (!isListPositionTime(after.issuedAt) || !isUuid(after.id))) throw bad('after');
      const page = await listCourtNotices(deps.pool, {
        court: r.courtCode,
        caseNo: r.caseNo || undefined,
        status: r.status && isNoticeStatus(r.status) ? r.status : undefined,
        breached: r.breached,
        limit: r.limit,
        after,
        now: deps.clock.now(),
      });
      return {
        notices: page.notices,
        nextAfterIssuedAt: page.next?.issuedAt ?? '',
        nextAfterId: page.next?.id ?? '',
      };
    }),
  };
  const server = new Server();
  server.addService(TrackerServiceService, impl);
  return server;
}
