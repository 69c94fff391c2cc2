import type { CallHandler } from '@hub/timers';
import { Counter, type Registry } from 'prom-client';
import { SLA_TIMERS } from './sla-timers.js';

/**
 * Pushes breach and escalation alerts, and holds running out or lapsed (holds/hold-events.ts), to the
 * configured webhook. Each alert is a durable timer scheduled with what it reports; the POST is made outside any transaction (claimed, committed, called, then recorded), and a
 * failure is retried with exponential backoff (1 s doubling, at most five minutes) up to 20 attempts. Delivery
 * is at least once: the receiver de-duplicates by `kind` and `requestId` (holds: `kind`, `holdId`, `termUntil`).
 */
export function alertHandler(deps: { url: string; registry: Registry }): CallHandler {
  const sent = new Counter({
    name: 'hub_alerts_delivered_total',
    help: 'Alerts delivered to the webhook',
    labelNames: ['kind'],
    registers: [deps.registry],
  });
  const failed = new Counter({
    name: 'hub_alert_attempts_failed_total',
    help: 'Webhook deliveries that failed and will be retried',
    registers: [deps.registry],
  });
  return {
    kind: SLA_TIMERS.alert,
    mode: 'call',
    maxAttempts: 20,
    // Longer than the request timeout: a call in flight is never taken by another tracker.
    leaseMs: 15_000,
    async call(timer) {
      const payload = timer.payload as { kind?: string };
      try {
        const res = await fetch(deps.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      } catch (err) {
        failed.inc();
        throw err;
      }
      sent.inc({ kind: payload.kind ?? '' });
    },
  };
}
