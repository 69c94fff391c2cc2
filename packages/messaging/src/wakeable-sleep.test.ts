import { describe, expect, it } from 'vitest';
import { wakeableSleep } from './retry.js';

describe('wakeableSleep', () => {
  it('ends when its time is up, or at once when woken, and a late wake does nothing', async () => {
    let t = performance.now();
    const full = wakeableSleep(60);
    await full.done;
    expect(performance.now() - t).toBeGreaterThanOrEqual(55);
    full.wake(); // after it ended: nothing happens, nothing throws

    t = performance.now();
    const cut = wakeableSleep(10_000);
    setTimeout(cut.wake, 20);
    await cut.done;
    expect(performance.now() - t).toBeLessThan(5000);
  });
});
