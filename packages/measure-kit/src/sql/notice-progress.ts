import type { NoticeStatus, RequestStatus } from '@hub/domain';
import type { Queryable } from '@hub/store';

export interface NoticeProgress {
  id: string;
  status: NoticeStatus;
  requests: RequestStatus[];
}

/** The notices among `ids`, locked, each with the statuses of all its requests. */
export async function lockNoticeProgress(tx: Queryable, ids: readonly string[]): Promise<NoticeProgress[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<NoticeProgress>(
    `SELECT n.id, n.status, ARRAY(SELECT r.status FROM requests r WHERE r.notice_id = n.id) AS requests
     FROM notices n WHERE n.id = ANY($1::uuid[])
     FOR UPDATE`,
    [ids],
  );
  return rows;
}

/**
 * Moves notices to the statuses the domain derived (`completedAt` set on those that just completed), as a statement
 * for `enqueueWith`: it goes with the batch's events, one round trip for both.
 */
export function noticeStatusChange(
  rows: readonly { id: string; status: NoticeStatus; completedAt: Date | null }[],
): { sql: string; params: unknown[] } | undefined {
  if (rows.length === 0) return undefined;
  return {
    sql: `UPDATE notices n SET status = u.status, completed_at = COALESCE(u.completed_at, n.completed_at)
          FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS u(id, status, completed_at)
          WHERE n.id = u.id`,
    params: [rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.completedAt)],
  };
}
