import { OPEN_REQUEST_STATUSES } from '@hub/domain';
import type { Queryable } from '@hub/store';

/** The court's case and debtor behind a request this service sent to `institution`. */
export interface PlacingRequest {
  requestId: string;
  institution: string;
  agency: string;
  courtCode: string;
  caseNo: string;
  subjectKey: string;
  /** Its answer is not taken in yet (the request's status is still open here). */
  open: boolean;
}

export async function selectPlacingRequests(
  tx: Queryable,
  requestIds: readonly string[],
): Promise<Map<string, PlacingRequest>> {
  if (requestIds.length === 0) return new Map();
  const { rows } = await tx.query(
    `SELECT r.id, r.institution, r.agency, n.court_code, n.case_no, n.subject_key,
            r.status = ANY($2::text[]) AS open
     FROM requests r JOIN notices n ON n.id = r.notice_id WHERE r.id = ANY($1::uuid[])`,
    [[...new Set(requestIds)], OPEN_REQUEST_STATUSES],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        requestId: r.id,
        institution: r.institution,
        agency: r.agency,
        courtCode: r.court_code,
        caseNo: r.case_no,
        subjectKey: r.subject_key,
        open: r.open,
      },
    ]),
  );
}

export interface ReceivedReport {
  eventId: string;
  reportId: string;
  agency: string;
  institution: string;
  requestId: string;
  change: string;
  holdId: string | null;
  /** `applied`, or why the report changed nothing. */
  outcome: string;
  occurredAt: Date;
  receivedAt: Date;
}

/** Every report received, with what it did (one multi-row statement). */
export async function insertReceivedReports(tx: Queryable, rows: readonly ReceivedReport[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO hold_reports (event_id, report_id, agency, institution, request_id, change, hold_id, outcome,
                               occurred_at, received_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::uuid[],
                          $8::text[], $9::timestamptz[], $10::timestamptz[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      rows.map((r) => r.eventId),
      rows.map((r) => r.reportId),
      rows.map((r) => r.agency),
      rows.map((r) => r.institution),
      rows.map((r) => r.requestId),
      rows.map((r) => r.change),
      rows.map((r) => r.holdId),
      rows.map((r) => r.outcome),
      rows.map((r) => r.occurredAt),
      rows.map((r) => r.receivedAt),
    ],
  );
}
