import { type AdapterConfig, buildAdapterApp, loadAdapterConfig } from '@hub/agency-kit';
import type { Clock } from '@hub/domain';
import type { Logger } from '@hub/service-kit';

/** The banks' edge: every connected bank has its own isolated inbox (查询/冻结/续冻/解冻/扣划). */
export const loadConfig = (env: Record<string, string | undefined>) => loadAdapterConfig('bank', env);

export function buildApp(config: AdapterConfig, deps: { logger: Logger; clock: Clock }) {
  return buildAdapterApp('bank', config, deps);
}
