import { type AdapterConfig, buildAdapterApp, loadAdapterConfig } from '@hub/agency-kit';
import type { Clock } from '@hub/domain';
import type { Logger } from '@hub/service-kit';

/** Real-estate registration centres' edge (不动产登记中心): property queries, seals (查封/续封/解封). */
export const loadConfig = (env: Record<string, string | undefined>) => loadAdapterConfig('real-estate', env);

export function buildApp(config: AdapterConfig, deps: { logger: Logger; clock: Clock }) {
  return buildAdapterApp('real-estate', config, deps);
}
