/**
 * What a mock agency receives from its inbox and what it answers (docs/agency-answers.md). The request type
 * is structural, so an adapter inbox item (mock-agency.ts `InboxItem`) can be passed as it is.
 */
import type { Hold, MeasureReceipt } from '../ledgers/types.js';

export interface AgencyRequest {
  id: string;
  measure: string;
  caseNo: string;
  court: { code?: string };
  debtor: {
    kind?: string;
    idNumber?: string;
    creditCode?: string;
    /** An organisation's persons (the notice's Debtor): whom its exit restriction binds. */
    legalRepresentative?: { idNumber?: string } | undefined;
    responsiblePersons?: readonly { role?: string; idNumber?: string }[] | undefined;
  };
  params?: { amountFen?: number; termDays?: number; accountNo?: string; unitNo?: string; plate?: string };
}

export type AgencyAnswer =
  | { outcome: 'done' | 'partial'; result: unknown; reason?: string }
  | { outcome: 'cannot-assist' | 'refused'; reason: string };

export type { Hold, MeasureReceipt };

/** The court and case a request acts for, the debtor's ID, and when the agency handles it. */
export interface Served {
  request: AgencyRequest;
  court: string;
  subjectId: string;
  now: Date;
}

export const cannotAssist = (reason: string): AgencyAnswer => ({ outcome: 'cannot-assist', reason });

/** Answer reasons are at most 500 characters (packages/agency-kit answerSchema). */
export function clip(reason: string): string {
  return reason.length <= 500 ? reason : `${reason.slice(0, 497)}…`;
}
