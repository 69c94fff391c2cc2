/**
 * One bank adapter instance for the interception benchmark, in its own process as it runs in service (a
 * replica behind the partners' load balancer): configured from the environment the parent passes, it prints
 * `PORT <n>` once listening and stops on SIGTERM.
 */
import { buildAdapterApp, loadAdapterConfig } from '@hub/agency-kit';
import { systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';

const logger = createLogger({ service: 'bench-adapter', level: 'warn' });
const adapter = buildAdapterApp('bank', loadAdapterConfig('bank', process.env), {
  logger,
  clock: systemClock,
});
await adapter.start();
const address = adapter.http.server.address();
if (!address || typeof address === 'string') throw new Error('the adapter is not listening');
process.stdout.write(`PORT ${address.port}\n`);
process.once('SIGTERM', () => {
  void adapter.stop().then(() => process.exit(0));
});

// BENCH_ADAPTER_TRACE=1: each second, the event loop's worst delay and the garbage collector's pauses.
if (process.env.BENCH_ADAPTER_TRACE === '1') {
  const { monitorEventLoopDelay, PerformanceObserver } = await import('node:perf_hooks');
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let gcCount = 0;
  let gcMs = 0;
  let gcMax = 0;
  const kinds: Record<number, number> = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCount += 1;
      gcMs += e.duration;
      gcMax = Math.max(gcMax, e.duration);
      const kind = (e as { detail?: { kind?: number } }).detail?.kind ?? 0;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    process.stderr.write(
      `adapter ${process.pid}: loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} max ${(delay.max / 1e6).toFixed(1)} ms; gc ${gcCount}× ${gcMs.toFixed(0)} ms (max ${gcMax.toFixed(1)}) ${JSON.stringify(kinds)}\n`,
    );
    delay.reset();
    gcCount = 0;
    gcMs = 0;
    gcMax = 0;
    for (const k of Object.keys(kinds)) delete kinds[Number(k)];
  }, 1000).unref();
}

// BENCH_ADAPTER_HEAP=<file>: a sampling profile of every allocation (garbage included), written at SIGTERM.
if (process.env.BENCH_ADAPTER_HEAP) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.BENCH_ADAPTER_HEAP_MINOR !== '0',
  } as never);
  process.prependOnceListener('SIGTERM', () => {
    void session.post('HeapProfiler.stopSampling').then((r) => {
      writeFileSync(process.env.BENCH_ADAPTER_HEAP!, JSON.stringify((r as { profile: unknown }).profile));
    });
  });
}
