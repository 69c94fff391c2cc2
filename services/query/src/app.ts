import { fileURLToPath } from 'node:url';
import type { Clock } from '@hub/domain';
import { buildMeasureService } from '@hub/measure-kit';
import { SealVerifier, sealKeysFrom } from '@hub/seal';
import type { Logger } from '@hub/service-kit';
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

/**
 * The query service (网络查控·查): owns inquiries (查询) and locating a person (协查下落), fans them out and
 * folds the answers back into the case's property report, reusing fresh answers of the same court.
 */
export function buildApp(config: QueryConfig, deps: QueryDeps) {
  // Configured like the adapters' (court public keys; demo keys in demo mode only): reuse is for sealed notices only.
  const seals = new SealVerifier(
    sealKeysFrom('HUB_COURT_SEAL_PUBLIC_KEYS', config.HUB_COURT_SEAL_PUBLIC_KEYS, 'public', config.HUB_DEMO),
  );
  return buildMeasureService({
    service: 'query',
    consumer: 'inquiries',
    config,
    listen: { host: config.QUERY_HOST, port: config.QUERY_PORT, grpcPort: config.QUERY_GRPC_PORT },
    migrationsDir: MIGRATIONS,
    deps,
    hooks: () => ({
      beforeDispatch: answerReuse({
        reuseWindowMs: config.QUERY_REUSE_WINDOW_HOURS * 3_600_000,
        sealVerifies: (issued) => seals.check(issued.notice, issued.seal).ok,
      }),
      onAnswered: recordPropertyFacts,
    }),
    grpc: createQueryGrpcServer,
  });
}
