import type { Clock } from '@hub/domain';
import { type EventFactory, enqueue } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import { type Pool, type Queryable, withTransaction } from '@hub/store';
import { Counter, type Registry } from 'prom-client';

interface Stamped {
  id: string;
  notice_id: string;
  agency: string;
  institution: string;
  deadline: Date;
  case_no: string | null;
  court_code: string | null;
}

/**
 * SLA deadlines are durable rows (requests.due_at, escalate_at), checked by a sweep every `intervalMs`
 * of real time, so a deadline is seen within a second of passing at any time scale and survives any
 * restart. Each breach and escalation is stamped once (`breached_at IS NULL` in the same UPDATE that sets
 * it, rows locked with SKIP LOCKED so several trackers never stamp the same row), and its event, timeline
 * entry and alert commit in the same transaction.
 */
export class BreachDetector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly breaches: Counter;
  private readonly escalations: Counter;

  constructor(
    private readonly deps: {
      pool: Pool;
      clock: Clock;
      events: EventFactory;
      logger: Logger;
      registry: Registry;
      alertsEnabled: boolean;
      intervalMs?: number;
    },
  ) {
    this.breaches = new Counter({
      name: 'hub_sla_breaches_total',
      help: 'Requests whose answer deadline passed unanswered',
      labelNames: ['agency', 'institution'],
      registers: [deps.registry],
    });
    this.escalations = new Counter({
      name: 'hub_sla_escalations_total',
      help: 'Breaches escalated after their second deadline',
      labelNames: ['agency', 'institution'],
      registers: [deps.registry],
    });
  }

  start(): void {
    const tick = () => {
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err) => this.deps.logger.error({ err }, 'SLA sweep failed; retrying'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.deps.intervalMs ?? 250);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: stamp what is due now. Returns how many breaches and escalations it raised. */
  async sweep(): Promise<{ breached: number; escalated: number }> {
    const now = this.deps.clock.now();
    return withTransaction(this.deps.pool, async (tx) => {
      const breached = await stamp(tx, 'breached_at', 'due_at', now);
      const escalated = await stamp(tx, 'escalated_at', 'escalate_at', now);
      if (breached.length + escalated.length === 0) return { breached: 0, escalated: 0 };
      const { events } = this.deps;
      await enqueue(tx, [
        ...breached.map((r) =>
          events.event('breaches', r.notice_id, 'requestBreached', {
            requestId: r.id,
            noticeId: r.notice_id,
            agency: r.agency,
            institution: r.institution,
            dueAt: r.deadline,
            caseNo: r.case_no ?? '',
            courtCode: r.court_code ?? '',
          }),
        ),
        ...escalated.map((r) =>
          events.event('breaches', r.notice_id, 'requestEscalated', {
            requestId: r.id,
            noticeId: r.notice_id,
            agency: r.agency,
            institution: r.institution,
            escalateAt: r.deadline,
            caseNo: r.case_no ?? '',
            courtCode: r.court_code ?? '',
          }),
        ),
      ]);
      const entries = [
        ...breached.map((r) => ({ r, event: 'RequestBreached', kind: 'breach' })),
        ...escalated.map((r) => ({ r, event: 'RequestEscalated', kind: 'escalation' })),
      ];
      await tx.query(
        `INSERT INTO timeline (notice_id, at, event, request_id, detail)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[])`,
        [
          entries.map((e) => e.r.notice_id),
          entries.map(() => now),
          entries.map((e) => e.event),
          entries.map((e) => e.r.id),
          entries.map((e) => `${e.r.institution}: due ${e.r.deadline.toISOString()}`),
        ],
      );
      if (this.deps.alertsEnabled) {
        await tx.query(
          `INSERT INTO alerts (kind, request_id, notice_id, payload)
           SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::jsonb[])
           ON CONFLICT (kind, request_id) DO NOTHING`,
          [
            entries.map((e) => e.kind),
            entries.map((e) => e.r.id),
            entries.map((e) => e.r.notice_id),
            entries.map((e) =>
              JSON.stringify({
                kind: e.kind,
                requestId: e.r.id,
                noticeId: e.r.notice_id,
                caseNo: e.r.case_no,
                court: e.r.court_code,
                agency: e.r.agency,
                institution: e.r.institution,
                deadline: e.r.deadline.toISOString(),
                detectedAt: now.toISOString(),
              }),
            ),
          ],
        );
      }
      for (const r of breached) this.breaches.inc({ agency: r.agency, institution: r.institution });
      for (const r of escalated) this.escalations.inc({ agency: r.agency, institution: r.institution });
      if (breached.length > 0) this.deps.logger.warn({ count: breached.length }, 'SLA breaches raised');
      return { breached: breached.length, escalated: escalated.length };
    });
  }
}

async function stamp(
  tx: Queryable,
  column: 'breached_at' | 'escalated_at',
  deadline: 'due_at' | 'escalate_at',
  now: Date,
): Promise<Stamped[]> {
  const { rows } = await tx.query<Stamped>(
    `UPDATE requests r SET ${column} = $1
     FROM (SELECT id FROM requests
           WHERE status_rank < 3 AND ${column} IS NULL AND ${deadline} <= $1
           ORDER BY ${deadline} LIMIT 1000 FOR UPDATE SKIP LOCKED) due
     WHERE r.id = due.id
     RETURNING r.id, r.notice_id, r.agency, r.institution, r.${deadline} AS deadline, r.case_no, r.court_code`,
    [now],
  );
  return rows;
}
