import type { CaseControls, HoldView, PendingControl } from '@hub/contracts';
import { daysBetween, OPEN_REQUEST_STATUSES, shanghaiDate } from '@hub/domain';
import type { Queryable } from '@hub/store';
import { type HoldState, isLive } from './domain/holds.js';
import { owedKey, selectOwed } from './sql/owed.js';

/**
 * 控制措施 of a case, as its court reads them: every hold the hub placed for the court's case with its state,
 * queue position, term and days to expiry, money frozen and deducted; and the control requests still
 * waiting for an answer. Undefined when this court has no control notice for the case.
 */
export async function caseControls(
  db: Queryable,
  caseNo: string,
  court: string,
  now: Date,
): Promise<CaseControls | undefined> {
  const { rows: notices } = await db.query(
    'SELECT 1 FROM notices WHERE case_no = $1 AND court_code = $2 LIMIT 1',
    [caseNo, court],
  );
  if (notices.length === 0) return undefined;
  const { rows: holdRows } = await db.query(
    `SELECT * FROM holds WHERE case_no = $1 AND court_code = $2 ORDER BY created_at, institution, asset_key`,
    [caseNo, court],
  );
  const { rows: pendingRows } = await db.query(
    `SELECT r.id, r.notice_id, n.measure, r.agency, r.institution, r.status, r.due_at
     FROM notices n JOIN requests r ON r.notice_id = n.id
     WHERE n.case_no = $1 AND n.court_code = $2 AND r.status = ANY($3::text[])
     ORDER BY r.due_at NULLS LAST, r.id`,
    [caseNo, court, OPEN_REQUEST_STATUSES],
  );
  const owed = await selectOwed(db, [{ courtCode: court, caseNo }]);
  const { rows: deductionRows } = await db.query(
    `SELECT d.request_id, d.hold_id, h.institution, h.asset_key, d.amount_fen, d.transfer_ref, d.at
     FROM deductions d JOIN holds h ON h.id = d.hold_id
     WHERE h.case_no = $1 AND h.court_code = $2 ORDER BY d.at, d.request_id`,
    [caseNo, court],
  );
  const today = shanghaiDate(now);
  const holds: HoldView[] = holdRows.map((r) => {
    const live = isLive(r.state as HoldState);
    return {
      id: r.id,
      measure: r.measure,
      agency: r.agency,
      institution: r.institution,
      assetKind: r.asset_kind,
      assetKey: r.asset_key,
      state: r.state,
      queuePosition: r.queue_position,
      requestedFen: r.requested_fen === null ? undefined : Number(r.requested_fen),
      frozenFen: Number(r.frozen_fen),
      deductedFen: Number(r.deducted_fen),
      termFrom: r.term_from ?? '',
      termUntil: r.term_until ?? '',
      // Only a hold still in force runs towards its end.
      daysToExpiry: live && r.term_until ? daysBetween(today, r.term_until) : undefined,
      registrationNo: r.registration_no,
      updatedAt: r.updated_at,
    };
  });
  const pending: PendingControl[] = pendingRows.map((r) => ({
    requestId: r.id,
    noticeId: r.notice_id,
    measure: r.measure,
    agency: r.agency,
    institution: r.institution,
    status: r.status,
    dueAt: r.due_at ?? undefined,
  }));
  return {
    caseNo,
    generatedAt: now,
    holds,
    pending,
    frozenFen: holds.reduce((t, h) => t + h.frozenFen, 0),
    deductedFen: holds.reduce((t, h) => t + h.deductedFen, 0),
    owedFen: owed.get(owedKey(court, caseNo)),
    deductions: deductionRows.map((r) => ({
      requestId: r.request_id,
      holdId: r.hold_id,
      institution: r.institution,
      accountNo: r.asset_key,
      amountFen: Number(r.amount_fen),
      transferRef: r.transfer_ref,
      at: r.at,
    })),
  };
}
