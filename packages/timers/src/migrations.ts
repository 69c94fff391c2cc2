import { fileURLToPath } from 'node:url';

/**
 * The timers table, migrated into the using service's schema with its own history table: the package's
 * migrations are numbered on their own and may be added to a service that already ran later ones of its own.
 */
export const TIMERS_MIGRATIONS = Object.freeze({
  table: 'pgmigrations_timers',
  dir: fileURLToPath(new URL('../migrations', import.meta.url)),
});
