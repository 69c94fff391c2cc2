export { completionCounts } from './completion.js';
export { createMeasureHandler, measureEventFilter, misroutedOn } from './measure-handler.js';
export {
  buildMeasureService,
  type Companion,
  type MeasureServiceConfig,
  type MeasureServiceDefinition,
} from './measure-service.js';
export { MEASURE_MIGRATIONS } from './migrations.js';
export type * from './spec.js';
export { subjectKeyOf } from './subject.js';
