import { OPEN_REQUEST_STATUSES } from '@hub/domain';
import type { Queryable } from '@hub/store';
import type { HeldAsset } from '../domain/freeze-plan.js';
import { HOLD_STATES, isLive } from '../domain/holds.js';

const LIVE = HOLD_STATES.filter(isLive);

/**
 * What a case holds or is about to hold, per asset: its live holds (what each froze, or still may freeze
 * while it waits for money or in line), its freezes and seals still waiting for an answer, and the items
 * of its earlier freeze plans not yet taken in here (the gateway issues them; they arrive over Kafka).
 * A plan counts all of it before planning more, so two plans in a row never freeze the same money twice.
 */
export async function selectCaseHeld(db: Queryable, courtCode: string, caseNo: string): Promise<HeldAsset[]> {
  const { rows } = await db.query(
    `SELECT institution, asset_kind, asset_key,
            GREATEST(frozen_fen, COALESCE(requested_fen, 0) - deducted_fen) AS fen
     FROM holds WHERE court_code = $1 AND case_no = $2 AND state = ANY($3::text[])
     UNION ALL
     SELECT r.institution,
            CASE r.agency WHEN 'real-estate' THEN 'unit' WHEN 'public-security' THEN 'plate' ELSE 'account' END,
            c.asset_key, COALESCE(c.amount_fen, 0)
     FROM notices n JOIN requests r ON r.notice_id = n.id JOIN control_params c ON c.notice_id = n.id
     WHERE n.court_code = $1 AND n.case_no = $2 AND n.measure IN ('freeze', 'seal')
       AND r.status = ANY($4::text[]) AND c.asset_key IS NOT NULL
     UNION ALL
     SELECT i.institution, i."assetKind", i."assetKey", COALESCE(i."amountFen", 0)
     FROM freeze_plans p,
          jsonb_to_recordset(p.items) AS i(institution text, "assetKind" text, "assetKey" text, measure text,
                                            "amountFen" bigint)
     WHERE p.court_code = $1 AND p.case_no = $2
       AND NOT EXISTS (
         SELECT 1 FROM notices n JOIN control_params c ON c.notice_id = n.id JOIN requests r ON r.notice_id = n.id
         WHERE n.court_code = p.court_code AND n.case_no = p.case_no AND n.measure = i.measure
           AND c.asset_key = i."assetKey" AND r.institution = i.institution AND n.created_at >= p.planned_at)`,
    [courtCode, caseNo, LIVE, OPEN_REQUEST_STATUSES],
  );
  return rows.map((r) => ({
    institution: r.institution,
    assetKind: r.asset_kind,
    assetKey: r.asset_key,
    fen: Number(r.fen),
  }));
}

/** Money deducted (扣划) for the case so far, by every hold it had: paid towards what is owed. */
export async function selectCaseDeducted(db: Queryable, courtCode: string, caseNo: string): Promise<number> {
  const { rows } = await db.query(
    'SELECT COALESCE(SUM(deducted_fen), 0) AS fen FROM holds WHERE court_code = $1 AND case_no = $2',
    [courtCode, caseNo],
  );
  return Number(rows[0].fen);
}
