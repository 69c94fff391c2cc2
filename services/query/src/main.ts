import { runMain } from '@hub/service-kit';
import { buildApp, loadConfig } from './app.js';

await runMain('query', { loadConfig, buildApp });
