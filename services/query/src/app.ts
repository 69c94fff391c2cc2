import { fileURLToPath } from 'node:url';
import { type Clock, MEASURES, measureService } from '@hub/domain';
import { createMeasureHandler, MEASURE_MIGRATIONS } from '@hub/measure-kit';
import { serviceRuntime } from '@hub/messaging';
import { SealVerifier, sealKeysFrom } from '@hub/seal';
import {
  bindGrpc,
  createHttpServer,
  createMetricsRegistry,
  type Logger,
  loadCalendar,
  loadSlaPolicy,
  registerErrorHandling,
  type ServiceApp,
  shutdownGrpc,
} from '@hub/service-kit';
import { answerReuse } from './answer-reuse.js';
import type { QueryConfig } from './config.js';
import { createQueryGrpcServer } from './grpc/query-service.js';
import { recordPropertyFacts } from './property-facts.js';

export { loadConfig } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface QueryDeps {
  logger: Logger;
  clock: Clock;
}

/** The query service (网络查控·查): owns inquiry notices, fans them out, folds the answers back. */
export function buildApp(config: QueryConfig, deps: QueryDeps) {
  const logger = deps.logger.child({ svc: 'query' });
  const registry = createMetricsRegistry('query');
  const runtime = serviceRuntime('query', config, {
    migrationsDir: MIGRATIONS,
    packageMigrations: [MEASURE_MIGRATIONS],
    logger,
    registry,
    now: () => deps.clock.now(),
  });
  // Configured like the adapters' (court public keys, demo keys otherwise): reuse is for sealed notices only.
  const seals = new SealVerifier(
    sealKeysFrom('HUB_COURT_SEAL_PUBLIC_KEYS', config.HUB_COURT_SEAL_PUBLIC_KEYS, 'public'),
  );
  runtime.consume(
    'inquiries',
    ['notices', 'progress'],
    createMeasureHandler({
      // Inquiries (查询) and locating a person (协查下落) belong to this service.
      measures: MEASURES.filter((m) => measureService(m) === 'query'),
      events: runtime.events,
      directory: config.HUB_INSTITUTIONS,
      now: () => deps.clock.now(),
      // Stamped on every RequestDispatched: the tracker reads these deadlines instead of computing them.
      sla: loadSlaPolicy(config.HUB_SLA_POLICY_FILE),
      calendar: loadCalendar(config.HUB_CALENDAR_FILE),
      hooks: {
        beforeDispatch: answerReuse({
          reuseWindowMs: config.QUERY_REUSE_WINDOW_HOURS * 3_600_000,
          sealVerifies: (issued) => seals.check(issued.notice, issued.seal).ok,
        }),
        onAnswered: recordPropertyFacts,
      },
      logger,
    }),
  );
  const http = createHttpServer({
    logger,
    registry,
    readiness: [{ name: 'postgres', check: () => runtime.readiness() }],
  });
  registerErrorHandling(http);

  const grpc = createQueryGrpcServer({ pool: runtime.pool, clock: deps.clock, logger });

  const app = {
    name: 'query',
    http,
    runtime,
    grpcPort: 0,
    async start() {
      await runtime.start();
      await http.listen({ host: config.QUERY_HOST, port: config.QUERY_PORT });
      app.grpcPort = await bindGrpc(grpc, `${config.QUERY_HOST}:${config.QUERY_GRPC_PORT}`);
    },
    async stop() {
      await shutdownGrpc(grpc);
      await http.close();
      await runtime.stop();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
