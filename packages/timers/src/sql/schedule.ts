import { afterCommit, type Queryable } from '@hub/store';
import { announceScheduled } from '../signal.js';
import type { TimerSpec } from '../timer.js';

/**
 * Schedule timers in the caller's transaction, so they exist exactly when the caller's change commits.
 * A timer already scheduled under the same (kind, subject) is moved to the new time and payload with a fresh
 * attempt count (`reschedule`, the default), left as it is (`keep`, e.g. "alert once"), or moved only if the new
 * time is earlier (`earliest`: one timer shared by many subjects, due at the first of their times; a given-up
 * one is revived).
 *
 * `earliest` locks the scheduled row until the caller commits, moved or not, which orders the caller's commit
 * against a transactional firing of that timer: a sweeper skips the locked row (SKIP LOCKED) and takes it after
 * the commit, so the handler sees what the caller wrote; a row being fired makes the caller wait and then insert
 * it anew. Rows are written in key order, so two callers sharing timers cannot deadlock over them.
 */
export async function scheduleTimers(
  tx: Queryable,
  timers: readonly TimerSpec[],
  options: { ifScheduled?: 'reschedule' | 'keep' | 'earliest' } = {},
): Promise<void> {
  if (timers.length === 0) return;
  const byKey = new Map<string, TimerSpec>();
  for (const t of timers) {
    const key = `${t.kind}\u0000${t.subjectId}`;
    const seen = byKey.get(key);
    if (options.ifScheduled !== 'earliest' || !seen || t.dueAt < seen.dueAt) byKey.set(key, t);
  }
  const unique = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
  const fresh = `attempts = 0, not_before = '-infinity', claim_token = NULL, last_error = NULL,
    given_up_at = NULL, scheduled_at = now()`;
  const onConflict =
    options.ifScheduled === 'keep'
      ? 'DO NOTHING'
      : options.ifScheduled === 'earliest'
        ? `DO UPDATE SET due_at = LEAST(timers.due_at, EXCLUDED.due_at), payload = EXCLUDED.payload, ${fresh}
           WHERE EXCLUDED.due_at < timers.due_at OR timers.given_up_at IS NOT NULL`
        : `DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, ${fresh}`;
  await tx.query(
    `INSERT INTO timers (kind, subject_id, due_at, payload)
     SELECT k, s, d, p FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[]) WITH ORDINALITY AS t(k, s, d, p, o)
     ORDER BY o
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
