export * from './migrations.js';
export { cancelTimers, scheduleTimers } from './sql/schedule.js';
export * from './sweeper.js';
export type { Timer, TimerSpec } from './timer.js';
