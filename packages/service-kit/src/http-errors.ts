import { HubError, isHubError, toErrorBody } from '@hub/domain';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Every error leaves as `{ error: { code, message, details } }` with the status the catalog assigns
 * (mapped once, in @hub/domain). Bad input is never a 500: malformed JSON, wrong content type and
 * oversize bodies get their own 4xx; only genuine faults are INTERNAL, and they leak nothing.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HubError, request, reply) => {
    if (isHubError(err)) return reply.code(err.httpStatus).send(toErrorBody(err));
    const status = (err as FastifyError).statusCode;
    if (status === 415) return send(reply, new HubError('UNSUPPORTED_MEDIA_TYPE'));
    if (status === 413) return send(reply, new HubError('PAYLOAD_TOO_LARGE'));
    if (status === 429) return send(reply, new HubError('RATE_LIMITED'));
    if (status !== undefined && status >= 400 && status < 500) {
      // e.g. FST_ERR_CTP_INVALID_JSON_BODY / empty body: the client's input, not our fault
      return send(
        reply,
        new HubError('VALIDATION_FAILED', [{ path: '', code: 'MALFORMED_BODY', message: err.message }]),
      );
    }
    if (dependencyUnavailable(err)) {
      // Redis or PostgreSQL unreachable (e.g. the rate limiter's store): the caller retries later, nothing
      // was done; it is not a fault of ours to hide behind a 500.
      request.log.warn({ err }, 'a dependency is unavailable');
      return send(reply, new HubError('UNAVAILABLE'));
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send(toErrorBody(err));
  });
  app.setNotFoundHandler((_request, reply) => send(reply, new HubError('NOT_FOUND')));
}

function send(reply: { code(n: number): { send(b: unknown): unknown } }, err: HubError) {
  return reply.code(err.httpStatus).send(toErrorBody(err));
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/** A connection-level failure of a store the route needs (ioredis and pg errors carry these), not a bug. */
function dependencyUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true; // ioredis gave up on a command
  return typeof e.message === 'string' && /^Connection is closed|Stream isn't writeable/.test(e.message);
}
