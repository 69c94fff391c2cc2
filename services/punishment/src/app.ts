import { fileURLToPath } from 'node:url';
import type { Clock } from '@hub/domain';
import { InterceptionProjection } from '@hub/interception';
import { buildMeasureService } from '@hub/measure-kit';
import { type Logger, loadCalendar } from '@hub/service-kit';
import { Redis } from 'ioredis';
import type { PunishmentConfig } from './config.js';
import { expiryTimerHandlers } from './expiry.js';
import { createPunishmentGrpcServer } from './grpc/punishment-service.js';
import { punishmentHooks } from './intake.js';
import { ProjectionKeeper, projectionHandler, rebuildLockOf } from './projection.js';

export { loadConfig } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface PunishmentDeps {
  logger: Logger;
  clock: Clock;
}

/**
 * The punishment service (惩戒措施): owns dishonest-debtor listings and their deletion (失信名单, 屏蔽/删除),
 * consumption and exit restrictions and their lifting (限制高消费, 限制出境); broadcasts each to every institution
 * acting on it, keeps every subject's standing, and the interception projection in Redis that partners check.
 */
export function buildApp(config: PunishmentConfig, deps: PunishmentDeps) {
  const calendar = loadCalendar(config.HUB_CALENDAR_FILE);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const projection = new InterceptionProjection(redis, config.HUB_NAMESPACE);
  const rebuildLock = rebuildLockOf(config.HUB_NAMESPACE);
  let keeper: ProjectionKeeper | undefined;
  const app = buildMeasureService({
    service: 'punishment',
    consumer: 'punishments',
    config,
    listen: {
      host: config.PUNISHMENT_HOST,
      port: config.PUNISHMENT_PORT,
      grpcPort: config.PUNISHMENT_GRPC_PORT,
    },
    migrationsDir: MIGRATIONS,
    deps,
    hooks: ({ logger, events }) => punishmentHooks({ logger, events, calendar, projection, rebuildLock }),
    // The service's own events, applied to the interception projection.
    consumers: ({ runtime }) =>
      runtime.consume('interception-projection', ['restrictions'], projectionHandler(projection)),
    companions: ({ pool, logger, clock, registry }) => {
      keeper = new ProjectionKeeper({
        pool,
        projection,
        logger,
        now: () => clock.now(),
        lock: rebuildLock,
        by: 'punishment',
        checkMs: config.PUNISHMENT_PROJECTION_CHECK_MS,
        reconcileMs: config.PUNISHMENT_PROJECTION_RECONCILE_MS,
        registry,
      });
      // The client connects on its first command (lazyConnect), whichever of the consumers or the keeper sends it.
      return [keeper, { close: async () => void (await redis.quit()) }];
    },
    grpc: createPunishmentGrpcServer,
    timers: { handlers: expiryTimerHandlers, sweepMs: config.PUNISHMENT_TIMER_SWEEP_MS },
  });
  return Object.assign(app, { projection, keeper: keeper! });
}
