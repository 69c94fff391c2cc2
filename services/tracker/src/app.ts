import { fileURLToPath } from 'node:url';
import { type Clock, HubError, isUuid } from '@hub/domain';
import { MessagingRuntime } from '@hub/messaging';
import {
  bindGrpc,
  createHttpServer,
  createMetricsRegistry,
  type Logger,
  registerErrorHandling,
  type ServiceApp,
  schemaName,
  shutdownGrpc,
} from '@hub/service-kit';
import type { TrackerConfig } from './config.js';
import { createTrackerGrpcServer } from './grpc/tracker-service.js';
import { readNotice } from './notice-view.js';
import { project } from './projection.js';

export { loadConfig } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface TrackerDeps {
  logger: Logger;
  clock: Clock;
}

/** The lifecycle of every notice and request, from every service's events (DESIGN §5). */
export function buildApp(config: TrackerConfig, deps: TrackerDeps) {
  const logger = deps.logger.child({ svc: 'tracker' });
  const registry = createMetricsRegistry('tracker');
  const runtime = new MessagingRuntime({
    service: 'tracker',
    schema: schemaName(config.HUB_NAMESPACE, 'tracker'),
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    topicPrefix: config.HUB_TOPIC_PREFIX,
    namespace: config.HUB_NAMESPACE,
    migrationsDir: MIGRATIONS,
    logger,
    registry,
    now: () => deps.clock.now(),
  });
  runtime.consume(
    'lifecycle',
    [
      'notices',
      'requestsBank',
      'requestsRealEstate',
      'requestsPublicSecurity',
      'requestsProvidentFund',
      'progress',
    ],
    (tx, events) => project(tx, events),
  );

  const http = createHttpServer({
    logger,
    registry,
    readiness: [{ name: 'postgres', check: () => runtime.readiness() }],
  });
  registerErrorHandling(http);
  http.get<{ Params: { id: string } }>('/v1/ops/notices/:id', async (request) => {
    const id = request.params.id;
    const view = isUuid(id) ? await readNotice(runtime.pool, id, deps.clock.now()) : undefined;
    if (!view) throw new HubError('NOTICE_NOT_FOUND');
    return view;
  });
  const grpc = createTrackerGrpcServer({ pool: runtime.pool, clock: deps.clock, logger });

  const app = {
    name: 'tracker',
    http,
    runtime,
    /** The bound gRPC port (differs from the configured one when that is 0). */
    grpcPort: 0,
    async start() {
      await runtime.start();
      await http.listen({ host: config.TRACKER_HOST, port: config.TRACKER_PORT });
      app.grpcPort = await bindGrpc(grpc, `${config.TRACKER_HOST}:${config.TRACKER_GRPC_PORT}`);
      logger.info({ port: config.TRACKER_PORT, grpcPort: app.grpcPort }, 'tracker listening');
    },
    async stop() {
      await shutdownGrpc(grpc);
      await http.close();
      await runtime.stop();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
