import { fileURLToPath } from 'node:url';

/**
 * The skeleton's tables (notices, requests), for the runtime's `packageMigrations`: migrated into the service's
 * schema before its own tables, with a history table of their own (numbered apart from the service's).
 */
export const MEASURE_MIGRATIONS = Object.freeze({
  table: 'pgmigrations_measure',
  dir: fileURLToPath(new URL('../migrations', import.meta.url)),
});
