import { type HubService, isMeasureService, MEASURE_SERVICES } from '@hub/domain';
import { sealKeysFrom } from '@hub/seal';
import { commonEnv, env, parseEnv, requireCredentials } from '@hub/service-kit';
import { z } from 'zod';

/** `key=courtCode` pairs separated by commas. */
const courtKeys = z.string().transform((s, ctx) => {
  const pairs = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('='));
  if (pairs.length === 0 || pairs.some((p) => p.length !== 2 || !p[0] || !p[1])) {
    ctx.addIssue({ code: 'custom', message: 'must be key=courtCode pairs separated by commas' });
    return z.NEVER;
  }
  return new Map(pairs as [string, string][]);
});

/** The local demo's court key (DEMO mode only). */
export const DEMO_COURT_KEYS = 'demo-court-key=川0104';

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
   * Court API keys: `key=courtCode` pairs, comma separated. A key may act only for its court. Required: unset,
   * only demo mode (HUB_DEMO) serves the local demo court with `demo-court-key`.
   */
  GATEWAY_COURT_KEYS: courtKeys.optional(),
  /**
   * Courts' seal private keys (`court=base64 PKCS#8 DER`). Required: unset, only demo mode (HUB_DEMO) seals
   * with deterministic demo keys (not security).
   */
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

export type GatewayConfig = Readonly<
  Omit<z.infer<typeof schema>, 'GATEWAY_COURT_KEYS'> & { GATEWAY_COURT_KEYS: ReadonlyMap<string, string> }
>;

export function loadConfig(source: Record<string, string | undefined>): GatewayConfig {
  const credentials = ['GATEWAY_COURT_KEYS', 'GATEWAY_SEAL_KEYS'] as const;
  // A blank credential is an unset one (named as missing), not an empty or malformed key list.
  const given = { ...source };
  for (const v of credentials) if (given[v]?.trim() === '') delete given[v];
  const c = parseEnv(schema, given);
  requireCredentials(given, credentials, c.HUB_DEMO);
  // Parsed here too, so a malformed key stops the hub before any service starts (checkConfigs), naming it.
  sealKeysFrom('GATEWAY_SEAL_KEYS', given.GATEWAY_SEAL_KEYS, 'private', c.HUB_DEMO);
  return Object.freeze({
    ...c,
    GATEWAY_COURT_KEYS: c.GATEWAY_COURT_KEYS ?? courtKeys.parse(DEMO_COURT_KEYS),
  });
}
