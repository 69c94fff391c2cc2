import type { Queryable } from '@hub/store';

/** A restriction in force on a case's debtor (or on a person an organisation's restriction binds). */
export interface CaseRestriction {
  entryId: string;
  measure: string;
  courtCode: string;
  caseNo: string;
  noticeId: string;
  since: Date | null;
  endsAt: Date | null;
  ground: string;
  /** debtor, or why a person is bound by an organisation's restriction (法释〔2015〕17号 art. 3). */
  role: string;
  debtorKind: string;
  /** Set when the entry follows from another (a listing restricts consumption): that entry's id. */
  impliedBy: string;
}

/** The restrictions of a case in force at `now` (a listing past its term is over), oldest first. */
export async function caseRestrictions(db: Queryable, caseNo: string, now: Date): Promise<CaseRestriction[]> {
  const { rows } = await db.query(
    `SELECT entry_id, measure, court_code, case_no, notice_id, since, ends_at, ground, role, debtor_kind, implied_by
     FROM restriction_entries
     WHERE case_no = $1 AND (ends_at IS NULL OR ends_at > $2)
     ORDER BY since NULLS LAST, measure, role, entry_id`,
    [caseNo, now],
  );
  return rows.map((r) => ({
    entryId: r.entry_id,
    measure: r.measure,
    courtCode: r.court_code,
    caseNo: r.case_no,
    noticeId: r.notice_id,
    since: r.since,
    endsAt: r.ends_at,
    ground: r.ground,
    role: r.role,
    debtorKind: r.debtor_kind,
    impliedBy: r.implied_by,
  }));
}
