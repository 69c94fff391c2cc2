import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  TRACKER_HOST: z.string().default('127.0.0.1'),
  TRACKER_PORT: env.port(8090),
  TRACKER_GRPC_PORT: env.port(50052),
});

export type TrackerConfig = z.infer<typeof schema>;

export function loadConfig(source: Record<string, string | undefined>): TrackerConfig {
  return parseEnv(schema, source);
}
