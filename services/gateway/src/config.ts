import { type HubService, isMeasureService, MEASURE_SERVICES } from '@hub/domain';
import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: env.port(8080),
  GATEWAY_GRPC_PORT: env.port(50051),
  /** Tracker's gRPC read API, where notice status comes from. */
  TRACKER_GRPC_URL: z.string().default('127.0.0.1:50052'),
  /** Query service's gRPC read API, where property reports come from. */
  QUERY_GRPC_URL: z.string().default('127.0.0.1:50053'),
  /** Freeze-deduct service's gRPC read API, where a case's holds (控制措施) come from. */
  FREEZE_DEDUCT_GRPC_URL: z.string().default('127.0.0.1:50054'),
  /** Punishment service's gRPC API: admission of punishment notices, a case's restrictions, the public list. */
  PUNISHMENT_GRPC_URL: z.string().default('127.0.0.1:50055'),
  /**
   * Court API keys: `key=courtCode` pairs, comma separated. A key may act only for its court.
   * The default serves the local demo court; production sets its own.
   */
  GATEWAY_COURT_KEYS: z
    .string()
    .default('demo-court-key=川0104')
    .transform((s, ctx) => {
      const pairs = s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => p.split('='));
      if (pairs.some((p) => p.length !== 2 || !p[0] || !p[1])) {
        ctx.addIssue({ code: 'custom', message: 'must be key=courtCode pairs separated by commas' });
        return z.NEVER;
      }
      return new Map(pairs as [string, string][]);
    }),
  /** Courts' seal private keys (`court=base64 PKCS#8 DER`); unset = deterministic demo keys (not security). */
  GATEWAY_SEAL_KEYS: z.string().optional(),
  /**
   * The measure services this deployment runs (comma separated, from MEASURE_SERVICES). A notice whose
   * measure belongs to any other service is refused (422 MEASURE_NOT_DEPLOYED) instead of being stored to
   * wait for a service that never comes. Default: the measure services that exist today.
   */
  HUB_MEASURE_SERVICES: z
    .string()
    .default('query')
    .transform((s, ctx): ReadonlySet<HubService> => {
      const names = s
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);
      const unknown = names.filter((n) => !isMeasureService(n));
      if (names.length === 0 || unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must list measure services from ${MEASURE_SERVICES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
        });
        return z.NEVER;
      }
      return new Set(names as HubService[]);
    }),
  /** Most notices in one batch call. */
  GATEWAY_MAX_BATCH: env.positiveInt(1000),
  /** Back-pressure: notices waiting for storage beyond this are refused with 429 until the queue drains. */
  GATEWAY_MAX_PENDING: env.positiveInt(20_000),
  /** Submissions per court per minute (Redis-backed, shared by all gateway instances). */
  GATEWAY_RATE_LIMIT_PER_MINUTE: env.positiveInt(60_000),
  /** Public list searches (GET /v1/public/dishonest, unauthenticated) per client IP per minute (Redis-backed). */
  GATEWAY_PUBLIC_RATE_LIMIT_PER_MINUTE: env.positiveInt(30),
  /**
   * The proxies (addresses or CIDRs, comma separated) in front of the gateway whose X-Forwarded-For names the
   * client, e.g. the ingress; unset: none, and the client is the connection's peer.
   */
  GATEWAY_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
});

export type GatewayConfig = z.infer<typeof schema>;

export function loadConfig(source: Record<string, string | undefined>): GatewayConfig {
  return parseEnv(schema, source);
}
