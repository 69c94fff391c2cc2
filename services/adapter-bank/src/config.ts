import { agencyKeysFrom } from '@hub/agency-kit';
import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  ADAPTER_BANK_HOST: z.string().default('127.0.0.1'),
  ADAPTER_BANK_PORT: env.port(8101),
  /** `INSTITUTION=key` pairs; defaults to local demo keys for the connected banks. */
  ADAPTER_BANK_KEYS: z.string().optional(),
});

export type BankAdapterConfig = z.infer<typeof schema> & { keys: Map<string, string> };

export function loadConfig(source: Record<string, string | undefined>): BankAdapterConfig {
  const c = parseEnv(schema, source);
  const keys = agencyKeysFrom('ADAPTER_BANK_KEYS', c.ADAPTER_BANK_KEYS, c.HUB_INSTITUTIONS.get('bank') ?? []);
  return Object.freeze({ ...c, keys });
}
