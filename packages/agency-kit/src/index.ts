export * from './adapter-app.js';
export * from './adapter-config.js';
export * from './answers.js';
export * from './auth.js';
export * from './inbox.js';
export * from './routes.js';
export * from './signing.js';
