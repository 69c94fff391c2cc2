import { parseArgs } from 'node:util';
import {
  ConfigError,
  clockFromConfig,
  configProblemsText,
  createLogger,
  runUntilSignal,
  startLoopTrace,
} from '@hub/service-kit';
import { selectServices } from './services.js';
import { startStack } from './stack.js';

// One process, many services (Mimir/Loki's monolithic mode): they still talk only over Kafka and gRPC,
// each with its own schema, so this mode cannot hide a coupling. Production runs each main.ts apart.
const { values } = parseArgs({ options: { services: { type: 'string', default: 'all' } } });
const names = selectServices(values.services ?? 'all');
const env = { ...process.env };
// Every service of this process shares one hub clock (and a scaled one needs a shared epoch).
env.HUB_CLOCK_EPOCH ??= String(Date.now());
const logger = createLogger({ service: 'hub', level: env.LOG_LEVEL ?? 'info' });
const clock = clockFromConfig(Number(env.HUB_TIME_SCALE ?? '1'), Number(env.HUB_CLOCK_EPOCH));

try {
  const stack = await startStack(names, env, { logger, clock });
  logger.info({ services: names, urls: Object.fromEntries(stack.urls) }, 'hub running');
  // HUB_LOOP_TRACE=<file>: each second's event-loop delay and GC, for benchmarks (service-kit loop-trace.ts).
  if (env.HUB_LOOP_TRACE) startLoopTrace(env.HUB_LOOP_TRACE, names.length === 1 ? names[0]! : 'hub');
  runUntilSignal([...stack.apps.values()], logger);
} catch (err) {
  logger.fatal({ err }, 'hub failed to start');
  if (err instanceof ConfigError) process.stderr.write(configProblemsText('hub', err));
  process.exit(1);
}
