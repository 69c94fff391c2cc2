/**
 * Seal, renew and unseal at a real-estate centre (units, `unitNo`) or public security (vehicles, `plate`).
 * With the asset named, the measure acts on it, which must be registered to the debtor. Without it, the
 * measure acts on every asset of the debtor there (seal: all; renew, unseal: those holding this court's
 * seal for the case); the result is the first asset's (docs shape), and `reason` lists the others.
 * A queued seal (轮候查封) is registered but not yet in effect: the answer is partial and says so.
 */
import type { SealReceipt, SealRegister } from '../ledgers/seal-register.js';
import { type AgencyAnswer, cannotAssist, clip, type Served } from './types.js';

type Register = SealRegister<unknown>;
type Op = 'seal' | 'renew-seal' | 'unseal';

export interface SealTarget {
  /** Result key of the asset number: `unitNo` or `plate`. */
  key: 'unitNo' | 'plate';
  /** What the asset is called in reasons: `unit`, `vehicle`. */
  noun: string;
}

export function sealAnswer(
  register: Register,
  target: SealTarget,
  op: Op,
  s: Served,
  termDays: number,
): AgencyAnswer {
  const assets = register.assetsOf(s.subjectId, s.now);
  if (assets.length === 0) return cannotAssist(`no ${target.noun} is registered to the debtor here`);
  const named = s.request.params?.[target.key];
  const many = named === undefined;
  const mine = (holds: { court: string; caseNo: string }[]) =>
    holds.some((h) => h.court === s.court && h.caseNo === s.request.caseNo);
  const chosen = many
    ? assets.filter((a) => op === 'seal' || mine(a.holds))
    : assets.filter((a) => a.assetNo === named);
  if (chosen.length === 0) {
    return cannotAssist(
      many
        ? `no seal of this court for this case on the debtor's ${target.noun}s`
        : `no such ${target.noun} registered to the debtor`,
    );
  }
  const receipts: SealReceipt[] = [];
  for (const a of chosen) {
    const cmd = {
      requestId: many ? `${s.request.id}#${a.assetNo}` : s.request.id,
      owner: s.subjectId,
      assetNo: a.assetNo,
      court: s.court,
      caseNo: s.request.caseNo,
      at: s.now,
    };
    const r =
      op === 'seal'
        ? register.seal({ ...cmd, termDays })
        : op === 'renew-seal'
          ? register.renew({ ...cmd, termDays })
          : register.unseal(cmd);
    if (r.ok) receipts.push(r.value);
    else if (!many)
      return cannotAssist(
        r.code === 'NO_SUCH_HOLD'
          ? `no running seal of this court for this case on the ${target.noun} (never made, lifted or lapsed)`
          : `invalid ${op} request: ${r.code}`,
      );
  }
  if (receipts.length === 0)
    return cannotAssist(`no running seal of this court for this case on the debtor's ${target.noun}s`);
  const first = receipts[0]!;
  const result = { [target.key]: first.assetNo, receipt: first.receipt };
  const others =
    receipts.length > 1
      ? `${op} on ${receipts.length} ${target.noun}s: ${receipts.map((r) => `${r.assetNo}${r.receipt.effective ? '' : ` (queued ${r.receipt.queuePosition})`}`).join('; ')}`
      : undefined;
  if (op === 'unseal' || first.receipt.effective)
    return { outcome: 'done', result, ...(others ? { reason: clip(others) } : {}) };
  const why = `registered as a queued seal (轮候查封) at position ${first.receipt.queuePosition}; it takes effect when the seals ahead are lifted`;
  return {
    outcome: op === 'seal' ? 'partial' : 'done',
    result,
    reason: clip(others ? `${why}. ${others}` : why),
  };
}
