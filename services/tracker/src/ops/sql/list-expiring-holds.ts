import { daysBetween, shanghaiDate } from '@hub/domain';
import type { Queryable } from '@hub/store';

/** A hold running out unless renewed, or lapsed lately, as the ops console lists it. */
export interface ExpiringHold {
  holdId: string;
  noticeId: string;
  courtCode: string;
  caseNo: string;
  agency: string;
  institution: string;
  assetKind: string;
  /** The account, unit or plate number, masked. */
  asset: string;
  termUntil: string;
  lapsesAt: Date;
  /** Calendar days left to renew in (0 on the last day and once lapsed). */
  daysLeft: number;
  leadWorkingDays: number | null;
  remindedAt: Date | null;
  lapsed: boolean;
  lapsedAt: Date | null;
  frozenFen: number | null;
}

/**
 * Holds across all courts whose renewal reminder went out and whose term has not ended yet, and holds that
 * lapsed since `lapsedSince`: soonest deadline first, so the lapsed ones (deadline passed) lead, marked.
 */
export async function listExpiringHolds(
  db: Queryable,
  options: { now: Date; lapsedSince: Date; limit: number },
): Promise<ExpiringHold[]> {
  const { rows } = await db.query(
    `SELECT * FROM expiring_holds
     WHERE (lapsed_at IS NULL AND lapses_at > $1) OR lapsed_at >= $2
     ORDER BY lapses_at, hold_id
     LIMIT $3`,
    [options.now, options.lapsedSince, options.limit],
  );
  const today = shanghaiDate(options.now);
  return rows.map((r) => ({
    holdId: r.hold_id,
    noticeId: r.notice_id,
    courtCode: r.court_code,
    caseNo: r.case_no,
    agency: r.agency,
    institution: r.institution,
    assetKind: r.asset_kind,
    asset: r.asset_masked,
    termUntil: r.term_until,
    lapsesAt: r.lapses_at,
    daysLeft: r.lapsed_at ? 0 : Math.max(0, daysBetween(today, r.term_until)),
    leadWorkingDays: r.lead_working_days,
    remindedAt: r.reminded_at,
    lapsed: r.lapsed_at !== null,
    lapsedAt: r.lapsed_at,
    frozenFen: r.frozen_fen === null ? null : Number(r.frozen_fen),
  }));
}
