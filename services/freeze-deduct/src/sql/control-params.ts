import type { Queryable } from '@hub/store';

export interface ControlParams {
  noticeId: string;
  amountFen: number | null;
  termDays: number | null;
  assetKey: string | null;
}

/** What each control notice asked for, stored with the notice at intake. */
export async function insertControlParams(tx: Queryable, rows: readonly ControlParams[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO control_params (notice_id, amount_fen, term_days, asset_key)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::text[])
     ON CONFLICT (notice_id) DO NOTHING`,
    [
      rows.map((r) => r.noticeId),
      rows.map((r) => r.amountFen),
      rows.map((r) => r.termDays),
      rows.map((r) => r.assetKey),
    ],
  );
}

export async function selectControlParams(
  tx: Queryable,
  noticeIds: readonly string[],
): Promise<Map<string, ControlParams>> {
  if (noticeIds.length === 0) return new Map();
  const { rows } = await tx.query(
    'SELECT notice_id, amount_fen, term_days, asset_key FROM control_params WHERE notice_id = ANY($1::uuid[])',
    [noticeIds],
  );
  return new Map(
    rows.map((r) => [
      r.notice_id as string,
      {
        noticeId: r.notice_id,
        amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
        termDays: r.term_days,
        assetKey: r.asset_key,
      },
    ]),
  );
}
