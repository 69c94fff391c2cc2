import { parseArgs } from 'node:util';
import { clockFromConfig, createLogger, runUntilSignal, type ServiceApp } from '@hub/service-kit';
import { SERVICES, selectServices } from './services.js';

// One process, many services (Mimir/Loki's monolithic mode): they still talk only over Kafka and gRPC,
// each with its own schema, so this mode cannot hide a coupling. Production runs each main.ts apart.
const { values } = parseArgs({ options: { services: { type: 'string', default: 'all' } } });
const names = selectServices(values.services ?? 'all');
const env = { ...process.env };
env.HUB_CLOCK_EPOCH ??= String(Date.now());
const logger = createLogger({ service: 'hub', level: env.LOG_LEVEL ?? 'info' });
const scale = Number(env.HUB_TIME_SCALE ?? '1');
const clock = clockFromConfig(scale, Number(env.HUB_CLOCK_EPOCH));

const apps: ServiceApp[] = [];
try {
  for (const name of names) {
    const app = SERVICES[name]!(env, { logger, clock });
    await app.start();
    apps.push(app);
  }
} catch (err) {
  logger.fatal({ err }, 'start failed; stopping what started');
  for (const app of apps.reverse()) await app.stop().catch(() => undefined);
  process.exit(1);
}
logger.info({ services: names }, 'hub running');
runUntilSignal(apps, logger);
