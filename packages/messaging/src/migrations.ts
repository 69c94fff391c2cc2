import { fileURLToPath } from 'node:url';

/** The shared messaging tables (outbox, processed_events): run before a service's own migrations. */
export const MESSAGING_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
