import type { NoticeSummary } from '@hub/contracts';
import { isUtcMicros, type NoticeStatus } from '@hub/domain';
import type { Queryable } from '@hub/store';
import { breachedSql, openSql } from './sql/request-status.js';

export const COURT_LIST_MAX = 100;

/** Where a page starts: after this notice in list order (newest issued first, then by id). */
export interface ListPosition {
  /** The notice's issued_at to the microsecond, RFC 3339 in UTC (what {@link listCourtNotices} hands back). */
  issuedAt: string;
  id: string;
}

export interface CourtListQuery {
  court: string;
  caseNo?: string | undefined;
  status?: NoticeStatus | undefined;
  breached?: boolean | undefined;
  limit: number;
  after?: ListPosition | undefined;
  now: Date;
}

/** A position's time as the list hands it back and takes it in: microseconds, UTC, so no row is skipped or repeated. */
export const isListPositionTime = isUtcMicros;

interface Row {
  id: string;
  notice_no: string | null;
  case_no: string | null;
  measure: string | null;
  status: string;
  issued_at: Date;
  issued_at_us: string;
  completed_at: Date | null;
  breached: boolean;
  requests: number;
  requests_open: number;
}

/**
 * One court's notices, newest issued first (the court API's `GET /v1/notices?caseNo=…&status=…&breached=…`), read
 * through the index notices_court_newest (migration 1021) page by page: keyset pagination, so a page is as cheap
 * at the end of a court's year as at its start, and notices arriving meanwhile never shift a page. `breached` is
 * the notice view's: any of its requests open past its deadline, or answered after it, at `now`.
 */
export async function listCourtNotices(
  db: Queryable,
  q: CourtListQuery,
): Promise<{ notices: NoticeSummary[]; next: ListPosition | undefined }> {
  if (q.after && !isListPositionTime(q.after.issuedAt))
    throw new Error('list position: not a microsecond UTC time that exists');
  const params: unknown[] = [q.court, q.now, q.limit + 1];
  const where: string[] = ['n.court_code = $1', 'n.issued_at IS NOT NULL'];
  const breached = `EXISTS (SELECT 1 FROM requests r WHERE r.notice_id = n.id AND ${breachedSql('r', '$2')})`;
  if (q.caseNo !== undefined) where.push(`n.case_no = $${params.push(q.caseNo)}`);
  if (q.status !== undefined) where.push(`n.status = $${params.push(q.status)}`);
  if (q.breached !== undefined) where.push(q.breached ? breached : `NOT ${breached}`);
  if (q.after) {
    const t = `$${params.push(q.after.issuedAt)}::timestamptz`;
    const id = `$${params.push(q.after.id)}::uuid`;
    where.push(`(n.issued_at < ${t} OR (n.issued_at = ${t} AND n.id > ${id}))`);
  }
  // The page first (limit + 1: whether another follows), then each of its notices' requests, once per notice.
  const { rows } = await db.query<Row>(
    `SELECT p.id, p.notice_no, p.case_no, p.measure, p.status, p.issued_at, p.completed_at,
            to_char(p.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS issued_at_us,
            EXISTS (SELECT 1 FROM requests r WHERE r.notice_id = p.id AND ${breachedSql('r', '$2')}) AS breached,
            (SELECT count(*) FROM requests r WHERE r.notice_id = p.id)::int AS requests,
            (SELECT count(*) FROM requests r WHERE r.notice_id = p.id AND ${openSql('r')})::int AS requests_open
     FROM (
       SELECT n.id, n.notice_no, n.case_no, n.measure, n.status, n.issued_at, n.completed_at
       FROM notices n
       WHERE ${where.join(' AND ')}
       ORDER BY n.issued_at DESC, n.id
       LIMIT $3
     ) p
     ORDER BY p.issued_at DESC, p.id`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    notices: page.map((r) => ({
      id: r.id,
      noticeNo: r.notice_no ?? '',
      caseNo: r.case_no ?? '',
      measure: r.measure ?? '',
      status: r.status,
      breached: r.breached,
      issuedAt: r.issued_at,
      completedAt: r.completed_at ?? undefined,
      requests: r.requests,
      requestsOpen: r.requests_open,
    })),
    next: rows.length > q.limit && last ? { issuedAt: last.issued_at_us, id: last.id } : undefined,
  };
}
