import type { AddressInfo } from 'node:net';
import type { Clock } from '@hub/domain';
import {
  ConfigError,
  clockFromConfig,
  createLogger,
  type Logger,
  type ServiceApp,
  stopApps,
} from '@hub/service-kit';
import { DEPLOYABLE_MEASURE_SERVICES, SERVICE_MODULES, SERVICES } from './services.js';

type Env = Record<string, string | undefined>;

export interface RunningStack {
  apps: Map<string, ServiceApp>;
  /** Where each started service listens, e.g. `gateway` → `http://127.0.0.1:8080`. */
  urls: Map<string, string>;
  env: Env;
  stop(): Promise<void>;
}

function httpUrl(app: ServiceApp): string | undefined {
  const http = (app as { http?: { server: { address(): AddressInfo | string | null } } }).http;
  const a = http?.server.address();
  return a && typeof a !== 'string' ? `http://127.0.0.1:${a.port}` : undefined;
}

/**
 * The logger and the hub clock of a one-process hub, from its environment: the same for its main thread and its
 * worker thread (HUB_CLOCK_EPOCH set once by main.ts, so both read the same scaled time).
 */
export function hubDeps(env: Env): { logger: Logger; clock: Clock } {
  return {
    logger: createLogger({ service: 'hub', level: env.LOG_LEVEL ?? 'info' }),
    clock: clockFromConfig(Number(env.HUB_TIME_SCALE ?? '1'), Number(env.HUB_CLOCK_EPOCH)),
  };
}

/**
 * Every selected service's configuration read before any of them starts: a missing credential or a bad value
 * stops the whole hub at once, each problem named once, instead of after the first services are running.
 */
export function checkConfigs(names: readonly string[], env: Env): void {
  const problems = new Map<string, ConfigError['problems'][number]>();
  for (const name of names) {
    try {
      SERVICE_MODULES[name]!.loadConfig(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const p of err.problems) problems.set(`${p.variable} ${p.problem}`, p);
    }
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()]);
}

/**
 * Start services in one process, in order, telling later ones where earlier ones listen (ports may be
 * 0 = any free port). On a failed start everything already started is stopped again.
 */
export async function startStack(
  names: string[],
  baseEnv: Env,
  deps: { logger: Logger; clock: Clock },
): Promise<RunningStack> {
  const env: Env = { ...baseEnv };
  env.HUB_MEASURE_SERVICES ??= DEPLOYABLE_MEASURE_SERVICES.join(',');
  const apps = new Map<string, ServiceApp>();
  const urls = new Map<string, string>();
  const stop = async () => {
    const running = [...apps.values()];
    apps.clear();
    if (!(await stopApps(running, deps.logger))) throw new Error('some services failed to stop (logged)');
  };
  checkConfigs(names, env);
  try {
    for (const name of names) {
      const app = SERVICES[name]!(env, deps);
      await app.start();
      apps.set(name, app);
      const url = httpUrl(app);
      if (url) urls.set(name, url);
      const grpcPort = (app as unknown as { grpcPort?: number }).grpcPort;
      if (name === 'tracker') env.TRACKER_GRPC_URL = `127.0.0.1:${grpcPort}`;
      if (name === 'query') env.QUERY_GRPC_URL = `127.0.0.1:${grpcPort}`;
      if (name === 'freeze-deduct') env.FREEZE_DEDUCT_GRPC_URL = `127.0.0.1:${grpcPort}`;
      if (name === 'punishment') env.PUNISHMENT_GRPC_URL = `127.0.0.1:${grpcPort}`;
      // Later services (the mock agencies) find each adapter at ADAPTER_<KIND>_URL.
      if (name.startsWith('adapter-') && url) env[`${name.toUpperCase().replace(/-/g, '_')}_URL`] = url;
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { apps, urls, env, stop };
}
