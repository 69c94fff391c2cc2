import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';

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
}): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request access logs would swamp the log at a thousand requests a second; metrics count them.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
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
    return options.registry.metrics();
  });
  return app;
}
