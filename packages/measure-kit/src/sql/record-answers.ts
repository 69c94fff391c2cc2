import type { Queryable } from '@hub/store';

export interface AnswerUpdate {
  id: string;
  status: string;
  /** The agency's outcome; none for a request that failed. */
  outcome: string | null;
  result: string | null;
  /** When the agency answered (hub clock). */
  answeredAt: Date;
}

/** Writes answers the domain's state machine has accepted (the caller decides; this only stores). */
export async function recordAnswers(tx: Queryable, rows: readonly AnswerUpdate[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE requests r SET status = a.status, outcome = a.outcome, result = a.result::jsonb, updated_at = $5,
       answered_at = a.answered_at
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $6::timestamptz[])
       AS a(id, status, outcome, result, answered_at)
     WHERE r.id = a.id`,
    [
      rows.map((a) => a.id),
      rows.map((a) => a.status),
      rows.map((a) => a.outcome),
      rows.map((a) => a.result),
      now,
      rows.map((a) => a.answeredAt),
    ],
  );
}
