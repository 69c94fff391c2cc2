import { type AdapterConfig, buildAdapterApp, loadAdapterConfig } from '@hub/agency-kit';
import type { Clock } from '@hub/domain';
import type { Logger } from '@hub/service-kit';

/** Public security's edge (公安: 户籍, 交管 vehicle seals, 出入境 exit restriction, 协查下落). */
export const loadConfig = (env: Record<string, string | undefined>) =>
  loadAdapterConfig('public-security', env);

export function buildApp(config: AdapterConfig, deps: { logger: Logger; clock: Clock }) {
  return buildAdapterApp('public-security', config, deps);
}
