import { type Metadata, Server } from '@grpc/grpc-js';
import { type CourtServiceServer, CourtServiceService, noticeFromProto } from '@hub/contracts';
import { HubError, needsConfirmationOnly, validateNotice } from '@hub/domain';
import { type Logger, unary } from '@hub/service-kit';
import type { CourtAuth } from '../auth.js';
import type { NoticeReader } from '../notice-reader.js';
import type { NoticeWriter } from '../notice-writer.js';

/**
 * The gRPC mirror of the court REST API: same authentication, validation, storage and stable error
 * codes (in the `error-code` trailer, details as JSON in `error-details`).
 */
export function createCourtGrpcServer(deps: {
  auth: CourtAuth;
  writer: NoticeWriter;
  reader: NoticeReader;
  logger: Logger;
}): Server {
  const authorization = (md: Metadata) => String(md.get('authorization')[0] ?? '');

  const impl: CourtServiceServer = {
    submitNotice: unary(deps.logger, async (call) => {
      const court = deps.auth.authenticate(authorization(call.metadata));
      const validation = validateNotice(noticeFromProto(call.request.notice ?? emptyNotice()));
      if (!validation.ok) {
        throw new HubError(
          needsConfirmationOnly(validation.issues) ? 'CONFIRMATION_REQUIRED' : 'VALIDATION_FAILED',
          validation.issues,
        );
      }
      if (validation.value.court.code !== court) throw new HubError('FORBIDDEN', [{ path: 'court.code' }]);
      const traceparent = String(call.metadata.get('traceparent')[0] ?? '');
      const accepted = await deps.writer.submit(validation.value, validation.warnings, traceparent);
      return { id: accepted.id, duplicate: accepted.duplicate, warnings: validation.warnings };
    }),
    getNotice: unary(deps.logger, async (call) => {
      const court = deps.auth.authenticate(authorization(call.metadata));
      return { notice: await deps.reader.get(call.request.id, court) };
    }),
  };
  const server = new Server();
  server.addService(CourtServiceService, impl);
  return server;
}

const emptyNotice = () => ({
  noticeNo: '',
  caseNo: '',
  measure: '',
  targets: [],
  legalBasis: '',
  issuedAt: '',
  confirmWarnings: [],
});
