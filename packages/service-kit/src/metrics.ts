import { collectDefaultMetrics, Registry } from 'prom-client';

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
      // The event-loop delay is sampled by a timer: every 100 ms (prom-client's default is 10 ms, a hundred
      // wake-ups a second of an idle process), still ten samples a second for the lag percentiles.
      collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 100 });
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
