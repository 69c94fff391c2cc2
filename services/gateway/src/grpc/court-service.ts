import { Metadata, Server, type ServiceError, type sendUnaryData } from '@grpc/grpc-js';
import { type CourtServiceServer, CourtServiceService, noticeFromProto } from '@hub/contracts';
import {
  type ErrorCode,
  grpcStatusOf,
  HubError,
  isHubError,
  needsConfirmationOnly,
  validateNotice,
} from '@hub/domain';
import type { Logger } from '@hub/service-kit';
import type { CourtAuth } from '../auth.js';
import type { NoticeReader } from '../notice-reader.js';
import type { NoticeWriter } from '../notice-writer.js';

/**
 * The gRPC mirror of the court REST API. Errors carry the same stable code as REST, in the
 * `error-code` trailer, with details as JSON in `error-details`.
 */
export function createCourtGrpcServer(deps: {
  auth: CourtAuth;
  writer: NoticeWriter;
  reader: NoticeReader;
  logger: Logger;
}): Server {
  const fail = (callback: sendUnaryData<never>, err: unknown) => {
    const hub = isHubError(err) ? err : new HubError('INTERNAL');
    if (!isHubError(err)) deps.logger.error({ err }, 'grpc call failed');
    const metadata = new Metadata();
    metadata.set('error-code', hub.code);
    metadata.set('error-details', JSON.stringify(hub.details));
    callback({ code: grpcStatusOf(hub.code as ErrorCode), details: hub.message, metadata } as ServiceError);
  };
  const authorization = (md: Metadata) => String(md.get('authorization')[0] ?? '');

  const impl: CourtServiceServer = {
    submitNotice: (call, callback) => {
      (async () => {
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
      })().then(
        (res) => callback(null, res),
        (err) => fail(callback as sendUnaryData<never>, err),
      );
    },
    getNotice: (call, callback) => {
      (async () => {
        const court = deps.auth.authenticate(authorization(call.metadata));
        return { notice: await deps.reader.get(call.request.id, court) };
      })().then(
        (res) => callback(null, res),
        (err) => fail(callback as sendUnaryData<never>, err),
      );
    },
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
