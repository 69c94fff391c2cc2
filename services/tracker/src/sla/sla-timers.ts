import type { Queryable } from '@hub/store';
import { cancelTimers, scheduleTimers } from '@hub/timers';

/** The tracker's timer kinds (@hub/timers), each keyed by request id (alerts by `<alert kind>:<request id>`). */
export const SLA_TIMERS = {
  /** The answer deadline (RequestDispatched.answer_by). */
  breach: 'sla.breach',
  /** The escalation deadline (RequestDispatched.escalate_at). */
  escalation: 'sla.escalation',
  /** A webhook alert to deliver, outside any transaction. */
  alert: 'sla.alert',
} as const;

/**
 * Arm a dispatched, still open request's deadlines in the projection's transaction; a deadline already stamped
 * (a redelivered dispatch after its breach) is not armed again.
 */
export async function armDeadlines(
  tx: Queryable,
  requests: readonly {
    id: string;
    due_at: Date | null;
    escalate_at: Date | null;
    breached: boolean;
    escalated: boolean;
  }[],
): Promise<void> {
  await scheduleTimers(tx, [
    ...requests
      .filter((r) => r.due_at && !r.breached)
      .map((r) => ({ kind: SLA_TIMERS.breach, subjectId: r.id, dueAt: r.due_at as Date })),
    ...requests
      .filter((r) => r.escalate_at && !r.escalated)
      .map((r) => ({ kind: SLA_TIMERS.escalation, subjectId: r.id, dueAt: r.escalate_at as Date })),
  ]);
}

/** An answered (or failed, or cancelled) request has no deadline left to miss. */
export async function disarmDeadlines(tx: Queryable, requestIds: readonly string[]): Promise<void> {
  await cancelTimers(tx, [SLA_TIMERS.breach, SLA_TIMERS.escalation], requestIds);
}
