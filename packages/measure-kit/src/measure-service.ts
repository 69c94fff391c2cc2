import { answerTopicsFor, noticeTopicsFor } from '@hub/contracts';
import type { AgencyKind, Clock, HubService } from '@hub/domain';
import { MEASURES, measureService } from '@hub/domain';
import { type EventFactory, type MessagingRuntime, type RuntimeConfig, serviceRuntime } from '@hub/messaging';
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
import type { Pool } from '@hub/store';
import { TIMERS_MIGRATIONS, type TimerHandler, TimerSweeper } from '@hub/timers';
import { createMeasureHandler, measureEventFilter, misroutedOn } from './measure-handler.js';
import { MEASURE_MIGRATIONS } from './migrations.js';
import type { MeasureHooks } from './spec.js';

type GrpcServer = Parameters<typeof bindGrpc>[0];

/** What every measure service's configuration carries (service-kit's common variables). */
export interface MeasureServiceConfig extends RuntimeConfig {
  HUB_INSTITUTIONS: ReadonlyMap<AgencyKind, readonly string[]>;
  HUB_CALENDAR_FILE?: string | undefined;
  HUB_SLA_POLICY_FILE?: string | undefined;
}

/** Something running beside a measure service's consumers (see MeasureServiceDefinition.companions). */
export interface Companion {
  start?(): Promise<void>;
  stop?(): Promise<void>;
  close?(): Promise<void>;
}

export interface MeasureServiceDefinition<C extends MeasureServiceConfig> {
  /** The service, as the domain names it: it takes in exactly the measures `measureService` gives it. */
  service: HubService;
  /** Its consumer group's name. */
  consumer: string;
  config: C;
  /** Where it listens: HTTP (health, metrics) and its gRPC read API. */
  listen: { host: string; port: number; grpcPort: number };
  /** The service's own migrations (its own tables), run after the skeleton's. */
  migrationsDir: string;
  deps: { logger: Logger; clock: Clock };
  /** The service's own rules, as hooks into the skeleton; `events` for what they announce (outbox). */
  hooks: (ctx: { logger: Logger; events: EventFactory }) => MeasureHooks;
  /**
   * The service's other consumers (e.g. freeze-deduct's hold-change reports), declared on the same runtime:
   * its schema, processed events and outbox.
   */
  consumers?: (ctx: {
    runtime: MessagingRuntime;
    logger: Logger;
    registry: ReturnType<typeof createMetricsRegistry>;
    clock: Clock;
  }) => void;
  /**
   * What else runs with the service (e.g. punishment's projection keeper over Redis): started once the schema
   * is migrated and the consumers run, stopped before them (`stop`), released after them (`close`: clients the
   * hooks and consumers use until the end).
   */
  companions?: (ctx: {
    pool: Pool;
    logger: Logger;
    clock: Clock;
    registry: ReturnType<typeof createMetricsRegistry>;
  }) => readonly Companion[];
  /** Its gRPC read API over its own tables. */
  grpc: (ctx: { pool: Pool; clock: Clock; logger: Logger; events: EventFactory }) => GrpcServer;
  /**
   * Durable timers the service fires (@hub/timers): with them, the `timers` table joins its schema and one
   * sweeper runs while the service does, waking at the earliest due timer, for timers its process commits,
   * and at least every `sweepMs` (default 5 s).
   */
  timers?: {
    handlers: (ctx: {
      events: EventFactory;
      logger: Logger;
      registry: ReturnType<typeof createMetricsRegistry>;
    }) => TimerHandler[];
    sweepMs?: number;
  };
}

/**
 * A measure service's composition root: the messaging runtime with the skeleton's and the service's
 * migrations, the one consumer built by `createMeasureHandler`, health and metrics over HTTP, and its gRPC
 * read API. A service brings only its rules (hooks), its tables and its read API.
 */
export function buildMeasureService<C extends MeasureServiceConfig>(def: MeasureServiceDefinition<C>) {
  const { config, deps } = def;
  const logger = deps.logger.child({ svc: def.service });
  const registry = createMetricsRegistry(def.service);
  const runtime: MessagingRuntime = serviceRuntime(def.service, config, {
    migrationsDir: def.migrationsDir,
    packageMigrations: def.timers ? [MEASURE_MIGRATIONS, TIMERS_MIGRATIONS] : [MEASURE_MIGRATIONS],
    logger,
    registry,
    now: () => deps.clock.now(),
  });
  const spec = {
    measures: MEASURES.filter((m) => measureService(m) === def.service),
    events: runtime.events,
    directory: config.HUB_INSTITUTIONS,
    now: () => deps.clock.now(),
    // Stamped on every RequestDispatched: the tracker reads these deadlines instead of computing them.
    sla: loadSlaPolicy(config.HUB_SLA_POLICY_FILE),
    calendar: loadCalendar(config.HUB_CALENDAR_FILE),
    hooks: def.hooks({ logger, events: runtime.events }),
    logger,
  };
  // Its measures' notice and answer topics, and the shared ones of earlier builds (an upgrade leaves notices there to
  // carry out and answers to fold).
  const topics = [...noticeTopicsFor(spec.measures), ...answerTopicsFor(spec.measures)];
  // Another service's notice or answer on one of its own topics is dead-lettered, not skipped (misroutedOn).
  const own = new Set(topics.filter((k) => k !== 'notices' && k !== 'answers').map((k) => runtime.topic(k)));
  const accepts = measureEventFilter(spec);
  const misrouted = misroutedOn(spec, own);
  runtime.consume(def.consumer, topics, createMeasureHandler(spec), {
    accepts: (event) => accepts(event) || misrouted(event) !== undefined,
    screen: misrouted,
  });
  def.consumers?.({ runtime, logger, registry, clock: deps.clock });
  const http = createHttpServer({
    logger,
    registry,
    readiness: [{ name: 'postgres', check: () => runtime.readiness() }],
  });
  registerErrorHandling(http);
  const companions = def.companions?.({ pool: runtime.pool, logger, clock: deps.clock, registry }) ?? [];
  const grpc = def.grpc({ pool: runtime.pool, clock: deps.clock, logger, events: runtime.events });
  const timers =
    def.timers &&
    new TimerSweeper({
      pool: runtime.pool,
      clock: deps.clock,
      logger,
      ...(def.timers.sweepMs === undefined ? {} : { maxSleepMs: def.timers.sweepMs }),
      handlers: def.timers.handlers({ events: runtime.events, logger, registry }),
    });

  const app = {
    name: def.service,
    http,
    runtime,
    grpcPort: 0,
    timers,
    async start() {
      await runtime.start();
      for (const c of companions) await c.start?.();
      timers?.start();
      await http.listen({ host: def.listen.host, port: def.listen.port });
      app.grpcPort = await bindGrpc(grpc, `${def.listen.host}:${def.listen.grpcPort}`);
    },
    async stop() {
      await shutdownGrpc(grpc);
      await http.close();
      await timers?.stop();
      for (const c of [...companions].reverse()) await c.stop?.();
      await runtime.stop();
      for (const c of [...companions].reverse()) await c.close?.();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
