import type { Endpoints } from './endpoints.js';

// What the global setup hands every test file (vitest provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
  }
}
