import { type AdapterConfig, buildAdapterApp, loadAdapterConfig } from '@hub/agency-kit';
import type { Clock } from '@hub/domain';
import type { Logger } from '@hub/service-kit';

/** Housing provident fund centres' edge (住房公积金管理中心): queries, freezes, deductions. */
export const loadConfig = (env: Record<string, string | undefined>) =>
  loadAdapterConfig('provident-fund', env);

export function buildApp(config: AdapterConfig, deps: { logger: Logger; clock: Clock }) {
  return buildAdapterApp('provident-fund', config, deps);
}
