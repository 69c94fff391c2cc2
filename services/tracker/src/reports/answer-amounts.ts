/**
 * Money moved by answered freeze and deduct requests, read from the agencies' results
 * (docs/agency-answers.md): freeze and renew-freeze carry `frozenFen`, deduct `deductedFen`. A renewal
 * keeps money that is already frozen (续冻, glossary RENEWAL_OF), so its amount is summed apart and never
 * added to the amount frozen: 100 fen frozen and renewed is 100 fen frozen. Summed here rather than in SQL
 * because one malformed result must cost its own amount, not the whole report (PostgreSQL 15 has no
 * non-throwing jsonb cast).
 */
import { addFen, type Fen, isFen } from '@hub/domain';

export interface MoneyTotals {
  /** Newly frozen (冻结 answers). */
  frozenFen: Fen;
  /** Kept frozen for a further term (续冻 answers): already counted in `frozenFen` when first frozen. */
  renewedFen: Fen;
  deductedFen: Fen;
}

export const AMOUNT_MEASURES = ['freeze', 'renew-freeze', 'deduct'] as const;

/** The amount one answer moved, or 0 when its result carries no whole, non-negative fen amount. */
export function amountOfAnswer(measure: string, resultJson: string | null): Fen {
  const field = measure === 'deduct' ? 'deductedFen' : 'frozenFen';
  if (!resultJson) return 0;
  let result: unknown;
  try {
    result = JSON.parse(resultJson);
  } catch {
    return 0;
  }
  if (typeof result !== 'object' || result === null) return 0;
  const amount = (result as Record<string, unknown>)[field];
  return isFen(amount) && amount >= 0 ? amount : 0;
}

export function sumAnswerAmounts(answers: Iterable<{ measure: string; resultJson: string | null }>) {
  const totals: MoneyTotals = { frozenFen: 0, renewedFen: 0, deductedFen: 0 };
  for (const a of answers) {
    const fen = amountOfAnswer(a.measure, a.resultJson);
    if (a.measure === 'deduct') totals.deductedFen = addFen(totals.deductedFen, fen);
    else if (a.measure === 'freeze') totals.frozenFen = addFen(totals.frozenFen, fen);
    else if (a.measure === 'renew-freeze') totals.renewedFen = addFen(totals.renewedFen, fen);
  }
  return totals;
}
