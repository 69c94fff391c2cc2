import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import type { Clock } from '@hub/domain';
import { serviceRuntime } from '@hub/messaging';
import { Sealer, sealKeysFrom } from '@hub/seal';
import {
  bindGrpc,
  createHttpServer,
  createMetricsRegistry,
  type Logger,
  registerErrorHandling,
  type ServiceApp,
  shutdownGrpc,
} from '@hub/service-kit';
import { Redis } from 'ioredis';
import { ControlsClient } from './adapters/controls-client.js';
import { PunishmentClient } from './adapters/punishment-client.js';
import { QueryClient } from './adapters/query-client.js';
import { TrackerClient } from './adapters/tracker-client.js';
import { Admission } from './admission.js';
import { CourtAuth } from './auth.js';
import type { GatewayConfig } from './config.js';
import { ControlGate } from './control-gate.js';
import { deletionRequestHandler } from './deletion-requests.js';
import { FreezePlans } from './freeze-plans.js';
import { createCourtGrpcServer } from './grpc/court-service.js';
import { registerOpenApi } from './http/openapi.js';
import { registerRoutes } from './http/routes.js';
import { NoticeReader } from './notice-reader.js';
import { NoticeWriter } from './notice-writer.js';
import { PunishmentGate } from './punishment-gate.js';
import { releaseRequestHandler } from './release-requests.js';
import { Submissions } from './submissions.js';

export { loadConfig } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface GatewayDeps {
  logger: Logger;
  clock: Clock;
}

/** The court-facing gateway: REST and gRPC in, notices stored with their NoticeIssued events. */
export function buildApp(config: GatewayConfig, deps: GatewayDeps) {
  const logger = deps.logger.child({ svc: 'gateway' });
  const registry = createMetricsRegistry('gateway');
  const runtime = serviceRuntime('gateway', config, {
    migrationsDir: MIGRATIONS,
    logger,
    registry,
    now: () => deps.clock.now(),
  });
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err }, 'redis error'));
  const auth = new CourtAuth(config.GATEWAY_COURT_KEYS);
  const tracker = new TrackerClient(config.TRACKER_GRPC_URL);
  const query = new QueryClient(config.QUERY_GRPC_URL);
  const controls = new ControlsClient(config.FREEZE_DEDUCT_GRPC_URL);
  const punishment = new PunishmentClient(config.PUNISHMENT_GRPC_URL);
  const seals = sealKeysFrom('GATEWAY_SEAL_KEYS', config.GATEWAY_SEAL_KEYS, 'private', config.HUB_DEMO);
  if (seals === 'demo')
    logger.warn(
      'demo mode (HUB_DEMO): notices carry DEMO seals and the demo court key is open (not security)',
    );
  const writer = new NoticeWriter(
    runtime.pool,
    runtime.events,
    () => deps.clock.now(),
    new Sealer(seals),
    logger,
  );
  // Releases of over-freezing and deletions of listings whose term ended, issued as the court's notices
  // (freeze-deduct and punishment ask, the gateway seals).
  const releases = releaseRequestHandler({ writer, logger, now: () => deps.clock.now() });
  const deletions = deletionRequestHandler({ writer, logger, now: () => deps.clock.now() });
  runtime.consume('control-actions', ['controlActions'], async (tx, events) => {
    await releases(tx, events);
    await deletions(tx, events);
  });
  const reader = new NoticeReader(runtime.pool, tracker);
  const submissions = new Submissions(
    writer,
    config.GATEWAY_MAX_PENDING,
    () => deps.clock.now(),
    config.HUB_MEASURE_SERVICES,
    // Control and punishment notices are judged by their services before they are stored.
    new Admission(runtime.pool, {
      'freeze-deduct': new ControlGate(
        controls,
        config.HUB_MEASURE_SERVICES.has('query') ? query : undefined,
      ),
      punishment: new PunishmentGate(punishment),
    }),
    config.HUB_INSTITUTIONS,
  );

  const http = createHttpServer({
    logger,
    registry,
    bodyLimit: 8 * 1_048_576, // a batch of 1,000 notices
    // The public routes are limited per client IP: behind an ingress, the client is who it forwards for.
    trustProxy: config.GATEWAY_TRUSTED_PROXIES,
    readiness: [
      { name: 'postgres', check: () => runtime.readiness() },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ],
  });
  registerErrorHandling(http);
  registerOpenApi(http);
  // Quotas shared by every gateway instance through Redis. Routes opt in (global: false): the public routes
  // do, per client IP (http/public-routes.ts).
  void http.register(rateLimit, {
    global: false,
    redis,
    nameSpace: `${config.HUB_NAMESPACE || 'hub'}:gateway:rl:`,
    max: config.GATEWAY_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (req) => String(req.headers.authorization ?? req.ip),
  });
  void http.after(() =>
    registerRoutes(http, {
      auth,
      punishment,
      publicPerMinute: config.GATEWAY_PUBLIC_RATE_LIMIT_PER_MINUTE,
      submissions,
      reader,
      tracker,
      query,
      controls,
      freezePlans: new FreezePlans(
        runtime.pool,
        query,
        controls,
        submissions,
        () => deps.clock.now(),
        config.HUB_MEASURE_SERVICES,
      ),
      maxBatch: config.GATEWAY_MAX_BATCH,
      now: () => deps.clock.now(),
    }),
  );
  const grpc = createCourtGrpcServer({
    auth,
    submissions,
    reader,
    tracker,
    logger,
    maxBatch: config.GATEWAY_MAX_BATCH,
  });

  const app = {
    name: 'gateway',
    http,
    grpc,
    runtime,
    grpcPort: 0,
    async start() {
      await redis.connect();
      await runtime.start();
      await http.listen({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT });
      app.grpcPort = await bindGrpc(grpc, `${config.GATEWAY_HOST}:${config.GATEWAY_GRPC_PORT}`);
      logger.info({ port: config.GATEWAY_PORT, grpcPort: app.grpcPort }, 'gateway listening');
    },
    async stop() {
      await shutdownGrpc(grpc);
      await http.close();
      await runtime.stop();
      tracker.close();
      query.close();
      controls.close();
      punishment.close();
      redis.disconnect();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
