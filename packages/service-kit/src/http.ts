import { HubError, isWireSafeText, textIssue, toErrorBody } from '@hub/domain';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { metricsText } from './metrics.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/**
 * A fastify instance with the endpoints every service has: /healthz (the process lives), /readyz (its
 * dependencies answer) and /metrics (Prometheus). The service adds its own routes before listening.
 */
export function createHttpServer(options: {
  logger: Logger;
  registry: Registry;
  readiness: ReadinessCheck[];
  bodyLimit?: number;
  /**
   * Addresses (or CIDRs) of the proxies in front of the service whose X-Forwarded-For is believed, so that
   * `request.ip` is the client's; none by default (a client could otherwise name any address it likes).
   */
  trustProxy?: readonly string[];
}): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request access logs would swamp the log at a thousand requests a second; metrics count them.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // While the service stops, a request that still arrives (on a kept-alive connection) is answered below in the hub's
    // error format, not with fastify's own 503 body, which has no `code` for a client to act on.
    return503OnClosing: false,
    trustProxy: options.trustProxy?.length ? [...options.trustProxy] : false,
    // A URL the router cannot read (bad percent-encoding, a path parameter beyond its length) is the
    // caller's input like any other: a 400 in the hub's error format, not fastify's own body.
    frameworkErrors: (err, _request, reply) => {
      const code = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'URL_PARAM_TOO_LONG' : 'MALFORMED_URL';
      const hub = new HubError('VALIDATION_FAILED', [{ path: '', code, message: err.message }]);
      return (reply as unknown as { code(n: number): { send(b: unknown): void } })
        .code(hub.httpStatus)
        .send(toErrorBody(hub));
    },
  });
  // A query string no database can hold (a NUL, a lone surrogate) is the caller's input on every route: a 400 naming
  // the parameter, before any handler builds SQL from it (a NUL in an ops search reached PostgreSQL: a 500).
  app.addHook('preValidation', (request, _reply, done) => {
    if (!request.url.includes('?')) return done();
    const issues: { path: string; code: string; message: string }[] = [];
    for (const [key, value] of Object.entries(request.query as Record<string, unknown>)) {
      const bad = [key, ...(Array.isArray(value) ? value : [value])]
        .map((v) => (typeof v === 'string' ? textIssue(v) : undefined))
        .find(Boolean);
      if (bad)
        issues.push({
          path: isWireSafeText(key) ? key : JSON.stringify(key),
          code: bad,
          message: 'a query parameter carries no NUL or lone surrogate',
        });
    }
    done(issues.length > 0 ? new HubError('VALIDATION_FAILED', issues) : undefined);
  });
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    // Retry soon, elsewhere or after the restart: nothing of this request was taken in.
    void reply
      .code(503)
      .header('retry-after', '1')
      .header('connection', 'close')
      .send(toErrorBody(new HubError('UNAVAILABLE')));
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const results = await Promise.all(
      options.readiness.map(async (r) => {
        try {
          await r.check();
          return { name: r.name, ok: true };
        } catch (err) {
          return { name: r.name, ok: false, error: (err as Error).message };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks: results });
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', options.registry.contentType);
    return metricsText(options.registry);
  });
  return app;
}
