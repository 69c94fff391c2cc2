import {
  Metadata,
  type Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceError,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { HubError, isHubError } from '@hub/domain';
import type { Logger } from './logger.js';

/** Bind a gRPC server; resolves with the bound port (0 asks for any free one). */
export function bindGrpc(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

export function shutdownGrpc(server: Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Any thrown value as a gRPC error: the catalog's status for the code (mapped once, in @hub/domain), the
 * stable code in the `error-code` trailer and the details as JSON in `error-details`, exactly as REST
 * reports them. Anything not a HubError is logged and leaves as INTERNAL, leaking nothing.
 */
export function toGrpcError(err: unknown, logger: Logger): ServiceError {
  const hub = isHubError(err) ? err : new HubError('INTERNAL');
  if (!isHubError(err)) logger.error({ err }, 'grpc call failed');
  const metadata = new Metadata();
  metadata.set('error-code', hub.code);
  metadata.set('error-details', asciiJson(hub.details));
  return Object.assign(new Error(hub.message), { code: hub.grpcStatus, details: hub.message, metadata });
}

/**
 * JSON whose every character is printable ASCII, as gRPC requires of a metadata value: anything else (a
 * Chinese message, a NUL echoed from bad input) is written as a \uXXXX escape, which parses back the same.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Adapt an async handler to grpc-js's callback style, with errors mapped by toGrpcError. */
export function unary<Req, Res>(
  logger: Logger,
  handler: (call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    handler(call).then(
      (res) => callback(null, res),
      (err) => callback(toGrpcError(err, logger)),
    );
  };
}

/**
 * Channel options for the hub's internal gRPC clients. grpc-js backs off between reconnects up to 120 s by
 * default, and a call on a channel in backoff fails at once: after the punishment service was killed (-9) and
 * restarted, the gateway kept answering 503 UNAVAILABLE for every punishment notice well after the service was
 * ready again. Reconnecting within 2 s at most bounds that to the restart itself.
 */
export const GRPC_CLIENT_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 2000,
} as const;
