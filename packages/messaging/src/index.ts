export * from './consumer.js';
export * from './kafka.js';
export * from './migrations.js';
export * from './outbox.js';
export * from './relay.js';
export * from './retry.js';
export * from './runtime.js';
