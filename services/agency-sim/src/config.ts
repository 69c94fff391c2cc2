import { agencyKeysFrom } from '@hub/agency-kit';
import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  AGENCY_SIM_HOST: z.string().default('127.0.0.1'),
  AGENCY_SIM_PORT: env.port(8110),
  ADAPTER_BANK_URL: env.url('http://127.0.0.1:8101'),
  /** The keys the mock banks present; defaults to the adapters' local demo keys. */
  ADAPTER_BANK_KEYS: z.string().optional(),
  /** Seed of the synthetic population: the same seed always yields the same ledgers. */
  SIM_SEED: z.coerce.number().int().default(2026),
  SIM_POLL_MS: env.positiveInt(200),
  SIM_BATCH: env.positiveInt(200),
  /** Extra think time per batch, real milliseconds. */
  SIM_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  /** Share of requests a mock bank refuses (拒绝协助), 0..1. */
  SIM_REFUSAL_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Banks that never answer (to show breaches), comma separated codes. */
  SIM_SILENT_BANKS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
});

export type SimConfig = z.infer<typeof schema> & { bankKeys: Map<string, string> };

export function loadConfig(source: Record<string, string | undefined>): SimConfig {
  const c = parseEnv(schema, source);
  const bankKeys = agencyKeysFrom(
    'ADAPTER_BANK_KEYS',
    c.ADAPTER_BANK_KEYS,
    c.HUB_INSTITUTIONS.get('bank') ?? [],
  );
  return Object.freeze({ ...c, bankKeys });
}
