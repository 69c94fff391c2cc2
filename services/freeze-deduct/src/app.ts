import { fileURLToPath } from 'node:url';
import type { Clock } from '@hub/domain';
import { buildMeasureService } from '@hub/measure-kit';
import { type Logger, loadCalendar } from '@hub/service-kit';
import type { FreezeDeductConfig } from './config.js';
import { refusesAtIntake } from './control-admission.js';
import { controlHooks } from './control-holds.js';
import { createFreezeDeductGrpcServer } from './grpc/freeze-deduct-service.js';
import { holdReportHandler } from './hold-change-reports.js';
import { holdTargets } from './hold-targets.js';
import { holdTimerHandlers } from './hold-timers.js';
import { withTestPause } from './test-pause.js';

export { loadConfig } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface FreezeDeductDeps {
  logger: Logger;
  clock: Clock;
}

/**
 * The freeze-deduct service (控制措施): owns freezes, seals, their renewals and releases, and deductions (冻结
 * 续冻 解冻 扣划 查封 续封 解封); fans each notice out to its institutions and keeps every hold the agencies'
 * answers placed, changed or lifted.
 */
export function buildApp(config: FreezeDeductConfig, deps: FreezeDeductDeps) {
  const calendar = loadCalendar(config.HUB_CALENDAR_FILE);
  return buildMeasureService({
    service: 'freeze-deduct',
    consumer: 'controls',
    config,
    listen: {
      host: config.FREEZE_DEDUCT_HOST,
      port: config.FREEZE_DEDUCT_PORT,
      grpcPort: config.FREEZE_DEDUCT_GRPC_PORT,
    },
    migrationsDir: MIGRATIONS,
    deps,
    hooks: ({ logger, events }) =>
      withTestPause(
        { ...controlHooks(logger, events, calendar), refuses: refusesAtIntake, targets: holdTargets },
        config.FREEZE_DEDUCT_TEST_PAUSE,
        logger,
      ),
    // Agencies' own reports of what happened to the holds (轮候生效, 失效, 前序解除, 扣划, 处分).
    consumers: ({ runtime, logger, registry, clock }) =>
      runtime.consume(
        'hold-reports',
        ['holdReports'],
        holdReportHandler({ logger, registry, now: () => clock.now(), calendar }),
      ),
    grpc: createFreezeDeductGrpcServer,
    // Each hold's lapse at the end of its term and its renewal reminder (hold-timers.ts).
    timers: { handlers: holdTimerHandlers, sweepMs: config.FREEZE_DEDUCT_TIMER_SWEEP_MS },
  });
}
