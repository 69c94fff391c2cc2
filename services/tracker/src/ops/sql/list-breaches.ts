import type { Queryable } from '@hub/store';
import { closedSql, openSql } from '../../sql/request-status.js';
import {
  REQUEST_SUMMARY_COLUMNS,
  type RequestSummary,
  type RequestSummaryRow,
  toRequestSummary,
} from './request-summary.js';

// What REQUEST_SUMMARY_COLUMNS reads of a request, and the order of the list.
const HALF_COLUMNS = `r.id, r.notice_id, r.case_no, r.agency, r.institution, r.status, r.status_rank, r.due_at,
  r.breached_at, r.escalated_at, r.answered_at, r.late, r.outcome, COALESCE(r.breached_at, r.due_at) AS sort_at`;

/**
 * Open breaches (stamped by the detector, still unanswered) and late answers since `lateSince`, newest
 * breach first. A late answer the detector never stamped sorts by its deadline, when it became late.
 */
export async function listBreaches(
  db: Queryable,
  options: { lateSince: Date; limit: number },
): Promise<RequestSummary[]> {
  // The two halves never overlap (open, closed): each reads its own partial index (migration 1013) for at most
  // `limit` rows, then the newest of both, and only those are joined to their notices. (Joined inside each half,
  // the planner misjudged the late half at 10 million requests, 18,923 rows expected for 361, and merge-joined it
  // with every notice: 418 ms.)
  const { rows } = await db.query<RequestSummaryRow>(
    `SELECT ${REQUEST_SUMMARY_COLUMNS}, r.sort_at
     FROM (
       (SELECT ${HALF_COLUMNS} FROM requests r
        WHERE ${openSql('r')} AND r.breached_at IS NOT NULL
        ORDER BY COALESCE(r.breached_at, r.due_at) DESC, r.id
        LIMIT $2)
       UNION ALL
       (SELECT ${HALF_COLUMNS} FROM requests r
        WHERE ${closedSql('r')} AND (r.late OR (r.outcome IS NOT NULL AND r.answered_at > r.due_at))
          AND r.answered_at >= $1
        ORDER BY COALESCE(r.breached_at, r.due_at) DESC, r.id
        LIMIT $2)
       ORDER BY sort_at DESC, id
       LIMIT $2
     ) r LEFT JOIN notices n ON n.id = r.notice_id
     ORDER BY r.sort_at DESC, r.id`,
    [options.lateSince, options.limit],
  );
  return rows.map(toRequestSummary);
}
