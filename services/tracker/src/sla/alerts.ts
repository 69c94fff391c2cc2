import type { Logger } from '@hub/service-kit';
import { type Pool, withTransaction } from '@hub/store';
import { Counter, type Registry } from 'prom-client';

const MAX_ATTEMPTS = 20;

/**
 * Pushes breach and escalation alerts to the configured webhook. Alerts are durable rows: each is
 * claimed with SKIP LOCKED, POSTed as JSON, and on failure retried with exponential backoff (capped at
 * five minutes) until delivered or MAX_ATTEMPTS is reached; nothing is lost across restarts.
 */
export class AlertSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly sent: Counter;
  private readonly failed: Counter;

  constructor(
    private readonly deps: {
      pool: Pool;
      url: string;
      logger: Logger;
      registry: Registry;
      intervalMs?: number;
    },
  ) {
    this.sent = new Counter({
      name: 'hub_alerts_delivered_total',
      help: 'Alerts delivered to the webhook',
      labelNames: ['kind'],
      registers: [deps.registry],
    });
    this.failed = new Counter({
      name: 'hub_alert_attempts_failed_total',
      help: 'Webhook deliveries that failed and will be retried',
      registers: [deps.registry],
    });
  }

  start(): void {
    const tick = () => {
      this.running = this.deliver()
        .then(() => undefined)
        .catch((err) => this.deps.logger.error({ err }, 'alert delivery round failed'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.deps.intervalMs ?? 500);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async deliver(): Promise<number> {
    return withTransaction(this.deps.pool, async (client) => {
      const { rows } = await client.query<{ id: number; kind: string; payload: unknown; attempts: number }>(
        `SELECT id, kind, payload, attempts FROM alerts
         WHERE delivered_at IS NULL AND attempts < $1 AND next_attempt_at <= now()
         ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED`,
        [MAX_ATTEMPTS],
      );
      for (const alert of rows) {
        const error = await this.post(alert.payload);
        if (error === undefined) {
          await client.query(
            'UPDATE alerts SET delivered_at = now(), attempts = attempts + 1 WHERE id = $1',
            [alert.id],
          );
          this.sent.inc({ kind: alert.kind });
        } else {
          const backoffSeconds = Math.min(300, 2 ** alert.attempts);
          await client.query(
            `UPDATE alerts SET attempts = attempts + 1, last_error = $2,
               next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`,
            [alert.id, error.slice(0, 500), backoffSeconds],
          );
          this.failed.inc();
        }
      }
      return rows.length;
    });
  }

  private async post(payload: unknown): Promise<string | undefined> {
    try {
      const res = await fetch(this.deps.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(5000),
      });
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }
}
