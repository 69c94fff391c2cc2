import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/**
 * One second of a process's event loop (a diagnostic, `HUB_LOOP_TRACE=<file>`): how late a 1 ms timer fired
 * (the wait every callback of the process had on top of its own work), and the garbage collector's pauses.
 */
export interface LoopSecond {
  /** Milliseconds since the epoch at the end of the second. */
  at: number;
  /** The process traced: `hub` for the one-process hub, the service's name for a process of its own. */
  process: string;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  /** GC time by kind (V8's: 1 scavenge, 2 mark-compact, 4 incremental marking, 8 weak callbacks). */
  gcMsByKind: Record<string, number>;
  heapUsedMb: number;
}

/**
 * Appends a {@link LoopSecond} per second to `file` (JSON lines) until the returned stop is called. Only when asked
 * for: a 1 ms timer wakes the process a thousand times a second, which an idle hub must not pay.
 */
export function startLoopTrace(file: string, processName: string): () => void {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let gc = { count: 0, ms: 0, max: 0, byKind: {} as Record<string, number> };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count += 1;
      gc.ms += e.duration;
      gc.max = Math.max(gc.max, e.duration);
      const kind = String((e as { detail?: { kind?: number } }).detail?.kind ?? 0);
      gc.byKind[kind] = (gc.byKind[kind] ?? 0) + e.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const round = (x: number) => Math.round(x * 10) / 10;
  const timer = setInterval(() => {
    const second: LoopSecond = {
      at: Date.now(),
      process: processName,
      delayP50Ms: round(delay.percentile(50) / 1e6),
      delayP99Ms: round(delay.percentile(99) / 1e6),
      delayMaxMs: round(delay.max / 1e6),
      gcCount: gc.count,
      gcMs: round(gc.ms),
      gcMaxMs: round(gc.max),
      gcMsByKind: Object.fromEntries(Object.entries(gc.byKind).map(([k, v]) => [k, round(v)])),
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    };
    delay.reset();
    gc = { count: 0, ms: 0, max: 0, byKind: {} };
    try {
      appendFileSync(file, `${JSON.stringify(second)}\n`);
    } catch {
      // A diagnostic that cannot write stops nothing.
    }
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    observer.disconnect();
    delay.disable();
  };
}

/** What a process's event loop did over a window: the median second's delays, and the GC per second. */
export interface LoopSummary {
  process: string;
  seconds: number;
  /** Median over the seconds of each second's p50 and p99 delay; the worst delay of the window. */
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  gcMsPerSecond: number;
  gcMaxMs: number;
  /** How much of the time the garbage collector held the loop (gcMs over the window's milliseconds). */
  gcShare: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The seconds that ended inside [from, to] (ms since the epoch), summarised per process, busiest delay first. */
export function summarizeLoopTrace(seconds: readonly LoopSecond[], from: number, to: number): LoopSummary[] {
  const byProcess = new Map<string, LoopSecond[]>();
  for (const s of seconds) {
    if (s.at < from || s.at > to) continue;
    const list = byProcess.get(s.process) ?? [];
    list.push(s);
    byProcess.set(s.process, list);
  }
  return [...byProcess]
    .map(([name, list]) => {
      const gcMs = list.reduce((sum, s) => sum + s.gcMs, 0);
      return {
        process: name,
        seconds: list.length,
        delayP50Ms: median(list.map((s) => s.delayP50Ms)),
        delayP99Ms: median(list.map((s) => s.delayP99Ms)),
        delayMaxMs: Math.max(...list.map((s) => s.delayMaxMs)),
        gcMsPerSecond: gcMs / list.length,
        gcMaxMs: Math.max(...list.map((s) => s.gcMaxMs)),
        gcShare: gcMs / (list.length * 1000),
      };
    })
    .sort((a, b) => b.delayP50Ms - a.delayP50Ms);
}

/** Reads a trace file written by {@link startLoopTrace}; lines that do not parse (a write cut short) are skipped. */
export function parseLoopTrace(text: string): LoopSecond[] {
  const out: LoopSecond[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const s = JSON.parse(line) as LoopSecond;
      if (typeof s.at === 'number' && typeof s.process === 'string') out.push(s);
    } catch {
      // skipped
    }
  }
  return out;
}
