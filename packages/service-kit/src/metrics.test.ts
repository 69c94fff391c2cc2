import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, metricsText } from './metrics.js';

const typeLines = (text: string) => text.split('\n').filter((l) => l.startsWith('# TYPE '));

describe('metrics registries in one process', () => {
  it('each service shows its own metrics and the process metrics once, collected once for all', async () => {
    const a = createMetricsRegistry('svc-a');
    const b = createMetricsRegistry('svc-b');
    const bare = createMetricsRegistry('svc-c', { defaultMetrics: false });
    new Counter({ name: 'a_total', help: 'a', registers: [a] }).inc(2);
    new Counter({ name: 'b_total', help: 'b', registers: [b] }).inc(3);
    const [ta, tb, tc] = await Promise.all([metricsText(a), metricsText(b), metricsText(bare)]);
    expect(ta).toContain('a_total{service="svc-a"} 2');
    expect(ta).not.toContain('b_total');
    expect(tb).toContain('b_total{service="svc-b"} 3');
    for (const text of [ta, tb]) {
      expect(text).toMatch(/^process_cpu_seconds_total \d/m);
      expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      expect(text).toMatch(/^nodejs_eventloop_utilization_ratio (0(\.\d+)?|1)(e-\d+)?$/m);
      const types = typeLines(text);
      expect(new Set(types).size).toBe(types.length); // no metric twice
    }
    // Process metrics are not any one service's: they carry no service label, and none are in the registries.
    expect(await a.getSingleMetric('process_cpu_seconds_total')).toBeUndefined();
    expect(tc).not.toContain('process_cpu_seconds_total');
  });

  it('event-loop utilisation covers the time since the previous scrape', async () => {
    const r = createMetricsRegistry('svc-elu');
    await metricsText(r); // the window starts here
    const until = Date.now() + 200;
    while (Date.now() < until); // the loop runs the whole window
    const busy = Number(/^nodejs_eventloop_utilization_ratio (\S+)$/m.exec(await metricsText(r))?.[1]);
    expect(busy).toBeGreaterThan(0.9);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the loop waits the whole window
    const idle = Number(/^nodejs_eventloop_utilization_ratio (\S+)$/m.exec(await metricsText(r))?.[1]);
    expect(idle).toBeLessThan(0.5);
  });
});
