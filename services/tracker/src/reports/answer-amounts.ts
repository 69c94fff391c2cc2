/**
 * Money moved by answered freeze and deduct requests, read from the agencies' results with
 * `parseAnswerResult` (docs/agency-answers.md): freeze and renew-freeze carry `frozenFen`, deduct
 * `deductedFen`. A renewal keeps money that is already frozen (续冻, glossary RENEWAL_OF), so its amount is
 * summed apart and never added to the amount frozen: 100 fen frozen and renewed is 100 fen frozen. Summed
 * here rather than in SQL because one malformed result must cost its own amount, not the whole report
 * (PostgreSQL 15 has no non-throwing jsonb cast); such a result is counted, so the report says so.
 */
import { parseAnswerResult } from '@hub/contracts/answers';
import { addFen, type Fen, isAgencyKind, isMeasure, isMoneyMeasure } from '@hub/domain';

export interface MoneyTotals {
  /** Newly frozen (冻结 answers). */
  frozenFen: Fen;
  /** Kept frozen for a further term (续冻 answers): already counted in `frozenFen` when first frozen. */
  renewedFen: Fen;
  deductedFen: Fen;
  /** Done or partial money answers whose result does not parse: left out of the amounts above. */
  unreadableAnswers: number;
}

/** A done or partial answer to a request, as the tracker stored it. */
export interface AnsweredAmount {
  agency: string;
  measure: string;
  resultJson: string | null;
}

/** The fen one answer moved; undefined when it is no money measure's answer or its result does not parse. */
export function amountOfAnswer(a: AnsweredAmount): Fen | undefined {
  if (!isAgencyKind(a.agency) || !isMeasure(a.measure) || !isMoneyMeasure(a.measure)) return undefined;
  const parsed = parseAnswerResult(a.agency, a.measure, a.resultJson ?? '');
  if (!parsed.ok) return undefined;
  return parsed.measure === 'deduct' ? parsed.value.deductedFen : parsed.value.frozenFen;
}

/** Sums the money answers among `answers`; any other measure's answer is ignored. */
export function sumAnswerAmounts(answers: Iterable<AnsweredAmount>): MoneyTotals {
  const totals: MoneyTotals = { frozenFen: 0, renewedFen: 0, deductedFen: 0, unreadableAnswers: 0 };
  for (const a of answers) {
    if (!isMeasure(a.measure) || !isMoneyMeasure(a.measure)) continue;
    const fen = amountOfAnswer(a);
    if (fen === undefined) totals.unreadableAnswers += 1;
    else if (a.measure === 'deduct') totals.deductedFen = addFen(totals.deductedFen, fen);
    else if (a.measure === 'freeze') totals.frozenFen = addFen(totals.frozenFen, fen);
    else totals.renewedFen = addFen(totals.renewedFen, fen);
  }
  return totals;
}

/**
 * Adds the amounts the read model's rollup keeps per money measure (the projection reads each answer once, as
 * `amountOfAnswer` does, when it stores it: migration 1013) to `totals`.
 */
export function addMoneyRollup(
  totals: MoneyTotals,
  rows: readonly { measure: string; fen: string | null; unreadable: number }[],
): MoneyTotals {
  const out = { ...totals };
  for (const r of rows) {
    const fen = Number(r.fen ?? '0');
    if (r.measure === 'deduct') out.deductedFen = addFen(out.deductedFen, fen);
    else if (r.measure === 'freeze') out.frozenFen = addFen(out.frozenFen, fen);
    else if (r.measure === 'renew-freeze') out.renewedFen = addFen(out.renewedFen, fen);
    else continue;
    out.unreadableAnswers += r.unreadable;
  }
  return out;
}
