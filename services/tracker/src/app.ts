import { fileURLToPath } from 'node:url';
import type { TopicKey } from '@hub/contracts';
import type { Clock } from '@hub/domain';
import { type BatchHandler, byTopic, serviceRuntime } from '@hub/messaging';
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
import { TIMERS_MIGRATIONS, TimerSweeper } from '@hub/timers';
import { Gauge, Histogram } from 'prom-client';
import type { TrackerConfig } from './config.js';
import { recordDeadLetters } from './dead-letters.js';
import { createTrackerGrpcServer } from './grpc/tracker-service.js';
import { holdEventsHandler } from './holds/hold-events.js';
import { interceptionEventsHandler } from './interceptions/interception-events.js';
import { restrictionEventsHandler } from './interceptions/restriction-events.js';
import { registerOpsRoutes } from './ops/routes.js';
import { project } from './projection.js';
import { registerReportRoutes } from './reports/routes.js';
import { alertHandler } from './sla/alerts.js';
import { slaDeadlineHandlers } from './sla/detector.js';
import { LIFECYCLE_TOPICS, lifecycleOrder } from './subscriptions.js';

export { loadConfig } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface TrackerDeps {
  logger: Logger;
  clock: Clock;
}

/** The lifecycle of every notice and request, from every service's events (DESIGN §5). */
export function buildApp(config: TrackerConfig, deps: TrackerDeps) {
  const logger = deps.logger.child({ svc: 'tracker' });
  const calendar = loadCalendar(config.HUB_CALENDAR_FILE);
  // Only for RequestDispatched events older than the deadlines their measure service now stamps on them.
  const sla = loadSlaPolicy(config.HUB_SLA_POLICY_FILE);
  const registry = createMetricsRegistry('tracker');
  const runtime = serviceRuntime('tracker', config, {
    migrationsDir: MIGRATIONS,
    packageMigrations: [TIMERS_MIGRATIONS],
    logger,
    registry,
    now: () => deps.clock.now(),
  });
  const answerLatency = new Histogram({
    name: 'hub_answer_latency_seconds',
    help: 'Time from dispatch to answer, hub seconds, per agency kind',
    labelNames: ['agency'],
    buckets: [60, 600, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600],
    registers: [registry],
  });
  runtime.consume(
    'lifecycle',
    [...LIFECYCLE_TOPICS],
    async (tx, events) => {
      const { answered } = await project(tx, events, sla, calendar);
      for (const a of answered) answerLatency.observe({ agency: a.agency }, a.seconds);
    },
    {
      order: lifecycleOrder((key) => runtime.topic(key)),
      chunkSize: config.TRACKER_BATCH_EVENTS,
      gatherMs: config.TRACKER_GATHER_MS,
    },
  );
  // Three low-volume streams share one consumer group (each group fetches and heartbeats on its own, the idle
  // hub's main cost): holds running out and lapsed (freeze-deduct: the console's list, the timeline, the webhook),
  // what partners blocked on an interception check (issue 12: kept once, on the timeline, counted per day), and
  // the restrictions in force per subject at its newest version (a case's current listings in the console).
  const url = config.TRACKER_ALERT_WEBHOOK_URL;
  const now = () => deps.clock.now();
  const sideHandlers: [TopicKey, BatchHandler][] = [
    ['holds', holdEventsHandler({ alertsEnabled: url !== undefined, now })],
    ['interceptions', interceptionEventsHandler({ now })],
    ['restrictions', restrictionEventsHandler({ now })],
  ];
  runtime.consume(
    'side-events',
    sideHandlers.map(([topic]) => topic),
    byTopic(new Map(sideHandlers.map(([topic, handle]) => [runtime.topic(topic), handle]))),
  );
  // Every message any service dead-lettered, for ops to see: read raw, since many cannot be decoded.
  runtime.consumeRaw('dead-letters', ['deadLetters'], recordDeadLetters);
  new Gauge({
    name: 'hub_agency_backlog',
    help: 'Open requests (not yet answered) per agency and institution',
    labelNames: ['agency', 'institution'],
    registers: [registry],
    async collect() {
      // Kept by the rollup triggers (migration 1013): a few rows, not a count over the open requests.
      const { rows } = await runtime.pool.query<{ agency: string; institution: string; n: number }>(
        'SELECT agency, institution, open::int AS n FROM rollup_backlog WHERE open > 0',
      );
      this.reset();
      for (const r of rows) this.set({ agency: r.agency, institution: r.institution }, r.n);
    },
  });
  // SLA breaches, escalations and every webhook alert (holds' too): durable timers, one sweeper (DESIGN §5).
  const timers = new TimerSweeper({
    pool: runtime.pool,
    clock: deps.clock,
    logger,
    maxSleepMs: config.TRACKER_SLA_SWEEP_MS,
    handlers: [
      ...slaDeadlineHandlers({ events: runtime.events, logger, registry, alertsEnabled: url !== undefined }),
      ...(url ? [alertHandler({ url, registry })] : []),
    ],
  });

  const http = createHttpServer({
    logger,
    registry,
    readiness: [{ name: 'postgres', check: () => runtime.readiness() }],
  });
  registerErrorHandling(http);
  registerReportRoutes(http, { pool: runtime.pool, clock: deps.clock });
  // The ops console (/), its API (/v1/ops/...) and the live stream of breaches and events.
  registerOpsRoutes(http, { pool: runtime.pool, clock: deps.clock });
  const grpc = createTrackerGrpcServer({ pool: runtime.pool, clock: deps.clock, logger });

  const app = {
    name: 'tracker',
    http,
    runtime,
    /** The bound gRPC port (differs from the configured one when that is 0). */
    grpcPort: 0,
    timers,
    async start() {
      await runtime.start();
      timers.start();
      await http.listen({ host: config.TRACKER_HOST, port: config.TRACKER_PORT });
      app.grpcPort = await bindGrpc(grpc, `${config.TRACKER_HOST}:${config.TRACKER_GRPC_PORT}`);
      logger.info({ port: config.TRACKER_PORT, grpcPort: app.grpcPort }, 'tracker listening');
    },
    async stop() {
      await shutdownGrpc(grpc);
      await http.close();
      await timers.stop();
      await runtime.stop();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
