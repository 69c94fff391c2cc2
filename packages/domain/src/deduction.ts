/**
 * How much a deduction (扣划) may take. 民事诉讼法 on 划拨 and 查封规定 against excessive seizure (DESIGN §4):
 * a deduction never takes more than is frozen for the case on that account, and what is deducted for a case
 * in total never exceeds what is owed. Amounts are integer fen.
 */

export interface DeductionLimits {
  /** Frozen for this court and case on the account now. */
  frozenFen: number;
  /** What the case is owed (执行标的, with fees) … */
  owedFen: number;
  /** … and what has already been deducted for it, anywhere. */
  deductedFen: number;
}

export type DeductionCheck =
  | { ok: true; amountFen: number }
  | { ok: false; code: 'DEDUCT_EXCEEDS_FROZEN' | 'DEDUCT_EXCEEDS_OWED'; limitFen: number };

/** The most a deduction may take now: the frozen amount, and no more than is still owed. */
export function deductionLimitFen(l: DeductionLimits): number {
  return Math.max(0, Math.min(l.frozenFen, l.owedFen - l.deductedFen));
}

/** Whether a court may ask to deduct `amountFen`; the code names the limit it would break. */
export function checkDeduction(amountFen: number, l: DeductionLimits): DeductionCheck {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    throw new RangeError(`a deduction is a positive whole number of fen, got ${amountFen}`);
  }
  const stillOwed = Math.max(0, l.owedFen - l.deductedFen);
  if (amountFen > stillOwed) return { ok: false, code: 'DEDUCT_EXCEEDS_OWED', limitFen: stillOwed };
  if (amountFen > l.frozenFen) return { ok: false, code: 'DEDUCT_EXCEEDS_FROZEN', limitFen: l.frozenFen };
  return { ok: true, amountFen };
}

/**
 * An agency's side: `amountFen` taken from the holds of one case on one account, in their rank order, each
 * giving at most what it has frozen. Returns what each hold gives; their sum is what is deducted, which is
 * less than asked when less is frozen (and zero when nothing is).
 */
export function splitDeduction(amountFen: number, frozenPerHold: readonly number[]): number[] {
  let left = Math.max(0, amountFen);
  return frozenPerHold.map((frozen) => {
    const take = Math.min(left, Math.max(0, frozen));
    left -= take;
    return take;
  });
}
