/** Commands and receipts of the money ledgers (docs/agency-answers.md, bank: freeze / release / deduct). */
import type { CourtCommand, Hold, MeasureReceipt } from './types.js';

export interface OpeningAccount<M> {
  accountNo: string;
  balanceFen: number;
  meta: M;
}

export interface AccountView<M> {
  accountNo: string;
  owner: string;
  balanceFen: number;
  frozenFen: number;
  holds: Hold[];
  meta: M;
}

export interface FreezeCommand extends CourtCommand {
  accountNo: string;
  amountFen: number;
  termDays: number;
}
/** A renewal extends the term of the holds as they stand; to hold less, release part of them first. */
export interface RenewCommand extends CourtCommand {
  accountNo: string;
  termDays: number;
}
/** Without `amountFen` every hold of the court and case on the account ends, queued ones included. */
export interface ReleaseCommand extends CourtCommand {
  accountNo: string;
  amountFen?: number;
}
export interface DeductCommand extends CourtCommand {
  accountNo: string;
  amountFen: number;
}

export interface FreezeReceipt {
  accountNo: string;
  requestedFen: number;
  frozenFen: number;
  receipt: MeasureReceipt;
}
export interface ReleaseReceipt {
  accountNo: string;
  releasedFen: number;
  receipt: MeasureReceipt;
}
export interface DeductReceipt {
  accountNo: string;
  requestedFen: number;
  deductedFen: number;
  transferRef: string;
  balanceAfterFen: number;
}
export interface Transfer {
  requestId: string;
  accountNo: string;
  court: string;
  caseNo: string;
  amountFen: number;
  transferRef: string;
}
