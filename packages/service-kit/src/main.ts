import type { Clock } from '@hub/domain';
import { clockFromConfig } from './clock.js';
import { ConfigError } from './config.js';
import { runUntilSignal, type ServiceApp } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { startLoopTrace } from './loop-trace.js';

/** What a process says when its configuration stops it: one line per variable, no stack trace. */
export function configProblemsText(name: string, err: ConfigError): string {
  const lines = err.problems.map((p) => `  ${p.variable} ${p.problem}\n`).join('');
  return `${name}: cannot start, the configuration is incomplete:\n${lines}`;
}

/** The settings every service's configuration carries that its main needs (service-kit commonEnv). */
interface MainConfig {
  LOG_LEVEL: string;
  HUB_TIME_SCALE: number;
  HUB_CLOCK_EPOCH?: number | undefined;
}

/**
 * A service's own process (`node services/<name>/src/main.ts`): its configuration read from the environment, the
 * service built, started and run until SIGINT/SIGTERM. A configuration that stops it (a credential unset outside
 * demo mode, a malformed key) is printed as the one-process hub prints it, each variable and its problem, and the
 * process exits 1 having started nothing.
 */
export async function runMain<C extends MainConfig>(
  service: string,
  module: {
    loadConfig(env: Record<string, string | undefined>): C;
    buildApp(config: C, deps: { logger: Logger; clock: Clock }): ServiceApp;
  },
): Promise<void> {
  let config: C;
  try {
    config = module.loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(configProblemsText(service, err));
    process.exit(1);
  }
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const clock = clockFromConfig(config.HUB_TIME_SCALE, config.HUB_CLOCK_EPOCH);
  const app = module.buildApp(config, { logger, clock });
  await app.start();
  // HUB_LOOP_TRACE=<file>: a diagnostic for benchmarks (loop-trace.ts), never on by default.
  if (process.env.HUB_LOOP_TRACE) startLoopTrace(process.env.HUB_LOOP_TRACE, service);
  runUntilSignal([app], logger);
}
