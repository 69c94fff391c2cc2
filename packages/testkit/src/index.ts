export * from './endpoints.js';
export * from './fuzz.js';
export * from './hub-env.js';
export * from './isolation.js';
export * from './kafka.js';
export * from './wait.js';
