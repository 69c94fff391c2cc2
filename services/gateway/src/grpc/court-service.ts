import { type Metadata, Server } from '@grpc/grpc-js';
import {
  type CourtServiceServer,
  isMalformed,
  LenientCourtServiceService,
  noticeFromProto,
} from '@hub/contracts';
import { HubError } from '@hub/domain';
import { type Logger, unary } from '@hub/service-kit';
import type { TrackerClient } from '../adapters/tracker-client.js';
import type { CourtAuth } from '../auth.js';
import { listNotices } from '../notice-list.js';
import type { NoticeReader } from '../notice-reader.js';
import type { Submissions } from '../submissions.js';

/**
 * The gRPC mirror of the court REST API: same authentication, validation, storage and stable error
 * codes (in the `error-code` trailer, details as JSON in `error-details`).
 */
export function createCourtGrpcServer(deps: {
  auth: CourtAuth;
  submissions: Submissions;
  maxBatch: number;
  reader: NoticeReader;
  tracker: Pick<TrackerClient, 'listNotices'>;
  logger: Logger;
}): Server {
  const authorization = (md: Metadata) => String(md.get('authorization')[0] ?? '');

  const impl: CourtServiceServer = {
    submitNotice: unary(deps.logger, async (call) => {
      const court = deps.auth.authenticate(authorization(call.metadata));
      if (isMalformed(call.request)) throw malformedBody();
      const traceparent = String(call.metadata.get('traceparent')[0] ?? '');
      const input = noticeFromProto(call.request.notice ?? emptyNotice());
      const accepted = await deps.submissions.one(court, input, traceparent);
      return { id: accepted.id, duplicate: accepted.duplicate, warnings: accepted.warnings };
    }),
    submitNotices: unary(deps.logger, async (call) => {
      const court = deps.auth.authenticate(authorization(call.metadata));
      if (isMalformed(call.request)) throw malformedBody();
      const n = call.request.notices.length;
      if (n === 0 || n > deps.maxBatch) {
        throw new HubError('VALIDATION_FAILED', [{ path: 'notices', code: 'INVALID_BATCH' }]);
      }
      const traceparent = String(call.metadata.get('traceparent')[0] ?? '');
      // A notice whose bytes are no protobuf is refused alone; the others are submitted as usual.
      const decoded = call.request.notices.map((notice, index) => ({ notice, index }));
      const good = decoded.filter((d) => !isMalformed(d.notice));
      const submitted = await deps.submissions.many(
        court,
        good.map((d) => noticeFromProto(d.notice)),
        traceparent,
      );
      const byIndex = new Map(submitted.map((r, k) => [good[k]!.index, { ...r, index: good[k]!.index }]));
      const results = decoded.map(
        (d) =>
          byIndex.get(d.index) ?? {
            index: d.index,
            ok: false as const,
            error: { code: 'VALIDATION_FAILED', message: '', details: malformedBody().details },
          },
      );
      const accepted = results.filter((r) => r.ok).length;
      return {
        accepted,
        rejected: n - accepted,
        results: results.map((r) =>
          r.ok
            ? {
                index: r.index,
                ok: true,
                id: r.id,
                duplicate: r.duplicate,
                warnings: r.warnings,
                errorCode: '',
                errorDetailsJson: '',
              }
            : {
                index: r.index,
                ok: false,
                id: '',
                duplicate: false,
                warnings: [],
                errorCode: r.error.code,
                errorDetailsJson: JSON.stringify(r.error.details),
              },
        ),
      };
    }),
    getNotice: unary(deps.logger, async (call) => {
      const court = deps.auth.authenticate(authorization(call.metadata));
      return { notice: await deps.reader.get(call.request.id, court) };
    }),
    listNotices: unary(deps.logger, async (call) => {
      const court = deps.auth.authenticate(authorization(call.metadata));
      const r = call.request;
      // Validated as REST's query is: the same codes and field paths (an absent field is left out).
      const page = await listNotices(deps.tracker, court, {
        ...(r.caseNo ? { caseNo: r.caseNo } : {}),
        ...(r.status ? { status: r.status } : {}),
        ...(r.breached === undefined ? {} : { breached: String(r.breached) }),
        ...(r.limit ? { limit: String(r.limit) } : {}),
        ...(r.cursor ? { cursor: r.cursor } : {}),
      });
      return { notices: page.notices, nextCursor: page.nextCursor ?? '' };
    }),
  };
  const server = new Server();
  // Lenient: an int64 beyond the safe integers is that notice's 400, not the call's INTERNAL (lenient-notice.ts).
  server.addService(LenientCourtServiceService, impl);
  return server;
}

const malformedBody = () =>
  new HubError('VALIDATION_FAILED', [
    { path: '', code: 'MALFORMED_BODY', message: 'the request is not a protobuf message of its type' },
  ]);

const emptyNotice = () => ({
  noticeNo: '',
  caseNo: '',
  measure: '',
  targets: [],
  legalBasis: '',
  issuedAt: '',
  confirmWarnings: [],
});
