import type { Queryable } from '@hub/store';

/** A deduction as the agency reported it: how much left which hold, under which transfer reference. */
export interface Deduction {
  requestId: string;
  holdId: string;
  amountFen: number;
  transferRef: string;
  at: Date;
}

/** Records deductions once per request (the agency's idempotency key); a repeat records nothing. */
export async function insertDeductions(tx: Queryable, rows: readonly Deduction[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO deductions (request_id, hold_id, amount_fen, transfer_ref, at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::timestamptz[])
     ON CONFLICT (request_id) DO NOTHING`,
    [
      rows.map((r) => r.requestId),
      rows.map((r) => r.holdId),
      rows.map((r) => r.amountFen),
      rows.map((r) => r.transferRef),
      rows.map((r) => r.at),
    ],
  );
}
