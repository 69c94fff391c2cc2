/**
 * The court API's list of a court's notices (DESIGN §6: `GET /v1/notices?caseNo=…&status=…&breached=…`, paginated):
 * the tracker's read model of the court's notices, newest first. Pages are keyset pages: `nextCursor` names the
 * last notice of the page, so paging on while new notices arrive neither skips nor repeats one. A notice filed a
 * moment ago is listed once the tracker has taken it in (milliseconds; `GET /v1/notices/:id` answers at once).
 */
import type { NoticeSummary } from '@hub/contracts';
import {
  canonicalCaseNo,
  HubError,
  isUtcMicros,
  isUuid,
  NOTICE_STATUSES,
  QUERY_INT_TEXT,
  queryBool,
  queryInt,
  toValidationIssues,
  wireSafetyIssues,
} from '@hub/domain';
import { z } from 'zod';
import type { TrackerClient } from './adapters/tracker-client.js';

export const NOTICE_LIST_MAX = 100;

/** The query string of `GET /v1/notices` (documented in the OpenAPI from this schema). */
export const noticeListQuerySchema = z.strictObject({
  caseNo: z.string().trim().min(1).max(64).optional().describe('only this case (案号)'),
  status: z.enum(NOTICE_STATUSES).optional().describe('only notices in this status'),
  breached: queryBool().describe(
    'true: only notices with a request past its deadline (open or answered late); false: none',
  ),
  limit: queryInt(1, NOTICE_LIST_MAX, 20).describe(`notices per page, 1–${NOTICE_LIST_MAX} (default 20)`),
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe('the nextCursor of the previous page, with the same filters'),
});

export interface NoticeListQuery {
  caseNo?: string | undefined;
  status?: (typeof NOTICE_STATUSES)[number] | undefined;
  breached?: boolean | undefined;
  limit: number;
  after?: { issuedAt: string; id: string } | undefined;
}

/** A page's position as clients carry it: opaque, URL-safe. */
export function encodeCursor(p: { issuedAt: string; id: string }): string {
  return Buffer.from(`${p.issuedAt}|${p.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { issuedAt: string; id: string } | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const [issuedAt = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return rest.length === 0 && isUtcMicros(issuedAt) && isUuid(id) ? { issuedAt, id } : undefined;
}

export function parseNoticeListQuery(input: unknown): NoticeListQuery {
  const query = input ?? {};
  const parsed = noticeListQuerySchema.safeParse(query);
  const unsafe = wireSafetyIssues(query);
  const after =
    parsed.success && parsed.data.cursor !== undefined ? decodeCursor(parsed.data.cursor) : undefined;
  const badCursor = parsed.success && parsed.data.cursor !== undefined && !after;
  if (!parsed.success || unsafe.length > 0 || badCursor) {
    throw new HubError('VALIDATION_FAILED', [
      ...unsafe,
      ...toValidationIssues(parsed.error?.issues ?? [], query, QUERY_INT_TEXT),
      ...(badCursor
        ? [{ path: 'cursor', code: 'INVALID_CURSOR', message: 'not a nextCursor this API gave' }]
        : []),
    ]);
  }
  const { caseNo, status, breached, limit } = parsed.data;
  // Notices are stored under the case number's one spelling: so is it looked up.
  return {
    caseNo: caseNo === undefined ? undefined : (canonicalCaseNo(caseNo) ?? caseNo),
    status,
    breached,
    limit,
    after,
  };
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

export function noticeSummaryToBody(n: NoticeSummary) {
  return {
    id: n.id,
    noticeNo: n.noticeNo,
    caseNo: n.caseNo,
    measure: n.measure,
    status: n.status,
    breached: n.breached,
    issuedAt: iso(n.issuedAt),
    completedAt: iso(n.completedAt),
    requests: { total: n.requests, open: n.requestsOpen },
  };
}

/** One page of the court's notices and where the next starts (null on the last page). */
export async function listNotices(
  tracker: Pick<TrackerClient, 'listNotices'>,
  court: string,
  query: unknown,
): Promise<{ notices: NoticeSummary[]; nextCursor: string | null }> {
  const q = parseNoticeListQuery(query);
  const page = await tracker.listNotices({
    courtCode: court,
    caseNo: q.caseNo ?? '',
    status: q.status ?? '',
    ...(q.breached === undefined ? {} : { breached: q.breached }),
    limit: q.limit,
    afterIssuedAt: q.after?.issuedAt ?? '',
    afterId: q.after?.id ?? '',
  });
  const next = page.nextAfterIssuedAt && page.nextAfterId;
  return {
    notices: page.notices,
    nextCursor: next ? encodeCursor({ issuedAt: page.nextAfterIssuedAt, id: page.nextAfterId }) : null,
  };
}
