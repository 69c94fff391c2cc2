export * from './endpoints.js';
export * from './isolation.js';
export * from './wait.js';
