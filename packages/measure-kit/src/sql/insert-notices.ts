import type { Queryable } from '@hub/store';

export interface NoticeInsert {
  id: string;
  caseNo: string;
  courtCode: string;
  measure: string;
  subjectKey: string;
  debtor: unknown;
}

/** Stores new notices; returns the ids that were new (a redelivered notice is already there). */
export async function insertNotices(
  tx: Queryable,
  rows: readonly NoticeInsert[],
  now: Date,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: inserted } = await tx.query<{ id: string }>(
    `INSERT INTO notices (id, case_no, court_code, measure, subject_key, debtor, created_at)
     SELECT *, $7::timestamptz
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.caseNo),
      rows.map((r) => r.courtCode),
      rows.map((r) => r.measure),
      rows.map((r) => r.subjectKey),
      rows.map((r) => JSON.stringify(r.debtor)),
      now,
    ],
  );
  return new Set(inserted.map((r) => r.id));
}
