import { fileURLToPath } from 'node:url';

/** The shared messaging tables (outbox, processed_events): run before a service's own migrations. */
export const MESSAGING_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Messaging migrations that change the shared tables after a service has made them: run after the service's own
 * migrations, with a history table of their own (`MESSAGING_AFTER_MIGRATIONS_TABLE`).
 */
export const MESSAGING_AFTER_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations-after', import.meta.url));
export const MESSAGING_AFTER_MIGRATIONS_TABLE = 'pgmigrations_messaging';
