import type { Clock } from '@hub/domain';
import { createHttpServer, createMetricsRegistry, type Logger, type ServiceApp } from '@hub/service-kit';
import type { SimConfig } from './config.js';
import { MockBank } from './mock-bank.js';

export { loadConfig } from './config.js';
export { accountsOf } from './ledger.js';

/** The mock agencies (the one sanctioned simulation): partner back offices over the real REST API. */
export function buildApp(config: SimConfig, deps: { logger: Logger; clock: Clock }) {
  const logger = deps.logger.child({ svc: 'agency-sim' });
  const registry = createMetricsRegistry('agency-sim');
  const banks = [...config.bankKeys].map(
    ([bank, key]) =>
      new MockBank({
        bank,
        key,
        adapterUrl: config.ADAPTER_BANK_URL,
        seed: config.SIM_SEED,
        pollMs: config.SIM_POLL_MS,
        batch: config.SIM_BATCH,
        latencyMs: config.SIM_LATENCY_MS,
        refusalRate: config.SIM_REFUSAL_RATE,
        silent: config.SIM_SILENT_BANKS.includes(bank),
        logger,
      }),
  );
  const http = createHttpServer({ logger, registry, readiness: [] });
  http.get('/v1/sim/status', async () => ({
    banks: banks.map((b, i) => ({ bank: [...config.bankKeys.keys()][i], answered: b.answered })),
  }));

  const app = {
    name: 'agency-sim',
    http,
    banks,
    async start() {
      await http.listen({ host: config.AGENCY_SIM_HOST, port: config.AGENCY_SIM_PORT });
      for (const b of banks) b.start();
      logger.info({ banks: [...config.bankKeys.keys()] }, 'mock agencies answering');
    },
    async stop() {
      await Promise.all(banks.map((b) => b.stop()));
      await http.close();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
