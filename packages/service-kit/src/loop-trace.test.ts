import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LoopSecond, parseLoopTrace, startLoopTrace, summarizeLoopTrace } from './loop-trace.js';

const second = (at: number, process: string, p50: number, p99: number, gcMs: number): LoopSecond => ({
  at,
  process,
  delayP50Ms: p50,
  delayP99Ms: p99,
  delayMaxMs: p99 * 2,
  gcCount: gcMs > 0 ? 1 : 0,
  gcMs,
  gcMaxMs: gcMs,
  gcMsByKind: gcMs > 0 ? { '1': gcMs } : {},
  heapUsedMb: 100,
});

describe('event-loop trace', () => {
  it('summarises the seconds inside the window per process: median delays, worst delay, GC per second', () => {
    const seconds = [
      second(1_000, 'hub', 50, 90, 500), // before the window
      second(2_000, 'hub', 4, 20, 60),
      second(3_000, 'hub', 8, 40, 80),
      second(4_000, 'hub', 6, 30, 100),
      second(3_000, 'query', 1, 2, 0),
      second(9_000, 'hub', 70, 99, 900), // after it
    ];
    const [hub, query, ...rest] = summarizeLoopTrace(seconds, 2_000, 4_000);
    expect(rest).toEqual([]);
    expect(hub).toEqual({
      process: 'hub',
      seconds: 3,
      delayP50Ms: 6,
      delayP99Ms: 30,
      delayMaxMs: 80,
      gcMsPerSecond: 80,
      gcMaxMs: 100,
      gcShare: 0.08,
    });
    expect(query).toMatchObject({ process: 'query', seconds: 1, delayP50Ms: 1, gcMsPerSecond: 0 });
    expect(summarizeLoopTrace(seconds, 5_000, 8_000)).toEqual([]);
  });

  it('reads its own lines back and skips a line cut short', () => {
    const text = `${JSON.stringify(second(1, 'hub', 1, 2, 3))}\n{"at": 2, "proc\n\n`;
    expect(parseLoopTrace(text)).toEqual([second(1, 'hub', 1, 2, 3)]);
  });

  it('writes a second of delay and GC for a process whose loop was held', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'loop-trace-')), 'trace.jsonl');
    const stop = startLoopTrace(file, 'probe');
    try {
      await new Promise((r) => setTimeout(r, 100));
      const until = performance.now() + 60;
      while (performance.now() < until) {
        // hold the loop for 60 ms
      }
      await new Promise((r) => setTimeout(r, 1_100));
    } finally {
      stop();
    }
    const seconds = parseLoopTrace(readFileSync(file, 'utf8'));
    expect(seconds.length).toBeGreaterThanOrEqual(1);
    expect(seconds.every((s) => s.process === 'probe')).toBe(true);
    // The 60 ms hold shows as the worst delay of some second.
    expect(Math.max(...seconds.map((s) => s.delayMaxMs))).toBeGreaterThanOrEqual(50);
  });
});
