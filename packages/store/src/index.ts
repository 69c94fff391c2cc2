export * from './group-commit.js';
export * from './migrate.js';
export * from './pool.js';
