import { openSql } from '../../sql/request-status.js';

/**
 * One request as the console's breach list shows it. The columns are selected from `requests r` joined
 * with `notices n` (the case number may have reached only one of them yet).
 */
export interface RequestSummary {
  requestId: string;
  noticeId: string;
  caseNo: string;
  noticeNo: string;
  agency: string;
  institution: string;
  status: string;
  /** Still waiting for an answer (status below the terminal rank). */
  open: boolean;
  dueAt: Date | null;
  breachedAt: Date | null;
  escalatedAt: Date | null;
  answeredAt: Date | null;
  /** Answered after its deadline: kept as evidence of non-cooperation (DESIGN §4). */
  late: boolean;
}

export interface RequestSummaryRow {
  request_id: string;
  notice_id: string;
  case_no: string | null;
  notice_no: string | null;
  agency: string;
  institution: string;
  status: string;
  open: boolean;
  due_at: Date | null;
  breached_at: Date | null;
  escalated_at: Date | null;
  answered_at: Date | null;
  late: boolean;
}

/** A late answer: the detector's `late` mark, or an answer (not a hub failure) stamped after the deadline. */
export const LATE = `(r.late OR (r.outcome IS NOT NULL AND r.answered_at > r.due_at))`;

export const REQUEST_SUMMARY_COLUMNS = `
  r.id AS request_id, r.notice_id, COALESCE(r.case_no, n.case_no) AS case_no, n.notice_no,
  r.agency, r.institution, r.status, ${openSql('r')} AS open, r.due_at, r.breached_at, r.escalated_at,
  r.answered_at, ${LATE} AS late`;

export function toRequestSummary(r: RequestSummaryRow): RequestSummary {
  return {
    requestId: r.request_id,
    noticeId: r.notice_id,
    caseNo: r.case_no ?? '',
    noticeNo: r.notice_no ?? '',
    agency: r.agency,
    institution: r.institution,
    status: r.status,
    open: r.open,
    dueAt: r.due_at,
    breachedAt: r.breached_at,
    escalatedAt: r.escalated_at,
    answeredAt: r.answered_at,
    late: r.late,
  };
}
