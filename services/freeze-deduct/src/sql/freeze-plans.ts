import type { Queryable } from '@hub/store';
import type { EmptyPlanReason, PlannedItem } from '../domain/freeze-plan.js';

/** A freeze plan as stored: what was planned for which key, and when. */
export interface StoredPlan {
  id: string;
  courtCode: string;
  caseNo: string;
  planKey: string;
  planNo: string;
  requestHash: string;
  owedFen: number;
  heldFen: number;
  plannedFen: number;
  reason: EmptyPlanReason | null;
  items: PlannedItem[];
  officer: string;
  plannedAt: Date;
}

const fromRow = (r: Record<string, unknown>): StoredPlan => ({
  id: r.id as string,
  courtCode: r.court_code as string,
  caseNo: r.case_no as string,
  planKey: r.plan_key as string,
  planNo: r.plan_no as string,
  requestHash: r.request_hash as string,
  owedFen: Number(r.owed_fen),
  heldFen: Number(r.held_fen),
  plannedFen: Number(r.planned_fen),
  reason: (r.reason as EmptyPlanReason | null) ?? null,
  items: r.items as PlannedItem[],
  officer: r.officer as string,
  plannedAt: r.planned_at as Date,
});

export async function selectPlan(db: Queryable, courtCode: string, planKey: string) {
  const { rows } = await db.query('SELECT * FROM freeze_plans WHERE court_code = $1 AND plan_key = $2', [
    courtCode,
    planKey,
  ]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function insertPlan(tx: Queryable, p: StoredPlan): Promise<void> {
  await tx.query(
    `INSERT INTO freeze_plans (id, court_code, case_no, plan_key, plan_no, request_hash, owed_fen, held_fen,
                               planned_fen, reason, items, officer, planned_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      p.id,
      p.courtCode,
      p.caseNo,
      p.planKey,
      p.planNo,
      p.requestHash,
      p.owedFen,
      p.heldFen,
      p.plannedFen,
      p.reason,
      JSON.stringify(p.items),
      p.officer,
      p.plannedAt,
    ],
  );
}

/** Serialises the plans (and over-freeze releases) of one case: they read what the case holds, then add to it. */
export async function lockCase(tx: Queryable, courtCode: string, caseNo: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${courtCode}|${caseNo}`]);
}
