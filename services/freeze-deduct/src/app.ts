import { fileURLToPath } from 'node:url';
import { type Clock, MEASURES, measureService } from '@hub/domain';
import { createMeasureHandler, MEASURE_MIGRATIONS } from '@hub/measure-kit';
import { serviceRuntime } from '@hub/messaging';
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
import type { FreezeDeductConfig } from './config.js';
import { controlHooks } from './control-holds.js';
import { createFreezeDeductGrpcServer } from './grpc/freeze-deduct-service.js';

export { loadConfig } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface FreezeDeductDeps {
  logger: Logger;
  clock: Clock;
}

/**
 * The freeze-deduct service (控制措施): owns freezes, seals, their renewals and releases, and deductions; fans
 * each notice out to its institutions and keeps every hold the agencies' answers placed, changed or lifted.
 */
export function buildApp(config: FreezeDeductConfig, deps: FreezeDeductDeps) {
  const logger = deps.logger.child({ svc: 'freeze-deduct' });
  const registry = createMetricsRegistry('freeze-deduct');
  const runtime = serviceRuntime('freeze-deduct', config, {
    migrationsDir: MIGRATIONS,
    packageMigrations: [MEASURE_MIGRATIONS],
    logger,
    registry,
    now: () => deps.clock.now(),
  });
  runtime.consume(
    'controls',
    ['notices', 'progress'],
    createMeasureHandler({
      // 冻结 续冻 解冻 扣划 查封 续封 解封 belong to this service.
      measures: MEASURES.filter((m) => measureService(m) === 'freeze-deduct'),
      events: runtime.events,
      directory: config.HUB_INSTITUTIONS,
      now: () => deps.clock.now(),
      sla: loadSlaPolicy(config.HUB_SLA_POLICY_FILE),
      calendar: loadCalendar(config.HUB_CALENDAR_FILE),
      hooks: controlHooks(logger),
      logger,
    }),
  );
  const http = createHttpServer({
    logger,
    registry,
    readiness: [{ name: 'postgres', check: () => runtime.readiness() }],
  });
  registerErrorHandling(http);

  const grpc = createFreezeDeductGrpcServer({ pool: runtime.pool, clock: deps.clock, logger });

  const app = {
    name: 'freeze-deduct',
    http,
    runtime,
    grpcPort: 0,
    async start() {
      await runtime.start();
      await http.listen({ host: config.FREEZE_DEDUCT_HOST, port: config.FREEZE_DEDUCT_PORT });
      app.grpcPort = await bindGrpc(grpc, `${config.FREEZE_DEDUCT_HOST}:${config.FREEZE_DEDUCT_GRPC_PORT}`);
    },
    async stop() {
      await shutdownGrpc(grpc);
      await http.close();
      await runtime.stop();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
