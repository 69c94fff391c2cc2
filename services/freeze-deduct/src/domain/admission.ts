/**
 * Which control notices may be carried out (准入), decided against the hub's own holds, what the case owes and
 * the control notices still in flight. Pure: the gateway asks before it stores a notice (CheckControls), and
 * intake asks again in the batch's transaction, since another notice may have changed the facts in between.
 *
 *   deduct (扣划)                 needs this court's hold in force on the account for the case, and stays
 *                                within what it holds frozen there and within what is still owed
 *   freeze (冻结)                 what the case holds frozen, plus freezes in flight, plus this one, never
 *                                above what is still owed (查封规定 against excessive seizure)
 *   renew, release (续冻 续封 解冻 解封) need this court's hold on the asset for the case, still in force
 *   seal (查封)                    no precondition the hub can judge
 *
 * Money in flight: a freeze or deduct notice counts with its amount until one of its requests is answered;
 * from then on its effect shows in the holds. A queued (轮候) hold holds no money yet and counts as nothing.
 */
import type { AgencyKind, Measure } from '@hub/domain';
import { checkDeduction } from '@hub/domain';
import { type AssetKey, type HoldState, isLive } from './holds.js';

/** A control notice as the checks read it. */
export interface ControlNotice {
  courtCode: string;
  caseNo: string;
  measure: Measure;
  targets: readonly { agency: AgencyKind; institution?: string | undefined }[];
  amountFen?: number | undefined;
  /** What the notice itself states is owed; it replaces the recorded amount. */
  owedFen?: number | undefined;
  accountNo?: string | undefined;
  unitNo?: string | undefined;
  plate?: string | undefined;
}

/** A hold of any court on an asset the notice names. */
export interface HoldFact extends AssetKey {
  courtCode: string;
  caseNo: string;
  agency: string;
  institution: string;
  state: HoldState;
  frozenFen: number;
  /** Last day in force (inclusive), YYYY-MM-DD; null while queued. */
  termUntil: string | null;
}

/** What a court's case stands at. */
export interface CaseFacts {
  /** 执行标的 plus costs as last stated; undefined until stated. */
  owedFen?: number | undefined;
  frozenFen: number;
  deductedFen: number;
  /** Freeze notices in flight (no request answered yet): their amounts. */
  pendingFreezeFen: number;
  /** Deduct notices in flight, by account number. */
  pendingDeductFen: ReadonlyMap<string, number>;
}

export interface AdmissionFacts {
  /** Today in Asia/Shanghai (YYYY-MM-DD): a hold past its last day has lapsed, recorded or not. */
  today: string;
  holds: readonly HoldFact[];
  cases: ReadonlyMap<string, CaseFacts>;
}

export type AdmissionCode =
  | 'DEDUCT_WITHOUT_FREEZE'
  | 'DEDUCT_EXCEEDS_FROZEN'
  | 'DEDUCT_EXCEEDS_OWED'
  | 'FREEZE_EXCEEDS_OWED'
  | 'RENEWAL_EXCEEDS_HOLD'
  | 'OWED_BELOW_DEDUCTED'
  | 'HOLD_OF_ANOTHER_COURT'
  | 'HOLD_NOT_LIVE'
  | 'NO_HOLD';

export interface AdmissionDetail {
  path: string;
  code: AdmissionCode;
  limitFen?: number;
  state?: HoldState;
}

export type Admission = { ok: true } | { ok: false; code: AdmissionCode; details: AdmissionDetail[] };

export const CONTROL_MEASURES = [
  'freeze',
  'renew-freeze',
  'release',
  'deduct',
  'seal',
  'renew-seal',
  'unseal',
] as const satisfies readonly Measure[];

export const isControlMeasure = (m: string): m is (typeof CONTROL_MEASURES)[number] =>
  (CONTROL_MEASURES as readonly string[]).includes(m);

export const caseKey = (courtCode: string, caseNo: string) => `${courtCode}\u0000${caseNo}`;

const NO_CASE: CaseFacts = { frozenFen: 0, deductedFen: 0, pendingFreezeFen: 0, pendingDeductFen: new Map() };

/** The asset a notice names at an agency of this kind, and the field that names it. */
export function assetAt(
  agency: AgencyKind,
  n: Pick<ControlNotice, 'accountNo' | 'unitNo' | 'plate'>,
): (AssetKey & { path: string }) | undefined {
  switch (agency) {
    case 'bank':
    case 'provident-fund':
      return n.accountNo
        ? { assetKind: 'account', assetKey: n.accountNo, path: 'params.accountNo' }
        : undefined;
    case 'real-estate':
      return n.unitNo ? { assetKind: 'unit', assetKey: n.unitNo, path: 'params.unitNo' } : undefined;
    case 'public-security':
      return n.plate ? { assetKind: 'plate', assetKey: n.plate, path: 'params.plate' } : undefined;
  }
}

/** In force today: live by its state and not past its last day. */
export const inForce = (h: HoldFact, today: string) =>
  isLive(h.state) && !(h.termUntil !== null && h.termUntil < today);
/** Holding money (or the asset) now: in force and not waiting in line. */
const holding = (h: HoldFact, today: string) => inForce(h, today) && h.state !== 'queued';

/** The holds of any court on the assets the notice names at the institutions it targets. */
function holdsOnTargets(n: ControlNotice, facts: AdmissionFacts) {
  const path = n.targets.map((t) => assetAt(t.agency, n)).find(Boolean)?.path ?? 'params';
  const holds = facts.holds.filter((h) =>
    n.targets.some((t) => {
      const asset = assetAt(t.agency, n);
      return (
        asset !== undefined &&
        h.assetKind === asset.assetKind &&
        h.assetKey === asset.assetKey &&
        (t.institution ? h.institution === t.institution : h.agency === t.agency)
      );
    }),
  );
  return { path, holds };
}

const refuse = (code: AdmissionCode, detail: Omit<AdmissionDetail, 'code'>): Admission => ({
  ok: false,
  code,
  details: [{ ...detail, code }],
});

/** Whether one control notice may be carried out now. */
export function admitControl(n: ControlNotice, facts: AdmissionFacts): Admission {
  const c = facts.cases.get(caseKey(n.courtCode, n.caseNo)) ?? NO_CASE;
  const owedFen = n.owedFen ?? c.owedFen;
  // A statement of what is owed below what the case already had deducted would put the deductions above the debt.
  if (n.owedFen !== undefined && n.owedFen < c.deductedFen)
    return refuse('OWED_BELOW_DEDUCTED', { path: 'params.owedFen', limitFen: c.deductedFen });
  const { path, holds } = holdsOnTargets(n, facts);
  const mine = holds.filter((h) => h.courtCode === n.courtCode && h.caseNo === n.caseNo);
  switch (n.measure) {
    case 'freeze': {
      if (owedFen === undefined || n.amountFen === undefined) return { ok: true };
      // 查封规定 against excessive seizure: frozen for the case never above what is still owed.
      const limitFen = Math.max(0, owedFen - c.deductedFen - c.frozenFen - c.pendingFreezeFen);
      return n.amountFen > limitFen
        ? refuse('FREEZE_EXCEEDS_OWED', { path: 'params.amountFen', limitFen })
        : { ok: true };
    }
    case 'deduct': {
      const held = mine.filter((h) => holding(h, facts.today));
      if (held.length === 0) return refuse('DEDUCT_WITHOUT_FREEZE', { path });
      if (n.amountFen === undefined) return { ok: true };
      const pendingHere = n.accountNo ? (c.pendingDeductFen.get(n.accountNo) ?? 0) : 0;
      const pendingAll = [...c.pendingDeductFen.values()].reduce((a, b) => a + b, 0);
      const check = checkDeduction(n.amountFen, {
        frozenFen: Math.max(0, held.reduce((t, h) => t + h.frozenFen, 0) - pendingHere),
        owedFen: owedFen ?? Number.MAX_SAFE_INTEGER,
        deductedFen: c.deductedFen + pendingAll,
      });
      return check.ok
        ? { ok: true }
        : refuse(check.code, { path: 'params.amountFen', limitFen: check.limitFen });
    }
    case 'renew-freeze':
    case 'release':
    case 'renew-seal':
    case 'unseal': {
      const live = mine.filter((h) => inForce(h, facts.today));
      // 续冻 continues what is frozen: naming more would have the agency freeze beyond the hold (and, unchecked,
      // beyond what is owed) while the case's ledger still shows the hold. More is a new freeze, checked as one.
      if (n.measure === 'renew-freeze' && live.length > 0 && n.amountFen !== undefined) {
        const limitFen = live.reduce((t, h) => t + h.frozenFen, 0);
        if (n.amountFen > limitFen)
          return refuse('RENEWAL_EXCEEDS_HOLD', { path: 'params.amountFen', limitFen });
      }
      if (live.length > 0) return { ok: true };
      if (mine.length > 0) {
        const ended = mine[0]!;
        const state = isLive(ended.state) ? 'lapsed' : ended.state;
        return refuse('HOLD_NOT_LIVE', { path, state });
      }
      if (holds.some((h) => h.courtCode !== n.courtCode && inForce(h, facts.today)))
        return refuse('HOLD_OF_ANOTHER_COURT', { path });
      return refuse('NO_HOLD', { path });
    }
    default:
      return { ok: true };
  }
}

/**
 * The notices of one batch, in order, each judged with the ones admitted before it counted as in flight:
 * two deductions that each fit alone but not together are not both carried out.
 */
export function admitControls(notices: readonly ControlNotice[], facts: AdmissionFacts): Admission[] {
  const cases = new Map(facts.cases);
  return notices.map((n) => {
    const admission = admitControl(n, { ...facts, cases });
    if (!admission.ok) return admission;
    const k = caseKey(n.courtCode, n.caseNo);
    const c = cases.get(k) ?? NO_CASE;
    const amount = n.amountFen ?? 0;
    cases.set(k, {
      ...c,
      owedFen: n.owedFen ?? c.owedFen,
      pendingFreezeFen: c.pendingFreezeFen + (n.measure === 'freeze' ? amount : 0),
      pendingDeductFen:
        n.measure === 'deduct' && n.accountNo
          ? new Map([
              ...c.pendingDeductFen,
              [n.accountNo, (c.pendingDeductFen.get(n.accountNo) ?? 0) + amount],
            ])
          : c.pendingDeductFen,
    });
    return admission;
  });
}
