/**
 * 查冻扣一体: a freeze plan turns what a case's property report found into one freeze notice per account
 * (and, when asked, one seal notice per real-estate unit and vehicle), never freezing more than is owed.
 * Pure: the report's assets, what the case already holds and what it owes come in; the plan comes out.
 *
 * Rules (民事诉讼法 on 划拨/变价 limits; 查封规定 against excessive seizure, DESIGN §4):
 * - what the case holds frozen already, or has asked to freeze and not yet heard back, counts first;
 * - the rest of what is owed is planned over the accounts with the largest free balances first, so the
 *   fewest accounts (and institutions) are troubled;
 * - one notice per asset at its institution, and none on an asset the case already holds;
 * - held plus planned never exceeds owed.
 */
import type { AgencyKind } from '@hub/domain';
import type { AssetKey } from './holds.js';

/** An asset the property report found for a debtor of the case. */
export interface FoundAsset extends AssetKey {
  /** The caller's reference to the debtor, carried to the planned item. */
  debtorRef: string;
  agency: AgencyKind;
  institution: string;
  /** An account's balance not frozen by anyone (absent for units and vehicles). */
  availableFen?: number | undefined;
}

/** What the case already holds (or has asked for) on an asset: a live hold or a pending freeze or seal. */
export interface HeldAsset extends AssetKey {
  institution: string;
  /** Money held, or asked for and not yet answered. */
  fen: number;
}

export interface FreezePlanInput {
  owedFen: number;
  found: readonly FoundAsset[];
  held: readonly HeldAsset[];
  /** Money already deducted (扣划) for the case: that much of what is owed is paid, not to be frozen again. */
  deductedFen?: number;
  /** Also seal every real-estate unit and vehicle found (查封). */
  sealProperty: boolean;
}

export interface PlannedItem extends AssetKey {
  seq: number;
  debtorRef: string;
  measure: 'freeze' | 'seal';
  agency: AgencyKind;
  institution: string;
  /** Freezes only: what to freeze on the account. */
  amountFen?: number;
}

export type EmptyPlanReason = 'OWED_ALREADY_HELD' | 'NOTHING_FREE_TO_FREEZE';

export interface FreezePlan {
  owedFen: number;
  heldFen: number;
  plannedFen: number;
  items: PlannedItem[];
  /** Why nothing is planned; absent when the plan has items. */
  reason?: EmptyPlanReason;
}

const assetId = (a: { institution: string } & AssetKey) => `${a.institution}|${a.assetKind}|${a.assetKey}`;

/** Largest free balance first; ties in a stable order so the same report always gives the same plan. */
const byAvailableDesc = (a: FoundAsset, b: FoundAsset) =>
  (b.availableFen ?? 0) - (a.availableFen ?? 0) ||
  a.institution.localeCompare(b.institution) ||
  a.assetKey.localeCompare(b.assetKey);

export function planFreeze(input: FreezePlanInput): FreezePlan {
  const heldIds = new Set(input.held.map(assetId));
  const heldFen = input.held.reduce((t, h) => t + h.fen, 0);
  // The report lists an asset once per debtor and institution; plan it once.
  const seen = new Set<string>();
  const fresh = input.found.filter((a) => {
    const id = assetId(a);
    if (heldIds.has(id) || seen.has(id)) return false;
    seen.add(id);
    return true;
  });

  const items: PlannedItem[] = [];
  const deductedFen = input.deductedFen ?? 0;
  let left = Math.max(0, input.owedFen - deductedFen - heldFen);
  const accounts = fresh
    .filter((a) => a.assetKind === 'account' && (a.availableFen ?? 0) > 0)
    .sort(byAvailableDesc);
  for (const a of accounts) {
    if (left === 0) break;
    const amountFen = Math.min(a.availableFen ?? 0, left);
    left -= amountFen;
    items.push({ ...item(a, 'freeze', items.length + 1), amountFen });
  }
  if (input.sealProperty) {
    for (const a of fresh.filter((x) => x.assetKind !== 'account'))
      items.push(item(a, 'seal', items.length + 1));
  }

  const plannedFen = items.reduce((t, i) => t + (i.amountFen ?? 0), 0);
  const plan: FreezePlan = { owedFen: input.owedFen, heldFen, plannedFen, items };
  if (items.length === 0)
    plan.reason = heldFen + deductedFen >= input.owedFen ? 'OWED_ALREADY_HELD' : 'NOTHING_FREE_TO_FREEZE';
  return plan;
}

function item(a: FoundAsset, measure: PlannedItem['measure'], seq: number): PlannedItem {
  return {
    seq,
    debtorRef: a.debtorRef,
    measure,
    agency: a.agency,
    institution: a.institution,
    assetKind: a.assetKind,
    assetKey: a.assetKey,
  };
}
