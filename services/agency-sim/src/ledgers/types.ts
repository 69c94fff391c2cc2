/**
 * Shapes shared by the mock agencies' ledgers and registers, as docs/agency-answers.md defines them.
 *
 *   冻结 freeze / 轮候冻结 queued freeze    查封 seal / 轮候查封 queued seal
 *   解冻 release / 解封 unseal             续冻/续封 renew          扣划 deduct
 *   回执号 registration number             执行款专户 the court's account a deduction is transferred to
 */

/** An existing freeze or seal on an asset, by any court. */
export interface Hold {
  court: string;
  caseNo: string;
  /** Money holds only: frozen now when in effect; what it waits for when queued. */
  amountFen?: number;
  /** YYYY-MM-DD. A queued hold shows the term it would have run from its service; it restarts on effect. */
  from: string;
  until: string;
  /** 0 = in effect; 1, 2, … = queued (轮候) in order of service. */
  queuePosition: number;
}

/** The result of freeze / renew / release / seal / unseal / restrict. */
export interface MeasureReceipt {
  effective: boolean;
  queuePosition: number;
  from?: string;
  until?: string;
  registrationNo: string;
}

/** Why a ledger could not carry out an operation (stable codes; the agency words the reason). */
export type LedgerErrorCode =
  | 'NO_SUCH_ACCOUNT'
  | 'NO_SUCH_ASSET'
  | 'NO_SUCH_HOLD'
  | 'NOTHING_FROZEN'
  | 'INVALID_AMOUNT'
  | 'INVALID_TERM';

export type LedgerResult<T> = { ok: true; value: T } | { ok: false; code: LedgerErrorCode };

/** Every operation names its request (idempotency key), the court and case it acts for, and when. */
export interface CourtCommand {
  requestId: string;
  court: string;
  caseNo: string;
  /** When the notice was served on the agency: ranks queued holds and dates terms. */
  at: Date;
}

export const failure = (code: LedgerErrorCode): LedgerResult<never> => ({ ok: false, code });
