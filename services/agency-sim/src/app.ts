import type { Clock } from '@hub/domain';
import { createHttpServer, createMetricsRegistry, type Logger, type ServiceApp } from '@hub/service-kit';
import { Counter } from 'prom-client';
import { Agent } from 'undici';
import { AgencyLedgers } from './agencies/index.js';
import { backOffice } from './back-office.js';
import type { SimConfig } from './config.js';
import { InterceptionDriver } from './interception-driver.js';
import { MockAgency } from './mock-agency.js';
import { organisationAt, personAt } from './population/subjects.js';

export * from './agencies/index.js';
export { loadConfig, type SimAgency } from './config.js';
export * from './interception-client.js';
export * from './interception-driver.js';
export * from './population/index.js';
export * from './showcase.js';

/** The mock agencies (the one sanctioned simulation): partner back offices over the real REST API. */
export function buildApp(config: SimConfig, deps: { logger: Logger; clock: Clock }) {
  const logger = deps.logger.child({ svc: 'agency-sim' });
  const registry = createMetricsRegistry('agency-sim');
  // One set of books for every mock institution, filled from the population (SIM_SEED) on first use.
  const ledgers = new AgencyLedgers({ seed: config.SIM_SEED });
  // The mock institutions' own connections to their adapters: each long poll holds one for up to
  // SIM_LEASE_WAIT_S, so every institution gets one to wait on and one spare, and no response is cut off
  // by a timeout shorter than the wait.
  const timeoutMs = (config.SIM_LEASE_WAIT_S + 30) * 1000;
  const adapterClient = new Agent({
    connections: config.agencies.length * 2 + 2,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const agencies = config.agencies.map((agency) => ({
    agency,
    sim: new MockAgency({
      agency,
      answer: backOffice(agency.kind, agency.institution, ledgers, deps.clock),
      holdChanges: () => ledgers.holdChangesOf(agency.kind, agency.institution)?.take() ?? [],
      pollMs: config.SIM_POLL_MS,
      leaseWaitS: config.SIM_LEASE_WAIT_S,
      http: adapterClient,
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
  const checks = new Counter({
    name: 'agency_sim_interception_checks_total',
    help: 'Interception checks the mock institutions made, by result (restricted, clear, unavailable, failed)',
    labelNames: ['institution', 'result'],
    registers: [registry],
  });
  const reports = new Counter({
    name: 'agency_sim_interception_reports_total',
    help: 'Interception reports the mock institutions sent, by outcome (accepted, duplicate, failed)',
    labelNames: ['institution', 'status'],
    registers: [registry],
  });
  const { size, seed } = ledgers;
  const drivers = config.agencies
    .filter((a) => !config.SIM_DOWN.includes(a.institution))
    .map(
      (agency) =>
        new InterceptionDriver({
          agency,
          checksPerSecond: config.AGENCY_SIM_INTERCEPTION_CHECKS_PER_S,
          reportRate: config.AGENCY_SIM_INTERCEPTION_REPORT_RATE,
          // Half the customers are ones this institution has registered a restriction for (so checks find
          // something once courts have acted), the rest anyone in the population, organisations too.
          pickId: () => {
            const known = ledgers.punishments(agency.institution).restrictedSubjects();
            if (known.length > 0 && Math.random() < 0.5)
              return known[Math.floor(Math.random() * known.length)]!;
            return Math.random() < 0.9
              ? personAt(seed, Math.floor(Math.random() * size.people)).idNumber
              : organisationAt(seed, Math.floor(Math.random() * size.organisations), size).creditCode;
          },
          counters: {
            checked: (institution, result) => checks.inc({ institution, result }),
            reported: (institution, status) => reports.inc({ institution, status }),
          },
          logger,
          now: () => deps.clock.now(),
        }),
    );
  const http = createHttpServer({ logger, registry, readiness: [] });
  http.get('/v1/sim/status', async () => ({
    agencies: agencies.map(({ agency, sim }) => ({
      kind: agency.kind,
      institution: agency.institution,
      answered: sim.answered,
      calls: sim.calls,
      holdChangesReported: sim.reporter.reported,
      holdChangesPending: sim.reporter.pending,
    })),
    interception: drivers.map((d) => ({
      institution: d.institution,
      checks: d.counts,
      reported: d.reported,
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
    drivers,
    async start() {
      await http.listen({ host: config.AGENCY_SIM_HOST, port: config.AGENCY_SIM_PORT });
      for (const a of agencies) a.sim.start();
      for (const d of drivers) d.start();
      logger.info({ agencies: agencies.map((a) => a.agency.institution) }, 'mock agencies answering');
    },
    async stop() {
      await Promise.all([...agencies.map((a) => a.sim.stop()), ...drivers.map((d) => d.stop())]);
      await http.close();
      if (!adapterClient.closed) await adapterClient.close(); // stop() twice is harmless
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
