import type { Queryable } from '@hub/store';
import {
  REQUEST_SUMMARY_COLUMNS,
  type RequestSummary,
  type RequestSummaryRow,
  toRequestSummary,
} from './request-summary.js';

/** One timeline row as the live stream sends it; `request` is the request's state when it was read. */
export interface TimelineItem {
  id: number;
  noticeId: string;
  at: Date;
  event: string;
  requestId: string;
  detail: string;
  request?: RequestSummary;
}

type Row = {
  id: number;
  t_notice_id: string;
  at: Date;
  event: string;
  t_request_id: string | null;
  detail: string | null;
} & { [K in keyof RequestSummaryRow]: RequestSummaryRow[K] | null };

/** Where a new subscriber starts: after everything already in the timeline. */
export async function latestTimelineId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT COALESCE(max(id), 0)::float8 AS id FROM timeline');
  return rows[0]?.id ?? 0;
}

/**
 * Timeline rows after `cursor`, plus any of the `missing` ids (skipped earlier because their transaction
 * had not committed yet), in id order, each with its request's current state.
 */
export async function timelineAfter(
  db: Queryable,
  cursor: number,
  missing: readonly number[],
  limit: number,
): Promise<TimelineItem[]> {
  const { rows } = await db.query<Row>(
    `SELECT t.id::float8 AS id, t.notice_id AS t_notice_id, t.at, t.event, t.request_id AS t_request_id,
            t.detail, ${REQUEST_SUMMARY_COLUMNS}
     FROM timeline t
     LEFT JOIN requests r ON r.id = t.request_id
     LEFT JOIN notices n ON n.id = r.notice_id
     WHERE t.id > $1 OR t.id = ANY($2::bigint[])
     ORDER BY t.id
     LIMIT $3`,
    [cursor, missing, limit],
  );
  return rows.map((r) => {
    const item: TimelineItem = {
      id: r.id,
      noticeId: r.t_notice_id,
      at: r.at,
      event: r.event,
      requestId: r.t_request_id ?? '',
      detail: r.detail ?? '',
    };
    if (r.request_id !== null) item.request = toRequestSummary(r as RequestSummaryRow);
    return item;
  });
}
