import type { Queryable } from '@hub/store';
import type { TimerRow } from '../timer.js';

const DUE = `kind = ANY($1::text[]) AND due_at <= $2 AND not_before <= now() AND given_up_at IS NULL`;
const COLUMNS = 'kind, subject_id, due_at, payload, attempts, claim_token';

/**
 * Take due timers to fire inside the caller's transaction: they are deleted at once, so the handler's effects
 * and the timer's completion commit (or roll back) together, and a handler may schedule the same key again.
 * SKIP LOCKED: concurrent sweepers take disjoint rows, and a timer is fired by one of them only.
 */
export async function takeDue(
  tx: Queryable,
  kinds: readonly string[],
  now: Date,
  limit: number,
  only?: { kind: string; subjectId: string },
): Promise<TimerRow[]> {
  const { rows } = await tx.query<TimerRow>(
    `DELETE FROM timers t USING (
       SELECT kind, subject_id FROM timers
       WHERE ${DUE} ${only ? 'AND kind = $4 AND subject_id = $5' : ''}
       ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
     WHERE t.kind = due.kind AND t.subject_id = due.subject_id
     RETURNING ${COLUMNS.replace(/(\w+)/g, 't.$1')}`,
    only ? [kinds, now, limit, only.kind, only.subjectId] : [kinds, now, limit],
  );
  return rows.sort((a, b) => a.due_at.getTime() - b.due_at.getTime());
}

/**
 * Claim due timers for a call made outside any transaction: one statement (it commits by itself) counts the
 * attempt, stamps a claim token and leases the row for `leaseMs` of real time, so no other sweeper takes it
 * while the call is in flight, and a crash mid-call only delays it.
 */
export async function claimDue(
  db: Queryable,
  kinds: readonly string[],
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<TimerRow[]> {
  const { rows } = await db.query<TimerRow>(
    `UPDATE timers t SET attempts = t.attempts + 1, claim_token = gen_random_uuid(),
       not_before = now() + make_interval(secs => $4::float8 / 1000)
     FROM (SELECT kind, subject_id FROM timers WHERE ${DUE}
           ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
     WHERE t.kind = due.kind AND t.subject_id = due.subject_id
     RETURNING ${COLUMNS.replace(/(\w+)/g, 't.$1')}`,
    [kinds, now, limit, leaseMs],
  );
  return rows;
}

/** A claimed call succeeded: the timer is done (unless it was rescheduled or cancelled meanwhile). */
export async function completeClaimed(db: Queryable, tokens: readonly string[]): Promise<void> {
  if (tokens.length === 0) return;
  await db.query('DELETE FROM timers WHERE claim_token = ANY($1::uuid[])', [tokens]);
}

/**
 * An attempt failed: try again after `backoffMs` of real time, or give up after the last attempt (the row is
 * kept with its error). `token` null: a timer fired in a transaction (which rolled back), matched by key.
 */
export async function recordFailure(
  db: Queryable,
  f: {
    kind: string;
    subjectId: string;
    token: string | null;
    error: string;
    backoffMs: number;
    giveUp: boolean;
  },
): Promise<void> {
  await db.query(
    `UPDATE timers SET last_error = $4, claim_token = NULL,
       attempts = CASE WHEN $3::uuid IS NULL THEN attempts + 1 ELSE attempts END,
       not_before = now() + make_interval(secs => $5::float8 / 1000),
       given_up_at = CASE WHEN $6 THEN now() END
     WHERE kind = $1 AND subject_id = $2 AND claim_token IS NOT DISTINCT FROM $3::uuid`,
    [f.kind, f.subjectId, f.token, f.error.slice(0, 500), f.backoffMs, f.giveUp],
  );
}

/** The earliest hub time at which one of these kinds falls due (ready to run in real time), if any. */
export async function nextDue(db: Queryable, kinds: readonly string[]): Promise<Date | undefined> {
  const { rows } = await db.query<{ due_at: Date | null }>(
    `SELECT min(due_at) AS due_at FROM timers
     WHERE kind = ANY($1::text[]) AND not_before <= now() AND given_up_at IS NULL`,
    [kinds],
  );
  return rows[0]?.due_at ?? undefined;
}
