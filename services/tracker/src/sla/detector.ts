import type { EventFactory } from '@hub/messaging';
import { enqueue } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { PoolClient } from '@hub/store';
import { scheduleTimers, type TransactionalHandler } from '@hub/timers';
import { Counter, type Registry } from 'prom-client';
import { openSql } from '../sql/request-status.js';
import { armBreachDeadlines, breachTimerScope, lockAgainstProjection, SLA_TIMERS } from './sla-timers.js';

interface Stamped {
  id: string;
  notice_id: string;
  agency: string;
  institution: string;
  deadline: Date;
  escalate_at: Date | null;
  case_no: string | null;
  court_code: string | null;
}

/** Breaches stamped per transaction at most; a bucket with more is fired again at once for the rest. */
const BREACH_BATCH = 1000;

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
 * SLA breach and escalation as durable timers (@hub/timers). An answer deadline is armed when its request is
 * dispatched, in a timer shared by the deadlines of that second (sla-timers.ts); a breach arms the request's
 * escalation. A timer fires in a transaction with everything it causes: the request stamped once (`… IS NULL`
 * in the same UPDATE, which also re-checks that the request is still open), the event in the outbox, the
 * timeline entry and the alert timer. So a breach is raised exactly once, across restarts and several trackers.
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
      // Alone against the projection's writes (sla-timers.ts lockAgainstProjection): no lock cycle between them.
      await lockAgainstProjection(tx, 'exclusive');
      const subjects = timers.map((t) => t.subjectId);
      const stamped =
        which === 'breach'
          ? await stampBreaches(tx, subjects, now)
          : await stampById(tx, which, subjects, now);
      if (which === 'escalation') {
        const done = new Set(stamped.map((r) => r.id));
        await rearmEscalations(
          tx,
          subjects.filter((id) => !done.has(id)),
          now,
        );
      }
      if (stamped.length === 0) return;
      await raise(tx, which, stamped, now, deps);
      for (const r of stamped) counters[which].inc({ agency: r.agency, institution: r.institution });
      if (which === 'breach') deps.logger.warn({ count: stamped.length }, 'SLA breaches raised');
    },
  }));
}

const RETURNING = (deadline: string) =>
  `RETURNING r.id, r.notice_id, r.agency, r.institution, r.${deadline} AS deadline, r.escalate_at, r.case_no,
     r.court_code`;

async function stampById(
  tx: PoolClient,
  which: keyof typeof KINDS,
  ids: string[],
  now: Date,
): Promise<Stamped[]> {
  if (ids.length === 0) return [];
  const { column, deadline } = KINDS[which];
  const { rows } = await tx.query<Stamped>(
    `UPDATE requests r SET ${column} = $2
     WHERE r.id = ANY($1::uuid[]) AND ${openSql('r')} AND r.${column} IS NULL AND r.${deadline} <= $2
     ${RETURNING(deadline)}`,
    [ids, now],
  );
  return rows;
}

/**
 * Fire breach timers (one-second buckets of answer deadlines): stamp the open, unbreached requests of the fired
 * seconds whose deadline has passed (the index requests_breach_pending holds just those), earliest first and at
 * most BREACH_BATCH; then arm each fired second again at the earliest deadline left in it, later in the second or
 * beyond the batch. A second's requests are all visible here: one being written when its timer was taken held the
 * timer's row (`earliest`), so the timer was taken after that commit.
 */
async function stampBreaches(tx: PoolClient, subjects: string[], now: Date): Promise<Stamped[]> {
  const scopes = subjects.map(breachTimerScope);
  const buckets = scopes.filter((s): s is { from: Date; to: Date } => 'from' in s);
  const stamped = await stampById(
    tx,
    'breach',
    scopes.flatMap((s) => ('requestId' in s ? [s.requestId] : [])),
    now,
  );
  if (buckets.length === 0) return stamped;
  const pending = `r.breached_at IS NULL AND ${openSql('r')}`;
  const ranges = [buckets.map((b) => b.from), buckets.map((b) => b.to)];
  const { rows } = await tx.query<Stamped>(
    `WITH due AS MATERIALIZED (
       SELECT r.id FROM unnest($3::timestamptz[], $4::timestamptz[]) AS b("from", "to")
         JOIN requests r ON r.due_at >= b.from AND r.due_at < b.to
       WHERE ${pending} AND r.due_at <= $1 ORDER BY r.due_at LIMIT $2 FOR UPDATE OF r)
     UPDATE requests r SET breached_at = $1 FROM due
     WHERE r.id = due.id AND ${pending} AND r.due_at <= $1
     ${RETURNING('due_at')}`,
    [now, BREACH_BATCH, ...ranges],
  );
  const { rows: left } = await tx.query<{ from: Date; next: Date | null }>(
    `SELECT b.from, (SELECT min(r.due_at) FROM requests r
                     WHERE ${pending} AND r.due_at >= b.from AND r.due_at < b.to) AS next
     FROM unnest($1::timestamptz[], $2::timestamptz[]) AS b("from", "to")`,
    ranges,
  );
  await armBreachDeadlines(
    tx,
    left.flatMap((b) => (b.next ? [b.next] : [])),
  );
  return [...stamped, ...rows];
}

/**
 * An escalation timer that fired before its request's escalation deadline (a redelivered dispatch moved the
 * deadline later): armed again at the deadline, while the request is open, breached and not escalated.
 */
async function rearmEscalations(tx: PoolClient, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await tx.query<{ id: string; escalate_at: Date }>(
    `SELECT r.id, r.escalate_at FROM requests r
     WHERE r.id = ANY($1::uuid[]) AND ${openSql('r')} AND r.breached_at IS NOT NULL AND r.escalated_at IS NULL
       AND r.escalate_at > $2`,
    [ids, now],
  );
  await scheduleTimers(
    tx,
    rows.map((r) => ({ kind: SLA_TIMERS.escalation, subjectId: r.id, dueAt: r.escalate_at })),
  );
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
  if (which === 'breach') {
    // The escalation deadline counts once the answer deadline has passed: armed now, for this request alone.
    // An answer leaves it armed; it then fires and finds the request closed.
    await scheduleTimers(
      tx,
      rows.flatMap((r) =>
        r.escalate_at ? [{ kind: SLA_TIMERS.escalation, subjectId: r.id, dueAt: r.escalate_at }] : [],
      ),
      { ifScheduled: 'keep' },
    );
  }
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
