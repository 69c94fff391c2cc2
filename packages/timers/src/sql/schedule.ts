import { afterCommit, type Queryable } from '@hub/store';
import { announceScheduled } from '../signal.js';
import type { TimerSpec } from '../timer.js';

/**
 * Schedule timers in the caller's transaction, so they exist exactly when the caller's change commits.
 * A timer already scheduled under the same (kind, subject) is moved to the new time and payload with a fresh
 * attempt count (`reschedule`, the default), or left as it is (`keep`, e.g. "alert once").
 */
export async function scheduleTimers(
  tx: Queryable,
  timers: readonly TimerSpec[],
  options: { ifScheduled?: 'reschedule' | 'keep' } = {},
): Promise<void> {
  if (timers.length === 0) return;
  const unique = [...new Map(timers.map((t) => [`${t.kind}\u0000${t.subjectId}`, t])).values()];
  const onConflict =
    options.ifScheduled === 'keep'
      ? 'DO NOTHING'
      : `DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, attempts = 0,
           not_before = '-infinity', claim_token = NULL, last_error = NULL, given_up_at = NULL,
           scheduled_at = now()`;
  await tx.query(
    `INSERT INTO timers (kind, subject_id, due_at, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[])
     ON CONFLICT (kind, subject_id) ${onConflict}`,
    [
      unique.map((t) => t.kind),
      unique.map((t) => t.subjectId),
      unique.map((t) => t.dueAt),
      unique.map((t) => JSON.stringify(t.payload ?? {})),
    ],
  );
  const earliest = new Map<string, Date>();
  for (const t of unique) {
    const seen = earliest.get(t.kind);
    if (!seen || t.dueAt < seen) earliest.set(t.kind, t.dueAt);
  }
  afterCommit(tx, () => announceScheduled(earliest));
}

/** Cancel every timer of these kinds about these subjects, in the caller's transaction. Returns how many. */
export async function cancelTimers(
  tx: Queryable,
  kinds: readonly string[],
  subjectIds: readonly string[],
): Promise<number> {
  if (kinds.length === 0 || subjectIds.length === 0) return 0;
  const { rowCount } = await tx.query(
    'DELETE FROM timers WHERE kind = ANY($1::text[]) AND subject_id = ANY($2::text[])',
    [kinds, subjectIds],
  );
  return rowCount ?? 0;
}
