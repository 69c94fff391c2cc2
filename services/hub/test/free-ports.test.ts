import { ANY_FREE_PORTS } from '@hub/service-kit';
import { describe, expect, it } from 'vitest';
import { SERVICE_MODULES } from '../src/services.js';

// Tests and benchmarks run several whole hubs on one machine at once: a fixed port left in one service
// (FREEZE_DEDUCT_PORT once was) makes them fail each other with EADDRINUSE.
describe('ANY_FREE_PORTS', () => {
  it.each(Object.keys(SERVICE_MODULES))('sets every listening port of %s to any free port', (name) => {
    const config = SERVICE_MODULES[name]!.loadConfig({
      ...ANY_FREE_PORTS,
      HUB_DEMO: '1',
      DATABASE_URL: 'postgres://127.0.0.1:5432/test',
    }) as Record<string, unknown>;
    const ports = Object.entries(config).filter(([key]) => key.endsWith('_PORT'));
    expect(ports.length).toBeGreaterThan(0);
    expect(Object.fromEntries(ports)).toEqual(Object.fromEntries(ports.map(([key]) => [key, 0])));
  });
});
