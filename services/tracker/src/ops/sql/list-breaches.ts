import type { Queryable } from '@hub/store';
import { closedSql, openSql } from '../../sql/request-status.js';
import {
  REQUEST_SUMMARY_COLUMNS,
  type RequestSummary,
  type RequestSummaryRow,
  toRequestSummary,
} from './request-summary.js';

/**
 * Open breaches (stamped by the detector, still unanswered) and late answers since `lateSince`, newest
 * breach first. A late answer the detector never stamped sorts by its deadline, when it became late.
 */
export async function listBreaches(
  db: Queryable,
  options: { lateSince: Date; limit: number },
): Promise<RequestSummary[]> {
  // The two halves never overlap (open, closed): each reads its own partial index (migration 1013) for at most
  // `limit` rows, then the newest of both.
  const { rows } = await db.query<RequestSummaryRow>(
    `SELECT * FROM (
       (SELECT ${REQUEST_SUMMARY_COLUMNS}, COALESCE(r.breached_at, r.due_at) AS sort_at
        FROM requests r LEFT JOIN notices n ON n.id = r.notice_id
        WHERE ${openSql('r')} AND r.breached_at IS NOT NULL
        ORDER BY COALESCE(r.breached_at, r.due_at) DESC, r.id
        LIMIT $2)
       UNION ALL
       (SELECT ${REQUEST_SUMMARY_COLUMNS}, COALESCE(r.breached_at, r.due_at) AS sort_at
        FROM requests r LEFT JOIN notices n ON n.id = r.notice_id
        WHERE ${closedSql('r')} AND (r.late OR (r.outcome IS NOT NULL AND r.answered_at > r.due_at))
          AND r.answered_at >= $1
        ORDER BY COALESCE(r.breached_at, r.due_at) DESC, r.id
        LIMIT $2)
     ) b
     ORDER BY sort_at DESC, request_id
     LIMIT $2`,
    [options.lateSince, options.limit],
  );
  return rows.map(toRequestSummary);
}
