/**
 * 查冻扣一体, the freeze-deduct side: a court's freeze plan for a case, made once per idempotency key from
 * the assets the gateway read off the case's property report, less what the case already holds. What the
 * case owes is recorded with it (source 'freeze-plan', audited). The gateway issues the planned notices,
 * sealed; they come back here as any notice does.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PlanFreezeRequest, PlanFreezeResponse } from '@hub/contracts';
import { type AgencyKind, HubError, isAgencyKind, isFen } from '@hub/domain';
import type { EventFactory } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import { type Pool, withTransaction } from '@hub/store';
import { type FoundAsset, planFreeze } from './domain/freeze-plan.js';
import type { AssetKey } from './domain/holds.js';
import { releaseExcess } from './over-freeze.js';
import { selectCaseDeducted, selectCaseHeld } from './sql/case-held.js';
import { insertPlan, lockCase, type StoredPlan, selectPlan } from './sql/freeze-plans.js';
import { recordOwed } from './sql/owed.js';

const ASSET_KINDS: readonly AssetKey['assetKind'][] = ['account', 'unit', 'plate'];

/** Short and stable per (court, key): the plan's notices are numbered from it. */
export const planNoOf = (courtCode: string, planKey: string) =>
  createHash('sha256').update(`${courtCode}\u0000${planKey}`).digest('hex').slice(0, 10).toUpperCase();

export async function makeFreezePlan(
  pool: Pool,
  req: PlanFreezeRequest,
  now: Date,
  effects: { events: EventFactory; logger: Pick<Logger, 'info'> },
): Promise<PlanFreezeResponse> {
  const found = checked(req);
  return withTransaction(pool, async (tx) => {
    await lockCase(tx, req.courtCode, req.caseNo);
    const before = await selectPlan(tx, req.courtCode, req.planKey);
    if (before) {
      if (before.requestHash !== req.requestHash || before.caseNo !== req.caseNo)
        throw new HubError('PLAN_CONFLICT', [{ path: 'Idempotency-Key', code: 'PLAN_CONFLICT' }]);
      return toResponse(before, true);
    }
    const deductedFen = await selectCaseDeducted(tx, req.courtCode, req.caseNo);
    // Stating less owed than was already deducted would put the deductions above the debt: nothing is recorded.
    if (req.owedFen < deductedFen)
      throw new HubError('OWED_BELOW_DEDUCTED', [
        { path: 'owedFen', code: 'OWED_BELOW_DEDUCTED', deductedFen },
      ]);
    const plan = planFreeze({
      owedFen: req.owedFen,
      found,
      held: await selectCaseHeld(tx, req.courtCode, req.caseNo),
      deductedFen,
      sealProperty: req.sealProperty,
    });
    const stored: StoredPlan = {
      id: randomUUID(),
      courtCode: req.courtCode,
      caseNo: req.caseNo,
      planKey: req.planKey,
      planNo: planNoOf(req.courtCode, req.planKey),
      requestHash: req.requestHash,
      owedFen: plan.owedFen,
      heldFen: plan.heldFen,
      plannedFen: plan.plannedFen,
      reason: plan.reason ?? null,
      items: plan.items,
      officer: req.officer,
      plannedAt: now,
    };
    await insertPlan(tx, stored);
    await recordOwed(tx, [
      {
        courtCode: req.courtCode,
        caseNo: req.caseNo,
        owedFen: req.owedFen,
        source: 'freeze-plan',
        officer: req.officer,
        at: now,
      },
    ]);
    // What is owed may now be below what the case holds (frozen before it was stated, or stated lower).
    await releaseExcess(
      tx,
      [{ courtCode: req.courtCode, caseNo: req.caseNo, at: now }],
      effects.events,
      effects.logger,
    );
    return toResponse(stored, false);
  });
}

function toResponse(p: StoredPlan, replayed: boolean): PlanFreezeResponse {
  return {
    planId: p.id,
    planNo: p.planNo,
    plannedAt: p.plannedAt,
    replayed,
    owedFen: p.owedFen,
    heldFen: p.heldFen,
    plannedFen: p.plannedFen,
    items: p.items.map((i) => ({
      seq: i.seq,
      debtorRef: i.debtorRef,
      measure: i.measure,
      agency: i.agency,
      institution: i.institution,
      assetKind: i.assetKind,
      assetKey: i.assetKey,
      amountFen: i.amountFen,
    })),
    reason: p.reason ?? '',
  };
}

/** The request as the planner takes it; the gateway validated the court's input, this guards the rpc. */
function checked(req: PlanFreezeRequest): FoundAsset[] {
  const issues: { path: string; code: string }[] = [];
  if (!req.caseNo) issues.push({ path: 'caseNo', code: 'REQUIRED' });
  if (!req.courtCode) issues.push({ path: 'courtCode', code: 'REQUIRED' });
  if (!req.planKey) issues.push({ path: 'planKey', code: 'REQUIRED' });
  if (!isFen(req.owedFen) || req.owedFen <= 0) issues.push({ path: 'owedFen', code: 'INVALID_AMOUNT' });
  req.assets.forEach((a, n) => {
    if (!isAgencyKind(a.agency)) issues.push({ path: `assets.${n}.agency`, code: 'INVALID_AGENCY' });
    if (!ASSET_KINDS.includes(a.assetKind as AssetKey['assetKind']))
      issues.push({ path: `assets.${n}.assetKind`, code: 'INVALID_ASSET_KIND' });
    if (!a.institution || !a.assetKey) issues.push({ path: `assets.${n}`, code: 'REQUIRED' });
    if (a.availableFen !== undefined && !isFen(a.availableFen))
      issues.push({ path: `assets.${n}.availableFen`, code: 'INVALID_AMOUNT' });
  });
  if (issues.length > 0) throw new HubError('VALIDATION_FAILED', issues);
  return req.assets.map((a) => ({
    debtorRef: a.debtorRef,
    agency: a.agency as AgencyKind,
    institution: a.institution,
    assetKind: a.assetKind as AssetKey['assetKind'],
    assetKey: a.assetKey,
    availableFen: a.availableFen,
  }));
}
