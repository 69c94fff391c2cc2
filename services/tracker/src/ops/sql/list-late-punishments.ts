import { PUNISHMENT_MEASURES } from '@hub/domain';
import type { Queryable } from '@hub/store';
import { openSql } from '../../sql/request-status.js';

/**
 * A punishment notice's request (a listing or restriction broadcast, its removal or lifting) that one
 * institution confirmed after its deadline, or has still not confirmed past it.
 */
export interface LatePunishment {
  requestId: string;
  noticeId: string;
  noticeNo: string;
  caseNo: string;
  courtCode: string;
  measure: string;
  agency: string;
  institution: string;
  /** The answer deadline (a removal's: as the punishment service stamped it, 3 working days at most). */
  dueAt: Date;
  /** When the institution answered; null: still missing. */
  confirmedAt: Date | null;
  /** The answer (done, partial, cannot-assist, refused); null while missing. */
  outcome: string | null;
  missing: boolean;
  /** Stamped by the breach detector when the deadline passed unanswered. */
  breachedAt: Date | null;
}

/** A page's position: the last row's deadline and request id (the list runs newest deadline first). */
export interface LatePunishmentCursor {
  dueAt: Date;
  requestId: string;
}

// Spelled as the partial index requests_punishment_overdue (migration 1011) is, so the planner uses it.
const PUNISHMENT_IN = `r.measure IN (${PUNISHMENT_MEASURES.map((m) => `'${m}'`).join(', ')})`;

/** $1 now, $2 limit, $3 and $4 the cursor (null: the first page). */
export const LATE_PUNISHMENTS_SQL = `SELECT r.id AS request_id, r.notice_id, n.notice_no, COALESCE(r.case_no, n.case_no) AS case_no,
            COALESCE(r.court_code, n.court_code) AS court_code, r.measure, r.agency, r.institution, r.due_at,
            r.answered_at, r.outcome, ${openSql('r')} AS missing, r.breached_at
     FROM requests r LEFT JOIN notices n ON n.id = r.notice_id
     WHERE ${PUNISHMENT_IN} AND (r.late OR ${openSql('r')})
       AND r.due_at < $1
       AND (${openSql('r')} OR (r.outcome IS NOT NULL AND r.answered_at > r.due_at))
       AND ($3::timestamptz IS NULL OR (r.due_at, r.id) < ($3::timestamptz, $4::uuid))
     ORDER BY r.due_at DESC, r.id DESC
     LIMIT $2`;

/**
 * Late and missing confirmations of punishment notices across all courts, newest deadline first, a page at a
 * time (keyset: never skips or repeats a row when new ones arrive between pages). A hub-side delivery failure
 * is no answer from the institution and is not listed.
 */
export async function listLatePunishments(
  db: Queryable,
  options: { now: Date; limit: number; after?: LatePunishmentCursor },
): Promise<{ rows: LatePunishment[]; next: LatePunishmentCursor | null }> {
  const { rows } = await db.query<{
    request_id: string;
    notice_id: string;
    notice_no: string | null;
    case_no: string | null;
    court_code: string | null;
    measure: string;
    agency: string;
    institution: string;
    due_at: Date;
    answered_at: Date | null;
    outcome: string | null;
    missing: boolean;
    breached_at: Date | null;
  }>(LATE_PUNISHMENTS_SQL, [
    options.now,
    options.limit + 1,
    options.after?.dueAt ?? null,
    options.after?.requestId ?? null,
  ]);
  const page = rows.slice(0, options.limit).map(
    (r): LatePunishment => ({
      requestId: r.request_id,
      noticeId: r.notice_id,
      noticeNo: r.notice_no ?? '',
      caseNo: r.case_no ?? '',
      courtCode: r.court_code ?? '',
      measure: r.measure,
      agency: r.agency,
      institution: r.institution,
      dueAt: r.due_at,
      confirmedAt: r.missing ? null : r.answered_at,
      outcome: r.missing ? null : r.outcome,
      missing: r.missing,
      breachedAt: r.breached_at,
    }),
  );
  const last = page.at(-1);
  return {
    rows: page,
    next: rows.length > options.limit && last ? { dueAt: last.dueAt, requestId: last.requestId } : null,
  };
}
