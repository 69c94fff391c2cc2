export * from './clock.js';
export * from './config.js';
export * from './grpc.js';
export * from './http.js';
export * from './http-errors.js';
export * from './lifecycle.js';
export * from './logger.js';
export * from './metrics.js';
