/**
 * Reconciliation on demand (对账): the hub's holds of one court's case, read from this service's `holds`
 * table, against the latest query answer of each institution (its books, docs/agency-answers.md). The
 * answers come in: they are the query service's, fetched by whoever asks (an ops route, a job).
 */
import { parseAnswerResult } from '@hub/contracts/answers';
import type { AgencyKind } from '@hub/domain';
import type { Queryable } from '@hub/store';
import type { HoldState } from './domain/holds.js';
import {
  type AgencyBooks,
  booksOf,
  type HubHold,
  type Reconciliation,
  reconcile,
} from './domain/reconcile.js';

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
    courtCode: r.court_code,
    caseNo: r.case_no,
    institution: r.institution,
    assetKind: r.asset_kind,
    assetKey: r.asset_key,
    measure: r.measure,
    state: r.state as HoldState,
    queuePosition: r.queue_position,
    requestedFen: r.requested_fen === null ? null : Number(r.requested_fen),
    frozenFen: Number(r.frozen_fen),
    deductedFen: Number(r.deducted_fen),
    termFrom: r.term_from,
    termUntil: r.term_until,
    registrationNo: r.registration_no,
  }));
  const books: AgencyBooks[] = [];
  const unreadable: string[] = [];
  for (const a of answers) {
    const b = booksOf(a.institution, parseAnswerResult(a.agency, 'query', a.result));
    if (b) books.push(b);
    else unreadable.push(a.institution);
  }
  return { ...theCase, ...reconcile(theCase, holds, books), unreadable };
}
