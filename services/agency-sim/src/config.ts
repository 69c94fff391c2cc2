import { ADAPTER_PORTS, agencyKeysFrom, envPrefixOf } from '@hub/agency-kit';
import { AGENCY_KINDS, type AgencyKind } from '@hub/domain';
import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';

const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const schema = z.object({
  ...commonEnv,
  AGENCY_SIM_HOST: z.string().default('127.0.0.1'),
  AGENCY_SIM_PORT: env.port(8110),
  /** Seed of the synthetic population: the same seed always yields the same ledgers. */
  SIM_SEED: z.coerce.number().int().default(2026),
  /**
   * Long poll: seconds each mock institution's inbox lease waits for work (GET /v1/agency/inbox?wait=N), so an
   * idle institution holds one open request instead of polling; 0 polls every SIM_POLL_MS as before.
   */
  SIM_LEASE_WAIT_S: z.coerce.number().int().min(0).max(30).default(20),
  /** Between empty polls when SIM_LEASE_WAIT_S is 0 (and while hold-change reports wait to be retried). */
  SIM_POLL_MS: env.positiveInt(200),
  SIM_BATCH: env.positiveInt(200),
  /** Think time per batch, real milliseconds: a fixed part plus a uniformly random part. */
  SIM_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  SIM_LATENCY_JITTER_MS: z.coerce.number().int().min(0).default(0),
  /** Share of requests refused (拒绝协助), 0..1. */
  SIM_REFUSAL_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Share of adapter calls that fail as a flaky partner's would (the round is retried), 0..1. */
  SIM_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Institutions that take requests but never answer (to show breaches), comma separated codes. */
  SIM_SILENT: list,
  /** Institutions that are down (do not even pull their inbox), comma separated codes. */
  SIM_DOWN: list,
  /** Interception checks each institution makes per second (customers at its counters); 0 = none. */
  AGENCY_SIM_INTERCEPTION_CHECKS_PER_S: z.coerce.number().min(0).max(10_000).default(1),
  /** Probability (0..1) that an institution blocks a restricted customer's business and reports it. */
  AGENCY_SIM_INTERCEPTION_REPORT_RATE: z.coerce.number().min(0).max(1).default(0.5),
});

export interface SimAgency {
  kind: AgencyKind;
  institution: string;
  secret: string;
  adapterUrl: string;
}

export type SimConfig = z.infer<typeof schema> & { agencies: SimAgency[] };

/**
 * The mock agencies: every connected institution (HUB_INSTITUTIONS) of every kind, each with the secret
 * its adapter expects (ADAPTER_<KIND>_KEYS, or in demo mode the local demo secrets) and its adapter's URL
 * (ADAPTER_<KIND>_URL, default http://127.0.0.1:<default port>).
 */
export function loadConfig(source: Record<string, string | undefined>): SimConfig {
  const c = parseEnv(schema, source);
  const agencies: SimAgency[] = [];
  for (const kind of AGENCY_KINDS) {
    const prefix = envPrefixOf(kind);
    const institutions = c.HUB_INSTITUTIONS.get(kind) ?? [];
    const secrets = agencyKeysFrom(`${prefix}_KEYS`, source[`${prefix}_KEYS`], institutions, c.HUB_DEMO);
    const url = parseEnv(
      z.object({ [`${prefix}_URL`]: env.url(`http://127.0.0.1:${ADAPTER_PORTS[kind]}`) }),
      source,
    )[`${prefix}_URL`] as string;
    for (const institution of institutions) {
      const secret = secrets.get(institution);
      if (secret) agencies.push({ kind, institution, secret, adapterUrl: url });
    }
  }
  return Object.freeze({ ...c, agencies });
}
