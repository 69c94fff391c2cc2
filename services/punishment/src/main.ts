import { clockFromConfig, createLogger, runUntilSignal } from '@hub/service-kit';
import { buildApp, loadConfig } from './app.js';

const config = loadConfig(process.env);
const logger = createLogger({ service: 'punishment', level: config.LOG_LEVEL });
const app = buildApp(config, {
  logger,
  clock: clockFromConfig(config.HUB_TIME_SCALE, config.HUB_CLOCK_EPOCH),
});
await app.start();
runUntilSignal([app], logger);
