import { runMain } from '@hub/service-kit';
import { buildApp, loadConfig } from './app.js';

await runMain('adapter-provident-fund', { loadConfig, buildApp });
