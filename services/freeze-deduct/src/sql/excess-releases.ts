import type { Queryable } from '@hub/store';
import { HOLD_STATES, isLive } from '../domain/holds.js';
import type { ExcessRelease, MoneyHold } from '../domain/over-freeze.js';

const LIVE = HOLD_STATES.filter(isLive);

/** The case's live holds of money, each with the notice that placed it and what is being released of it. */
export async function selectMoneyHolds(
  db: Queryable,
  courtCode: string,
  caseNo: string,
): Promise<MoneyHold[]> {
  const { rows } = await db.query(
    `SELECT h.id, r.notice_id, h.agency, h.institution, h.asset_key, h.frozen_fen, h.created_at,
            (SELECT COALESCE(SUM(x.amount_fen), 0) FROM excess_releases x
             WHERE x.hold_id = h.id AND x.settled_at IS NULL) AS releasing
     FROM holds h JOIN requests r ON r.id = h.placed_by
     WHERE h.court_code = $1 AND h.case_no = $2 AND h.asset_kind = 'account' AND h.state = ANY($3::text[])
       AND h.frozen_fen > 0`,
    [courtCode, caseNo, LIVE],
  );
  return rows.map((r) => ({
    holdId: r.id,
    noticeId: r.notice_id,
    agency: r.agency,
    institution: r.institution,
    accountNo: r.asset_key,
    frozenFen: Number(r.frozen_fen),
    releasingFen: Number(r.releasing),
    placedAt: r.created_at,
  }));
}

export interface ExcessReleaseRow extends ExcessRelease {
  id: string;
  courtCode: string;
  caseNo: string;
  noticeNo: string;
  owedFen: number;
  at: Date;
}

export async function insertExcessReleases(tx: Queryable, rows: readonly ExcessReleaseRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO excess_releases (id, court_code, case_no, hold_id, notice_no, amount_fen, frozen_fen, owed_fen,
                                  requested_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::bigint[], $7::bigint[],
                          $8::bigint[], $9::timestamptz[])`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.courtCode),
      rows.map((r) => r.caseNo),
      rows.map((r) => r.holdId),
      rows.map((r) => r.noticeNo),
      rows.map((r) => r.amountFen),
      rows.map((r) => r.frozenFen),
      rows.map((r) => r.owedFen),
      rows.map((r) => r.at),
    ],
  );
}

/** Release notices that came back from the gateway: known by the number the hub gave them. */
export async function linkReleaseNotices(
  tx: Queryable,
  notices: readonly { courtCode: string; noticeNo: string; id: string }[],
): Promise<void> {
  if (notices.length === 0) return;
  await tx.query(
    `UPDATE excess_releases x SET notice_id = n.id
     FROM unnest($1::text[], $2::text[], $3::uuid[]) AS n(court_code, notice_no, id)
     WHERE x.court_code = n.court_code AND x.notice_no = n.notice_no AND x.notice_id IS NULL`,
    [notices.map((n) => n.courtCode), notices.map((n) => n.noticeNo), notices.map((n) => n.id)],
  );
}

/** Releases whose notice was answered (released, refused or failed): no longer under way. */
export async function settleReleases(tx: Queryable, noticeIds: readonly string[], at: Date): Promise<void> {
  if (noticeIds.length === 0) return;
  await tx.query(
    'UPDATE excess_releases SET settled_at = $2 WHERE notice_id = ANY($1::uuid[]) AND settled_at IS NULL',
    [noticeIds, at],
  );
}
