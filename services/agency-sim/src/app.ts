import type { Clock } from '@hub/domain';
import { createHttpServer, createMetricsRegistry, type Logger, type ServiceApp } from '@hub/service-kit';
import { AgencyLedgers } from './agencies/index.js';
import { backOffice } from './back-office.js';
import type { SimConfig } from './config.js';
import { MockAgency } from './mock-agency.js';

export * from './agencies/index.js';
export { loadConfig } from './config.js';
export * from './population/index.js';
export * from './showcase.js';

/** The mock agencies (the one sanctioned simulation): partner back offices over the real REST API. */
export function buildApp(config: SimConfig, deps: { logger: Logger; clock: Clock }) {
  const logger = deps.logger.child({ svc: 'agency-sim' });
  const registry = createMetricsRegistry('agency-sim');
  // One set of books for every mock institution, filled from the population (SIM_SEED) on first use.
  const ledgers = new AgencyLedgers({ seed: config.SIM_SEED });
  const agencies = config.agencies.map((agency) => ({
    agency,
    sim: new MockAgency({
      agency,
      answer: backOffice(agency.kind, agency.institution, ledgers, deps.clock),
      holdChanges: () => ledgers.holdChangesOf(agency.kind, agency.institution)?.take() ?? [],
      pollMs: config.SIM_POLL_MS,
      batch: config.SIM_BATCH,
      latencyMs: config.SIM_LATENCY_MS,
      jitterMs: config.SIM_LATENCY_JITTER_MS,
      refusalRate: config.SIM_REFUSAL_RATE,
      errorRate: config.SIM_ERROR_RATE,
      silent: config.SIM_SILENT.includes(agency.institution),
      down: config.SIM_DOWN.includes(agency.institution),
      logger,
    }),
  }));
  const http = createHttpServer({ logger, registry, readiness: [] });
  http.get('/v1/sim/status', async () => ({
    agencies: agencies.map(({ agency, sim }) => ({
      kind: agency.kind,
      institution: agency.institution,
      answered: sim.answered,
      holdChangesReported: sim.reporter.reported,
      holdChangesPending: sim.reporter.pending,
    })),
  }));
  /** The deductions (扣划) the mock banks and provident-fund centres carried out, as their books hold them. */
  http.get('/v1/sim/transfers', async () => ({
    transfers: agencies.flatMap(({ agency }) =>
      agency.kind === 'bank'
        ? ledgers.bank(agency.institution).transfers
        : agency.kind === 'provident-fund'
          ? ledgers.providentFund(agency.institution).transfers
          : [],
    ),
  }));

  const app = {
    name: 'agency-sim',
    http,
    agencies,
    async start() {
      await http.listen({ host: config.AGENCY_SIM_HOST, port: config.AGENCY_SIM_PORT });
      for (const a of agencies) a.sim.start();
      logger.info({ agencies: agencies.map((a) => a.agency.institution) }, 'mock agencies answering');
    },
    async stop() {
      await Promise.all(agencies.map((a) => a.sim.stop()));
      await http.close();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
