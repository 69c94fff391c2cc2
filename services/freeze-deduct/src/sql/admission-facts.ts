import { OPEN_REQUEST_STATUSES } from '@hub/domain';
import type { Queryable } from '@hub/store';
import {
  type AdmissionFacts,
  type CaseFacts,
  type ControlNotice,
  caseKey,
  type HoldFact,
} from '../domain/admission.js';
import type { HoldState } from '../domain/holds.js';
import { owedKey, selectOwed } from './owed.js';

/** States in which a hold holds money (its frozen_fen counts for the case). */
const HOLDING: readonly HoldState[] = ['effective', 'renewed'];

/**
 * Serialises the admission of control notices per court's case across consumers (in the caller's
 * transaction): two batches judging notices of one case see each other's notices in flight. Locks are
 * taken in one order, so two batches never wait on each other in a cycle.
 */
export async function lockCases(tx: Queryable, notices: readonly ControlNotice[]): Promise<void> {
  const keys = [...new Set(notices.map((n) => `${n.courtCode}|${n.caseNo}`))].sort();
  for (const k of keys) {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('controls:' || $1, 0))`, [k]);
  }
}

/** What the checks of `admitControl` read: holds on the named assets, the cases' money and notices in flight. */
export async function admissionFacts(
  db: Queryable,
  notices: readonly ControlNotice[],
  today: string,
): Promise<AdmissionFacts> {
  const assets = notices.flatMap((n) =>
    [
      n.accountNo && ['account', n.accountNo],
      n.unitNo && ['unit', n.unitNo],
      n.plate && ['plate', n.plate],
    ].filter((a): a is [string, string] => Array.isArray(a)),
  );
  const cases = [...new Map(notices.map((n) => [caseKey(n.courtCode, n.caseNo), n])).values()];
  const courts = cases.map((c) => c.courtCode);
  const caseNos = cases.map((c) => c.caseNo);
  // One after another: in a transaction they share one connection.
  const holdRows = await db.query(
    `SELECT court_code, case_no, agency, institution, asset_kind, asset_key, state, frozen_fen, term_until
       FROM holds WHERE (asset_kind, asset_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [assets.map((a) => a[0]), assets.map((a) => a[1])],
  );
  const totals = await db.query(
    `SELECT court_code, case_no, coalesce(sum(frozen_fen) FILTER (WHERE state = ANY($3::text[])), 0) AS frozen,
              coalesce(sum(deducted_fen), 0) AS deducted
       FROM holds WHERE (court_code, case_no) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       GROUP BY court_code, case_no`,
    [courts, caseNos, HOLDING],
  );
  // A money notice is in flight until one of its requests is answered: then its effect is in the holds.
  const inFlight = await db.query(
    `SELECT n.court_code, n.case_no, n.measure, cp.asset_key, cp.amount_fen
       FROM notices n JOIN control_params cp ON cp.notice_id = n.id
       WHERE (n.court_code, n.case_no) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         AND n.measure IN ('freeze', 'deduct') AND cp.amount_fen IS NOT NULL
         AND EXISTS (SELECT 1 FROM requests r WHERE r.notice_id = n.id AND r.status = ANY($3::text[]))
         AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.notice_id = n.id AND r.status IN ('done', 'partial'))`,
    [courts, caseNos, OPEN_REQUEST_STATUSES],
  );
  const owed = await selectOwed(db, cases);
  const byCase = new Map<string, CaseFacts & { pendingDeductFen: Map<string, number> }>();
  const caseOf = (court: string, caseNo: string) => {
    const k = caseKey(court, caseNo);
    let c = byCase.get(k);
    if (!c) {
      c = {
        owedFen: owed.get(owedKey(court, caseNo)),
        frozenFen: 0,
        deductedFen: 0,
        pendingFreezeFen: 0,
        pendingDeductFen: new Map(),
      };
      byCase.set(k, c);
    }
    return c;
  };
  for (const n of cases) caseOf(n.courtCode, n.caseNo);
  for (const r of totals.rows) {
    const c = caseOf(r.court_code, r.case_no);
    c.frozenFen = Number(r.frozen);
    c.deductedFen = Number(r.deducted);
  }
  for (const r of inFlight.rows) {
    const c = caseOf(r.court_code, r.case_no);
    const fen = Number(r.amount_fen);
    if (r.measure === 'freeze') c.pendingFreezeFen += fen;
    else if (r.asset_key)
      c.pendingDeductFen.set(r.asset_key, (c.pendingDeductFen.get(r.asset_key) ?? 0) + fen);
  }
  const holds: HoldFact[] = holdRows.rows.map((r) => ({
    courtCode: r.court_code,
    caseNo: r.case_no,
    agency: r.agency,
    institution: r.institution,
    assetKind: r.asset_kind,
    assetKey: r.asset_key,
    state: r.state,
    frozenFen: Number(r.frozen_fen),
    termUntil: r.term_until,
  }));
  return { today, holds, cases: byCase };
}
