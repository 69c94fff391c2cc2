export * from './agency-ledgers.js';
export * from './answer-for.js';
export * from './types.js';
