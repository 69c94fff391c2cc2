import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** The process's own metrics (CPU, memory, event-loop delay, GC), shared by every service the process runs. */
let processRegistry: Registry | undefined;
const showsProcessMetrics = new WeakSet<Registry>();

/**
 * One registry per service, so that in one-process mode each keeps its own /metrics. The process's metrics are
 * collected once per process and shown by every service's /metrics (see `metricsText`), not once per registry:
 * each collection samples the event loop with a timer of its own, and the one-process hub runs ten services
 * (at prom-client's default 10 ms, a thousand wake-ups a second of an otherwise idle process).
 */
export function createMetricsRegistry(service: string, options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) {
    if (!processRegistry) {
      processRegistry = new Registry();
      // The event-loop delay percentiles come from a timer that measures how late it fires: every second here
      // (prom-client's default is 10 ms, a hundred wake-ups a second of an idle process; at 100 ms it still cost
      // an idle process 0.16 % of a core, 1.6 % for the ten processes of the separate-process hub). How busy the
      // loop is comes from its utilisation below, which needs no timer.
      collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 1000 });
      let since = performance.eventLoopUtilization();
      new Gauge({
        name: 'nodejs_eventloop_utilization_ratio',
        help: 'Share of the time since the previous scrape the event loop spent running (not waiting for I/O).',
        registers: [processRegistry],
        collect() {
          const now = performance.eventLoopUtilization();
          this.set(performance.eventLoopUtilization(now, since).utilization);
          since = now;
        },
      });
    }
    showsProcessMetrics.add(registry);
  }
  return registry;
}

/** A service's /metrics in the Prometheus text format: its own metrics, then the process's. */
export async function metricsText(registry: Registry): Promise<string> {
  const own = await registry.metrics();
  if (!processRegistry || !showsProcessMetrics.has(registry)) return own;
  return `${own.trimEnd()}\n\n${await processRegistry.metrics()}`;
}
