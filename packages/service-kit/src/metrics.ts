import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per service, so that in one-process mode each keeps its own /metrics. */
export function createMetricsRegistry(service: string, options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
