import { AGENCY_KINDS, type AgencyKind as Agency } from '@hub/domain';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parse a service's environment once at boot against its zod schema (keys are variable names) and
 * return a frozen, typed object. A bad value fails fast and names the variable.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), problem: i.message })),
    );
  }
  return Object.freeze(result.data);
}

/** Why an unset credential stops boot outside the demo (one wording for every service). */
export const CREDENTIAL_REQUIRED =
  'is required: set the credentials, or HUB_DEMO=1 to run the local demo with its published demo keys';

/**
 * A credential variable's value, or `undefined` for "use the published demo key" — allowed only in demo mode
 * (HUB_DEMO). Outside it an unset or blank credential fails boot naming the variable: nothing is open by default.
 */
export function credentialOrDemo(
  variable: string,
  value: string | undefined,
  demo: boolean,
): string | undefined {
  if (value !== undefined && value.trim() !== '') return value;
  if (demo) return undefined;
  throw new ConfigError([{ variable, problem: CREDENTIAL_REQUIRED }]);
}

/**
 * Checks several credential variables at once (credentialOrDemo), so one boot names every one that is missing.
 */
export function requireCredentials(
  source: Record<string, string | undefined>,
  variables: readonly string[],
  demo: boolean,
): void {
  const problems: ConfigError['problems'] = [];
  for (const variable of variables) {
    try {
      credentialOrDemo(variable, source[variable], demo);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Shared variable shapes so every service spells them the same way. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: (fallback: string) => z.string().url().default(fallback),
  brokers: () =>
    z
      .string()
      .default('127.0.0.1:9092')
      .transform((s) =>
        s
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
      ),
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  positiveNumber: (fallback: number) => z.coerce.number().positive().default(fallback),
};

/**
 * The connected institutions (协助执行单位) by agency kind, `kind:CODE` pairs separated by commas. A notice
 * target without an institution fans out to every connected institution of its kind.
 */
const institutions = z
  .string()
  .default(
    [
      'bank:ICBC,bank:CCB,bank:ABC,bank:BOC,bank:BOCOM,bank:CMB',
      'real-estate:REC-510100,real-estate:REC-110000,real-estate:REC-440300',
      'public-security:PSB-510100',
      'provident-fund:PF-510100',
    ].join(','),
  )
  .transform((s, ctx) => {
    const map = new Map<Agency, string[]>();
    for (const pair of s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [kind, code] = pair.split(':');
      if (!AGENCY_KINDS.includes(kind as Agency) || !code || !/^[A-Za-z0-9_-]{1,32}$/.test(code)) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" is not agency-kind:CODE` });
        return z.NEVER;
      }
      map.set(kind as Agency, [...(map.get(kind as Agency) ?? []), code]);
    }
    return map;
  });

/** The variables every service reads, with their defaults on one machine (DESIGN §6). */
export const commonEnv = {
  DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/test'),
  REDIS_URL: env.url('redis://127.0.0.1:6379'),
  /**
   * Connections each service's PostgreSQL pool may open (default 10). The one-process hub runs about ten pools,
   * so with PostgreSQL's default of 100 connections a smaller size leaves room for other clients; tests set 4.
   */
  HUB_PG_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * How long an idle Kafka consumer's fetch waits at the broker, ms (default 3,000; Kafka's fetch.max.wait). A fetch
   * returns at its first record, so this adds no latency: it sets how often an idle consumer asks (the idle hub's
   * main cost) and how long a stopping one may wait for its fetch in flight. Tests set 500 (faster stops). At most
   * 5,000: an idle member heartbeats between fetches, inside its 10 s session.
   */
  HUB_KAFKA_FETCH_WAIT_MS: z.coerce.number().int().min(10).max(5000).default(3000),
  KAFKA_BROKERS: env.brokers(),
  /** Prefix for topic names (tests isolate themselves with it). */
  HUB_TOPIC_PREFIX: z.string().default(''),
  /** Prefix for schema names and consumer groups. */
  HUB_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_]*$/)
    .default(''),
  /** Hub clock speed: 3600 makes an hour pass in a second (demos and tests). */
  HUB_TIME_SCALE: env.positiveNumber(1),
  /** Real epoch milliseconds at which hub time equals real time; shared by all processes of a deployment. */
  HUB_CLOCK_EPOCH: z.coerce.number().int().positive().optional(),
  LOG_LEVEL: env.logLevel(),
  HUB_INSTITUTIONS: institutions,
  /**
   * A JSON file of extra holiday-year tables (format of packages/domain/src/data/prc-holidays.json): years
   * the shipped calendar lacks, or the published arrangement replacing a provisional year. Unset: as shipped.
   */
  HUB_CALENDAR_FILE: z.string().min(1).optional(),
  /**
   * A JSON file holding the SLA policy (`{ version, source, rules, fallback }`, DESIGN §4 table as data) the
   * measure services stamp deadlines with. Unset: the shipped policy, version `default`.
   */
  HUB_SLA_POLICY_FILE: z.string().min(1).optional(),
  /**
   * The local demo (`npm run demo`, `npm run bench`, the tests, compose): credentials left unset fall back to the
   * published demo keys (court key `demo-court-key`, agency secrets `<institution>-demo-secret`, seals derived
   * from the court code). Off by default: outside it a service whose credentials are unset refuses to start,
   * naming each variable (credentialOrDemo).
   */
  HUB_DEMO: env.flag(false),
  /** Courts' seal public keys (`court=base64 SPKI DER`); unset = demo keys, in demo mode only (not security). */
  HUB_COURT_SEAL_PUBLIC_KEYS: z.string().optional(),
};

/**
 * Every hub service's listening-port variable set to 0 (any free port): for tests and benchmarks that run
 * several stacks on one machine. services/hub/test/free-ports.test.ts checks it covers every service.
 */
export const ANY_FREE_PORTS: Readonly<Record<string, string>> = Object.freeze({
  GATEWAY_PORT: '0',
  GATEWAY_GRPC_PORT: '0',
  TRACKER_PORT: '0',
  TRACKER_GRPC_PORT: '0',
  QUERY_PORT: '0',
  QUERY_GRPC_PORT: '0',
  FREEZE_DEDUCT_PORT: '0',
  FREEZE_DEDUCT_GRPC_PORT: '0',
  PUNISHMENT_PORT: '0',
  PUNISHMENT_GRPC_PORT: '0',
  ADAPTER_BANK_PORT: '0',
  ADAPTER_REAL_ESTATE_PORT: '0',
  ADAPTER_PUBLIC_SECURITY_PORT: '0',
  ADAPTER_PROVIDENT_FUND_PORT: '0',
  AGENCY_SIM_PORT: '0',
});
