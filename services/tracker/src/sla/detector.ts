import type { EventFactory } from '@hub/messaging';
import { enqueue } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { PoolClient } from '@hub/store';
import { scheduleTimers, type TransactionalHandler } from '@hub/timers';
import { Counter, type Registry } from 'prom-client';
import { openSql } from '../sql/request-status.js';
import { SLA_TIMERS } from './sla-timers.js';

interface Stamped {
  id: string;
  notice_id: string;
  agency: string;
  institution: string;
  deadline: Date;
  case_no: string | null;
  court_code: string | null;
}

const KINDS = {
  breach: { column: 'breached_at', deadline: 'due_at', event: 'RequestBreached', alert: 'breach' },
  escalation: {
    column: 'escalated_at',
    deadline: 'escalate_at',
    event: 'RequestEscalated',
    alert: 'escalation',
  },
} as const;

/**
 * SLA breach and escalation as durable timers (@hub/timers), armed when a request is dispatched and disarmed
 * when it is answered. A timer fires in a transaction with everything it causes: the request stamped once
 * (`… IS NULL` in the same UPDATE, which also re-checks that the request is still open), the event in the
 * outbox, the timeline entry and the alert timer. So a breach is raised exactly once, across restarts and
 * several trackers.
 */
export function slaDeadlineHandlers(deps: {
  events: EventFactory;
  logger: Logger;
  registry: Registry;
  alertsEnabled: boolean;
}): TransactionalHandler[] {
  const counters = {
    breach: new Counter({
      name: 'hub_sla_breaches_total',
      help: 'Requests whose answer deadline passed unanswered',
      labelNames: ['agency', 'institution'],
      registers: [deps.registry],
    }),
    escalation: new Counter({
      name: 'hub_sla_escalations_total',
      help: 'Breaches escalated after their second deadline',
      labelNames: ['agency', 'institution'],
      registers: [deps.registry],
    }),
  };
  return (['breach', 'escalation'] as const).map((which) => ({
    kind: SLA_TIMERS[which],
    mode: 'transaction',
    async fire(tx, timers, { now }) {
      const stamped = await stamp(
        tx,
        which,
        timers.map((t) => t.subjectId),
        now,
      );
      if (stamped.length === 0) return;
      await raise(tx, which, stamped, now, deps);
      for (const r of stamped) counters[which].inc({ agency: r.agency, institution: r.institution });
      if (which === 'breach') deps.logger.warn({ count: stamped.length }, 'SLA breaches raised');
    },
  }));
}

async function stamp(
  tx: PoolClient,
  which: keyof typeof KINDS,
  ids: string[],
  now: Date,
): Promise<Stamped[]> {
  const { column, deadline } = KINDS[which];
  const { rows } = await tx.query<Stamped>(
    `UPDATE requests r SET ${column} = $2
     WHERE r.id = ANY($1::uuid[]) AND ${openSql('r')} AND r.${column} IS NULL AND r.${deadline} <= $2
     RETURNING r.id, r.notice_id, r.agency, r.institution, r.${deadline} AS deadline, r.case_no, r.court_code`,
    [ids, now],
  );
  return rows;
}

async function raise(
  tx: PoolClient,
  which: keyof typeof KINDS,
  rows: Stamped[],
  now: Date,
  deps: { events: EventFactory; alertsEnabled: boolean },
): Promise<void> {
  const { event, alert } = KINDS[which];
  await enqueue(
    tx,
    rows.map((r) => {
      const common = {
        requestId: r.id,
        noticeId: r.notice_id,
        agency: r.agency,
        institution: r.institution,
        caseNo: r.case_no ?? '',
        courtCode: r.court_code ?? '',
      };
      return which === 'breach'
        ? deps.events.event('breaches', r.notice_id, 'requestBreached', { ...common, dueAt: r.deadline })
        : deps.events.event('breaches', r.notice_id, 'requestEscalated', {
            ...common,
            escalateAt: r.deadline,
          });
    }),
  );
  await tx.query(
    `INSERT INTO timeline (notice_id, at, event, request_id, detail)
     SELECT n, $2::timestamptz, $3::text, r, d FROM unnest($1::uuid[], $4::uuid[], $5::text[]) AS t(n, r, d)`,
    [
      rows.map((r) => r.notice_id),
      now,
      event,
      rows.map((r) => r.id),
      rows.map((r) => `${r.institution}: due ${r.deadline.toISOString()}`),
    ],
  );
  if (!deps.alertsEnabled) return;
  // The webhook is called later, outside this transaction (alerts.ts); `keep`: one alert per breach, ever.
  await scheduleTimers(
    tx,
    rows.map((r) => ({
      kind: SLA_TIMERS.alert,
      subjectId: `${alert}:${r.id}`,
      dueAt: now,
      payload: {
        kind: alert,
        requestId: r.id,
        noticeId: r.notice_id,
        caseNo: r.case_no,
        court: r.court_code,
        agency: r.agency,
        institution: r.institution,
        deadline: r.deadline.toISOString(),
        detectedAt: now.toISOString(),
      },
    })),
    { ifScheduled: 'keep' },
  );
}
