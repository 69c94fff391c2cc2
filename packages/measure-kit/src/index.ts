import { fileURLToPath } from 'node:url';

export { completionCounts } from './completion.js';
export { createMeasureHandler } from './measure-handler.js';
export type * from './spec.js';
export { subjectKeyOf } from './subject.js';

/** The skeleton's tables (notices, requests): pass with the service's own migrations to its runtime. */
export const MEASURE_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
