import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  PUNISHMENT_HOST: z.string().default('127.0.0.1'),
  /** Health and metrics only: the punishment service has no public API. */
  PUNISHMENT_PORT: env.port(8123),
  /** gRPC (admission, a case's restrictions, the public list) for the gateway. */
  PUNISHMENT_GRPC_PORT: env.port(50055),
  /** Longest real sleep of the listing-expiry timer sweeper, milliseconds. */
  PUNISHMENT_TIMER_SWEEP_MS: env.positiveInt(5000),
  /** Real milliseconds between checks that the interception projection in Redis is complete. */
  PUNISHMENT_PROJECTION_CHECK_MS: env.positiveInt(1000),
  /**
   * Real milliseconds between anti-entropy passes over the interception projection: a subject's key lost or
   * gone back while the readiness key survived (an asynchronous failover) is repaired by the next pass.
   */
  PUNISHMENT_PROJECTION_RECONCILE_MS: env.positiveInt(15_000),
});

export type PunishmentConfig = z.infer<typeof schema>;

export function loadConfig(source: Record<string, string | undefined>): PunishmentConfig {
  return parseEnv(schema, source);
}
