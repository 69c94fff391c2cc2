import type { Queryable } from '@hub/store';

export interface RequestInsert {
  id: string;
  noticeId: string;
  agency: string;
  institution: string;
  status: string;
  dueAt: Date | null;
  /** Set on a request answered at once (a reuse record). */
  outcome: string | null;
  result: unknown;
  answeredAt: Date | null;
  reusedFrom: string | null;
}

/** Stores the requests a batch's notices fanned out to, in one statement. */
export async function insertRequests(
  tx: Queryable,
  rows: readonly RequestInsert[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO requests (id, notice_id, agency, institution, status, due_at, outcome, result, answered_at,
                           reused_from, updated_at)
     SELECT *, $11::timestamptz
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
                 $8::jsonb[], $9::timestamptz[], $10::uuid[])`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.noticeId),
      rows.map((r) => r.agency),
      rows.map((r) => r.institution),
      rows.map((r) => r.status),
      rows.map((r) => r.dueAt),
      rows.map((r) => r.outcome),
      rows.map((r) => (r.result === undefined || r.result === null ? null : JSON.stringify(r.result))),
      rows.map((r) => r.answeredAt),
      rows.map((r) => r.reusedFrom),
      now,
    ],
  );
}
