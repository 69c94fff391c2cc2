import { sealKeysFrom } from '@hub/seal';
import { commonEnv, env, parseEnv, requireCredentials } from '@hub/service-kit';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  QUERY_HOST: z.string().default('127.0.0.1'),
  /** Health and metrics only: the query service has no public API. */
  QUERY_PORT: env.port(8121),
  /** gRPC read API (property reports) for the gateway. */
  QUERY_GRPC_PORT: env.port(50053),
  /** Reuse an institution's answer about the same debtor younger than this (hub hours); 0 turns reuse off. */
  QUERY_REUSE_WINDOW_HOURS: z.coerce.number().min(0).default(24),
});

export type QueryConfig = z.infer<typeof schema>;

export function loadConfig(source: Record<string, string | undefined>): QueryConfig {
  const c = parseEnv(schema, source);
  // Answer reuse is for sealed notices only: the courts' public keys, or demo keys in demo mode.
  requireCredentials(source, ['HUB_COURT_SEAL_PUBLIC_KEYS'], c.HUB_DEMO);
  sealKeysFrom('HUB_COURT_SEAL_PUBLIC_KEYS', source.HUB_COURT_SEAL_PUBLIC_KEYS, 'public', c.HUB_DEMO);
  return c;
}
