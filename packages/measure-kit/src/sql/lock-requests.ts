import type { AgencyKind, RequestStatus } from '@hub/domain';
import type { Queryable } from '@hub/store';

export interface LockedRequest {
  id: string;
  notice_id: string;
  agency: AgencyKind;
  institution: string;
  status: RequestStatus;
  case_no: string;
  court_code: string;
  subject_key: string;
  measure: string;
}

/**
 * This service's requests among `ids` (the answers topic carries every service's), locked until the batch
 * commits, with their notice's details. Ids of other services' requests are simply not found.
 */
export async function lockRequests(tx: Queryable, ids: readonly string[]): Promise<LockedRequest[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<LockedRequest>(
    `SELECT r.id, r.notice_id, r.agency, r.institution, r.status, n.case_no, n.court_code, n.subject_key, n.measure
     FROM requests r JOIN notices n ON n.id = r.notice_id
     WHERE r.id = ANY($1::uuid[])
     FOR UPDATE OF r`,
    [ids],
  );
  return rows;
}
