import { hubEnv, isolate } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProcesses, SEPARATE_SERVICES, startProcesses } from '../src/processes.js';
import { fileAndAwaitCompletion } from './demo-notice.js';

const iso = isolate();
let hub: RunningProcesses;

beforeAll(async () => {
  hub = await startProcesses({ ...process.env, ...hubEnv(iso) });
});

afterAll(async () => {
  hub?.kill();
  await iso.cleanup();
});

describe('separate-process mode', () => {
  it('completes a notice with every service in its own process, and each stops cleanly on SIGTERM', async () => {
    const body = await fileAndAwaitCompletion(hub.gateway, 'notice completed across processes');
    // six banks and three registration centres (the notice targets bank and real-estate)
    expect(body.requests.filter((r) => r.status === 'done')).toHaveLength(9);

    const codes = await hub.stop();
    for (const [name, code] of codes) {
      const output = hub.processes.get(name)!.output.join('');
      expect({ name, code, tail: code === 0 ? '' : output.slice(-2000) }).toEqual({
        name,
        code: 0,
        tail: '',
      });
    }
    expect([...codes.keys()].sort()).toEqual([...SEPARATE_SERVICES].sort());
  });
});
