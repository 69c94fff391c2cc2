import type { NoticeView } from '@hub/contracts';
import { isBreached, isOpenRequest } from '@hub/domain';
import type { Queryable } from '@hub/store';

interface NoticeRow {
  id: string;
  notice_no: string | null;
  case_no: string | null;
  court_code: string | null;
  measure: string | null;
  status: string;
  issued_at: Date | null;
  completed_at: Date | null;
}

interface RequestRow {
  id: string;
  agency: string;
  institution: string;
  status: string;
  due_at: Date | null;
  answered_at: Date | null;
  outcome: string | null;
  reason: string | null;
  result_json: string | null;
}

/** The tracker's view of one notice, or undefined if no event about it has arrived yet. */
export async function readNotice(db: Queryable, id: string, now: Date): Promise<NoticeView | undefined> {
  const { rows } = await db.query<NoticeRow>('SELECT * FROM notices WHERE id = $1', [id]);
  const n = rows[0];
  if (!n) return undefined;
  const [requests, timeline] = await Promise.all([
    db.query<RequestRow>('SELECT * FROM requests WHERE notice_id = $1 ORDER BY agency, institution, id', [
      id,
    ]),
    db.query<{ at: Date; event: string; request_id: string | null; detail: string | null }>(
      'SELECT at, event, request_id, detail FROM timeline WHERE notice_id = $1 ORDER BY at, id',
      [id],
    ),
  ]);
  const views = requests.rows.map((r) => ({
    id: r.id,
    agency: r.agency,
    institution: r.institution,
    status: r.status,
    breached: isBreached({ open: isOpenRequest(r.status), dueAt: r.due_at, answeredAt: r.answered_at }, now),
    dueAt: r.due_at ?? undefined,
    outcome: r.outcome ?? '',
    reason: r.reason ?? '',
    resultJson: r.result_json ?? '',
    answeredAt: r.answered_at ?? undefined,
  }));
  return {
    id: n.id,
    noticeNo: n.notice_no ?? '',
    caseNo: n.case_no ?? '',
    courtCode: n.court_code ?? '',
    measure: n.measure ?? '',
    // Completed only once the requests its completion counted are here and answered (projection.ts,
    // settleCompletions): the same status the console's lists show.
    status: n.status,
    breached: views.some((v) => v.breached),
    issuedAt: n.issued_at ?? undefined,
    completedAt: n.completed_at ?? undefined,
    requests: views,
    timeline: timeline.rows.map((t) => ({
      at: t.at,
      event: t.event,
      requestId: t.request_id ?? '',
      detail: t.detail ?? '',
    })),
  };
}
