/**
 * Reconciliation on demand (对账): the hub's holds of one court's case, read from this service's `holds`
 * table, against the latest query answer of each institution (its books, docs/agency-answers.md). The
 * answers come in: they are the query service's, fetched by whoever asks (an ops route, a job).
 */
import type { ReconcileCaseAnswer, ReconcileCaseResponse } from '@hub/contracts';
import { parseAnswerResult } from '@hub/contracts/answers';
import { type AgencyKind, isAgencyKind } from '@hub/domain';
import type { Queryable } from '@hub/store';
import {
  type AgencyBooks,
  booksOf,
  type HubHold,
  type Reconciliation,
  reconcile,
} from './domain/reconcile.js';
import { storedHoldOf } from './sql/holds.js';

/** An institution's latest answer to a query about the case's debtor: its result as stored or sent. */
export interface QueryAnswer {
  agency: AgencyKind;
  institution: string;
  /** The result JSON text, or the value already decoded. */
  result: unknown;
}

export interface CaseReconciliation extends Reconciliation {
  caseNo: string;
  courtCode: string;
  /** Institutions whose answer did not parse as a query result: their holds are left unchecked. */
  unreadable: string[];
}

/** Whether the court has any control notice of the case here: otherwise the case is not found for it. */
export async function hasControlNotice(db: Queryable, caseNo: string, courtCode: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM notices WHERE case_no = $1 AND court_code = $2 LIMIT 1', [
    caseNo,
    courtCode,
  ]);
  return rows.length > 0;
}

export async function caseReconciliation(
  db: Queryable,
  theCase: { courtCode: string; caseNo: string },
  answers: readonly QueryAnswer[],
): Promise<CaseReconciliation> {
  const { rows } = await db.query(
    `SELECT * FROM holds WHERE case_no = $1 AND court_code = $2 ORDER BY institution, asset_kind, asset_key`,
    [theCase.caseNo, theCase.courtCode],
  );
  const holds: HubHold[] = rows.map((r) => ({
    ...storedHoldOf(r),
    courtCode: r.court_code,
    caseNo: r.case_no,
    institution: r.institution,
  }));
  const books: AgencyBooks[] = [];
  const unreadable = new Set<string>();
  for (const a of answers) {
    const b = isAgencyKind(a.agency)
      ? booksOf(a.institution, parseAnswerResult(a.agency, 'query', a.result))
      : undefined;
    if (b) books.push(b);
    else unreadable.add(a.institution);
  }
  return { ...theCase, ...reconcile(theCase, holds, books), unreadable: [...unreadable].sort() };
}

/** The gRPC request's answers as this module reads them: an agency kind not known stays, and is unreadable. */
export const answersOfRequest = (answers: readonly ReconcileCaseAnswer[]): QueryAnswer[] =>
  answers.map((a) => ({ agency: a.agency as AgencyKind, institution: a.institution, result: a.resultJson }));

/** A reconciliation on the wire (FreezeDeductService.ReconcileCase): absent sides stay absent. */
export function reconciliationToResponse(r: CaseReconciliation): ReconcileCaseResponse {
  return {
    caseNo: r.caseNo,
    checked: r.checked,
    discrepancies: r.discrepancies.map((d) => ({
      kind: d.kind,
      institution: d.institution,
      assetKind: d.assetKind,
      assetKey: d.assetKey,
      hub: d.hub && {
        state: d.hub.state,
        queuePosition: d.hub.queuePosition,
        amountFen: d.hub.amountFen ?? undefined,
        termUntil: d.hub.termUntil ?? '',
      },
      agency: (d.agency ?? []).map((a) => ({
        queuePosition: a.queuePosition,
        amountFen: a.amountFen ?? undefined,
        until: a.until,
      })),
    })),
    unchecked: r.unchecked.map((u) => ({ ...u })),
    unreadable: r.unreadable,
  };
}
