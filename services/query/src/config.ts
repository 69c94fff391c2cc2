import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  QUERY_HOST: z.string().default('127.0.0.1'),
  /** Health and metrics only: the query service has no public API. */
  QUERY_PORT: env.port(8121),
});

export type QueryConfig = z.infer<typeof schema>;

export function loadConfig(source: Record<string, string | undefined>): QueryConfig {
  return parseEnv(schema, source);
}
