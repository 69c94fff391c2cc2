import type { Queryable } from '@hub/store';
import { scheduleTimers } from '@hub/timers';

/** The tracker's timer kinds (@hub/timers). */
export const SLA_TIMERS = {
  /**
   * The answer deadlines (RequestDispatched.answer_by) falling within one second, keyed `s:<epoch second>`:
   * one timer for all of them, due at the earliest (a key that is a request id is one request's, as armed
   * before 2026-12-08).
   */
  breach: 'sla.breach',
  /** A breached request's escalation deadline (RequestDispatched.escalate_at), keyed by request id. */
  escalation: 'sla.escalation',
  /** A webhook alert to deliver, outside any transaction. */
  alert: 'sla.alert',
} as const;

const BUCKET_PREFIX = 's:';

/** The one-second bucket an answer deadline falls in: its timer's key. */
export const breachBucket = (dueAt: Date) => `${BUCKET_PREFIX}${Math.floor(dueAt.getTime() / 1000)}`;

/** The deadlines a breach timer's key covers: [from, to), or one request's. */
export function breachTimerScope(subjectId: string): { from: Date; to: Date } | { requestId: string } {
  if (!subjectId.startsWith(BUCKET_PREFIX)) return { requestId: subjectId };
  const second = Number(subjectId.slice(BUCKET_PREFIX.length));
  return { from: new Date(second * 1000), to: new Date((second + 1) * 1000) };
}

/**
 * Arm the answer deadlines of requests being dispatched, in the projection's transaction and before it writes
 * any request: one timer per second of deadlines, moved earlier if one of these falls before it (`earliest`).
 * Shared by every request of that second and never disarmed: an answer needs no write here, and a timer that
 * fires finds only the requests still open and unbreached (an index of them: requests_breach_pending).
 * `earliest` holds the timer's row until this transaction commits, so the timer cannot fire in between and
 * miss a request it was armed for (@hub/timers scheduleTimers).
 */
export async function armBreachDeadlines(tx: Queryable, deadlines: readonly Date[]): Promise<void> {
  await scheduleTimers(
    tx,
    deadlines.map((dueAt) => ({ kind: SLA_TIMERS.breach, subjectId: breachBucket(dueAt), dueAt })),
    { ifScheduled: 'earliest' },
  );
}

/**
 * The lock that keeps an SLA timer's firing and the projection's writes apart: the projection holds it shared for
 * the rest of its transaction once it has armed its timers (several projections at once), a firing holds it
 * exclusive before it stamps anything. Both write requests, whose statement triggers then write the rollups:
 * without it a firing could hold a request the projection waits for while waiting for rollup rows the projection
 * holds (answers take no timer row that would order the two). A transaction-level advisory lock of this schema.
 * The projection takes it after arming (timer rows first, then this, in both), so neither waits for the other in
 * the opposite order.
 */
export async function lockAgainstProjection(tx: Queryable, mode: 'shared' | 'exclusive'): Promise<void> {
  await tx.query(
    `SELECT ${mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(
       hashtext('tracker.sla'), hashtext(current_schema()))`,
  );
}
