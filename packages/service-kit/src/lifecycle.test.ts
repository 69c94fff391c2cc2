import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DUPLICATE_SIGNAL_MS, type ServiceApp, stopApps } from './lifecycle.js';
import { createLogger } from './logger.js';

const APP = fileURLToPath(new URL('./fixtures/signal-app.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start the fixture (an app whose stop takes `stopMs`), wait until it runs; its exit code and output. */
async function started(stopMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', APP], {
    env: { ...process.env, STOP_MS: String(stopMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const deadline = Date.now() + 20_000;
  while (!out.includes('ready')) {
    if (Date.now() > deadline) throw new Error(`the fixture did not start: ${out}`);
    await sleep(20);
  }
  return { child, exited, output: () => out };
}

describe('runUntilSignal', () => {
  it('takes a second signal right after the first (Ctrl-C reaching the group, then its script) as the same stop', async () => {
    const app = await started(800);
    app.child.kill('SIGINT');
    await sleep(50);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('app stopped');
    expect(app.output()).toContain('the same stop, still stopping gracefully');
    expect(app.output()).not.toContain('exiting now');
  });

  it('exits at once on a second signal once the first is older than the duplicate window', async () => {
    const app = await started(30_000);
    app.child.kill('SIGINT');
    await sleep(DUPLICATE_SIGNAL_MS + 300);
    const sent = performance.now();
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(1);
    expect(performance.now() - sent).toBeLessThan(5_000);
    expect(app.output()).toContain('second signal: exiting now');
    expect(app.output()).not.toContain('app stopped');
  });
});

describe('stopApps', () => {
  /** An app whose stop waits until released, recording when it began; `fails` rejects on release. */
  function gated(name: string, began: string[], fails = false) {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const app: ServiceApp = {
      name,
      start: async () => undefined,
      stop: async () => {
        began.push(name);
        await gate;
        if (fails) throw new Error(`${name} could not stop`);
      },
    };
    return { app, release };
  }

  it('stops every app at once: none waits for another to finish first', async () => {
    const began: string[] = [];
    const apps = ['gateway', 'query', 'tracker'].map((n) => gated(n, began));
    const done = stopApps(
      apps.map((a) => a.app),
      createLogger({ service: 'test', level: 'silent' }),
    );
    await sleep(10);
    // All three are stopping while none has finished.
    expect(began.sort()).toEqual(['gateway', 'query', 'tracker']);
    for (const a of apps) a.release();
    expect(await done).toBe(true);
  });

  it('waits for every app even when one fails, logs the failure and reports it', async () => {
    const began: string[] = [];
    const lines: string[] = [];
    const logger = createLogger({
      service: 'test',
      level: 'error',
      destination: { write: (l: string) => lines.push(l) },
    });
    const bad = gated('query', began, true);
    const slow = gated('tracker', began);
    let trackerStopped = false;
    const done = stopApps([bad.app, slow.app], logger).then((ok) => {
      expect(trackerStopped).toBe(true);
      return ok;
    });
    bad.release();
    await sleep(10);
    trackerStopped = true;
    slow.release();
    expect(await done).toBe(false);
    expect(lines.join('')).toContain('"app":"query"');
    expect(lines.join('')).toContain('stop failed');
  });
});
