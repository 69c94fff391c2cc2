import { hubEnv, isolate } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProcesses, startProcesses } from '../src/processes.js';
import { fileAndAwaitCompletion } from './demo-notice.js';

// The one-process hub as deployed (services/hub/src/main.ts): by default its four adapters run on a worker thread
// of the process (HUB_THREADS=adapters), every other service on the main thread.
const iso = isolate();
let hub: RunningProcesses;

beforeAll(async () => {
  hub = await startProcesses({ ...process.env, ...hubEnv(iso), LOG_LEVEL: 'info' }, { oneProcess: true });
});

afterAll(async () => {
  hub?.kill();
  await iso.cleanup();
});

describe('one-process mode (main.ts), the adapters on a worker thread', () => {
  it('completes a notice across the thread, and the process stops cleanly on SIGTERM, its thread with it', async () => {
    const body = await fileAndAwaitCompletion(hub.gateway, 'notice completed across the thread');
    // six banks and three registration centres (the notice targets bank and real-estate)
    expect(body.requests.filter((r) => r.status === 'done')).toHaveLength(9);
    // The adapters answer on their own ports, served by the thread.
    expect((await fetch(`${hub.url('adapter-bank')}/readyz`)).ok).toBe(true);

    const codes = await hub.stop();
    const output = hub.processes.get('hub')!.output.join('');
    expect({ code: codes.get('hub'), tail: codes.get('hub') === 0 ? '' : output.slice(-2000) }).toEqual({
      code: 0,
      tail: '',
    });
    const running = output.split('\n').find((l) => l.includes('"hub running"'));
    expect(JSON.parse(running!).threaded).toEqual([
      'adapter-bank',
      'adapter-real-estate',
      'adapter-public-security',
      'adapter-provident-fund',
    ]);
    expect(output).toContain('"msg":"stopped"');
  });
});
