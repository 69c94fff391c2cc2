export * from './projection.ts';
export * from './subject.ts';
