import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DUPLICATE_SIGNAL_MS } from './lifecycle.js';

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
