import { bankQueryResult, buildAdapterApp } from '@hub/agency-kit';
import type { Clock } from '@hub/domain';
import type { Logger } from '@hub/service-kit';
import type { BankAdapterConfig } from './config.js';

export { loadConfig } from './config.js';

/** The bank adapter: the hub's edge to every connected bank (one inbox per bank, isolated). */
export function buildApp(config: BankAdapterConfig, deps: { logger: Logger; clock: Clock }) {
  return buildAdapterApp(
    {
      agency: 'bank',
      service: 'adapter-bank',
      requestTopic: 'requestsBank',
      resultSchemas: { query: bankQueryResult },
    },
    { ...config, host: config.ADAPTER_BANK_HOST, port: config.ADAPTER_BANK_PORT, keys: config.keys },
    deps,
  );
}
