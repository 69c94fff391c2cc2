/** A case's listings and restrictions, with who was told of each and of its withdrawal, and when they confirmed. */
import type { Confirmation, RestrictionView } from '@hub/contracts';
import type { Queryable } from '@hub/store';

interface EntryRow {
  id: string;
  measure: string;
  state: string;
  role: string;
  subject_masked: string;
  grounds: string[];
  since: Date;
  ends_at: Date | null;
  notice_id: string;
  removal_notice_id: string | null;
  removal_reason: string | null;
  removal_due_at: Date | null;
  removed_at: Date | null;
  implied_by: string | null;
}

interface RequestRow {
  id: string;
  notice_id: string;
  agency: string;
  institution: string;
  status: string;
  due_at: Date | null;
  answered_at: Date | null;
}

/** Late: answered after its deadline, or its deadline passed with no answer. */
export function confirmationOf(r: RequestRow, now: Date): Confirmation {
  const late = r.due_at !== null && (r.answered_at ? r.answered_at > r.due_at : now > r.due_at);
  return {
    agency: r.agency,
    institution: r.institution,
    requestId: r.id,
    status: r.status,
    dueAt: r.due_at ?? undefined,
    confirmedAt: r.answered_at ?? undefined,
    late,
  };
}

/** Null when the court has no listing or restriction in the case. */
export async function caseRestrictions(
  db: Queryable,
  caseNo: string,
  courtCode: string,
  now: Date,
): Promise<RestrictionView[] | null> {
  const { rows } = await db.query<EntryRow>(
    `SELECT id, measure, state, role, subject_masked, grounds, since, ends_at, notice_id, removal_notice_id,
            removal_reason, removal_due_at, removed_at, implied_by
     FROM entries WHERE case_no = $1 AND court_code = $2 ORDER BY since, id`,
    [caseNo, courtCode],
  );
  if (rows.length === 0) return null;
  const notices = [...new Set(rows.flatMap((r) => [r.notice_id, r.removal_notice_id ?? []].flat()))];
  const { rows: requests } = await db.query<RequestRow>(
    `SELECT id, notice_id, agency, institution, status, due_at, answered_at FROM requests
     WHERE notice_id = ANY($1::uuid[]) ORDER BY agency, institution`,
    [notices],
  );
  const of = (noticeId: string | null) =>
    requests.filter((r) => r.notice_id === noticeId).map((r) => confirmationOf(r, now));
  return rows.map((r) => ({
    id: r.id,
    measure: r.measure,
    state: r.state,
    role: r.role,
    subjectMasked: r.subject_masked,
    ground: r.grounds[0] ?? '',
    since: r.since,
    endsAt: r.ends_at ?? undefined,
    noticeId: r.notice_id,
    removalNoticeId: r.removal_notice_id ?? '',
    removalReason: r.removal_reason ?? '',
    removalDueAt: r.removal_due_at ?? undefined,
    removedAt: r.removed_at ?? undefined,
    broadcast: of(r.notice_id),
    withdrawal: r.removal_notice_id ? of(r.removal_notice_id) : [],
    impliedBy: r.implied_by ?? '',
  }));
}
