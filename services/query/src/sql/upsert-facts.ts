import type { Queryable } from '@hub/store';
import type { PropertyFact } from '../domain/facts.js';

export interface FactRow {
  caseNo: string;
  subject: string;
  agency: string;
  institution: string;
  requestId: string;
  at: Date;
  fact: PropertyFact;
}

/** The same fact reported again (same institution, kind and key) updates its row: counted once. */
export async function upsertFacts(tx: Queryable, facts: readonly FactRow[]): Promise<void> {
  const unique = [
    ...new Map(
      facts.map((f) => [
        [f.caseNo, f.subject, f.agency, f.institution, f.fact.kind, f.fact.key].join('|'),
        f,
      ]),
    ).values(),
  ];
  if (unique.length === 0) return;
  await tx.query(
    `INSERT INTO facts (case_no, subject_key, agency, institution, kind, key, amount_fen, detail, request_id,
                        first_reported_at, last_reported_at)
     SELECT c, s, a, i, k, key, amt, d, r, t, t
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::jsonb[],
                 $9::uuid[], $10::timestamptz[]) AS x(c, s, a, i, k, key, amt, d, r, t)
     ON CONFLICT (case_no, subject_key, agency, institution, kind, key) DO UPDATE SET
       amount_fen = EXCLUDED.amount_fen, detail = EXCLUDED.detail, request_id = EXCLUDED.request_id,
       last_reported_at = GREATEST(facts.last_reported_at, EXCLUDED.last_reported_at)`,
    [
      unique.map((f) => f.caseNo),
      unique.map((f) => f.subject),
      unique.map((f) => f.agency),
      unique.map((f) => f.institution),
      unique.map((f) => f.fact.kind),
      unique.map((f) => f.fact.key),
      unique.map((f) => f.fact.amountFen ?? null),
      unique.map((f) => JSON.stringify(f.fact.detail)),
      unique.map((f) => f.requestId),
      unique.map((f) => f.at),
    ],
  );
}
