import type { Queryable } from '@hub/store';
import {
  LATE,
  REQUEST_SUMMARY_COLUMNS,
  type RequestSummary,
  type RequestSummaryRow,
  toRequestSummary,
} from '../../src/ops/sql/request-summary.js';
import { closedSql, openSql } from '../../src/sql/request-status.js';

/**
 * Open breaches (stamped by the detector, still unanswered) and late answers since `lateSince`, newest
 * breach first. A late answer the detector never stamped sorts by its deadline, when it became late.
 */
export async function listBreaches(
  db: Queryable,
  options: { lateSince: Date; limit: number },
): Promise<RequestSummary[]> {
  const { rows } = await db.query<RequestSummaryRow>(
    `SELECT ${REQUEST_SUMMARY_COLUMNS}
     FROM requests r LEFT JOIN notices n ON n.id = r.notice_id
     WHERE (${openSql('r')} AND r.breached_at IS NOT NULL)
        OR (${closedSql('r')} AND r.answered_at >= $1 AND ${LATE})
     ORDER BY COALESCE(r.breached_at, r.due_at) DESC, r.id
     LIMIT $2`,
    [options.lateSince, options.limit],
  );
  return rows.map(toRequestSummary);
}
