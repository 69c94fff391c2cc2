import type { AgencyKind } from '@hub/domain';
import { sealKeysFrom } from '@hub/seal';
import { commonEnv, env, parseEnv, requireCredentials } from '@hub/service-kit';
import { z } from 'zod';
import type { AdapterConfig } from './adapter-app.js';
import { agencyKeysFrom } from './auth.js';

/** `real-estate` → `REAL_ESTATE`: the prefix of one adapter's variables (ADAPTER_REAL_ESTATE_PORT …). */
export const envPrefixOf = (agency: AgencyKind) => `ADAPTER_${agency.toUpperCase().replace(/-/g, '_')}`;

/** Default ports on one machine (DESIGN §6). */
export const ADAPTER_PORTS: Record<AgencyKind, number> = {
  bank: 8101,
  'real-estate': 8102,
  'public-security': 8103,
  'provident-fund': 8104,
};

/**
 * One adapter's configuration: the common variables plus `ADAPTER_<KIND>_HOST`, `_PORT` and `_KEYS`
 * (`INSTITUTION=secret` pairs; unset = local demo secrets for the connected institutions of that kind, in demo
 * mode only: otherwise boot fails naming the variable).
 */
export function loadAdapterConfig(
  agency: AgencyKind,
  source: Record<string, string | undefined>,
): AdapterConfig {
  const prefix = envPrefixOf(agency);
  const schema = z.object({
    ...commonEnv,
    [`${prefix}_HOST`]: z.string().default('127.0.0.1'),
    [`${prefix}_PORT`]: env.port(ADAPTER_PORTS[agency]),
    [`${prefix}_KEYS`]: z.string().optional(),
  });
  const c = parseEnv(schema, source) as z.infer<typeof schema> & Record<string, unknown>;
  requireCredentials(source, [`${prefix}_KEYS`, 'HUB_COURT_SEAL_PUBLIC_KEYS'], c.HUB_DEMO);
  // Parsed here too, so a malformed key stops the hub before any service starts (checkConfigs), naming it.
  sealKeysFrom('HUB_COURT_SEAL_PUBLIC_KEYS', source.HUB_COURT_SEAL_PUBLIC_KEYS, 'public', c.HUB_DEMO);
  const institutions = c.HUB_INSTITUTIONS.get(agency) ?? [];
  return Object.freeze({
    ...c,
    host: c[`${prefix}_HOST`] as string,
    port: c[`${prefix}_PORT`] as number,
    keys: agencyKeysFrom(
      `${prefix}_KEYS`,
      c[`${prefix}_KEYS`] as string | undefined,
      institutions,
      c.HUB_DEMO,
    ),
  });
}
