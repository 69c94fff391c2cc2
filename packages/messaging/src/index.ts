import { fileURLToPath } from 'node:url';

export * from './consumer.js';
export * from './kafka.js';
export * from './outbox.js';
export * from './relay.js';
export * from './retry.js';

/** The shared messaging tables (outbox, processed_events): run before a service's own migrations. */
export const MESSAGING_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
export * from './runtime.js';
