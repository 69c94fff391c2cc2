/** The ops API as the console reads it (services/tracker/src/ops/routes.ts). */

export interface Breach {
  requestId: string;
  noticeId: string;
  noticeNo: string | null;
  caseNo: string | null;
  agency: string;
  institution: string;
  dueAt: string | null;
  breachedAt: string | null;
  escalatedAt: string | null;
  answeredAt: string | null;
  open: boolean;
  late: boolean;
}

export interface AgencyRow {
  agency: string;
  institution: string;
  backlog: number;
  openBreaches: number;
  answered: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
  refusals: number;
}

export interface NoticeSummary {
  id: string;
  noticeNo: string | null;
  caseNo: string | null;
  courtCode: string | null;
  measure: string;
  status: string;
  debtorMasked: string | null;
  breached: boolean;
}

export interface RequestRow {
  id: string;
  agency: string;
  institution: string;
  status: string;
  breached: boolean;
  dueAt: string | null;
  answeredAt: string | null;
  outcome: string | null;
  reason: string | null;
}

export interface TimelineEntry {
  at: string;
  event: string;
  detail: string | null;
  requestId: string | null;
}

/** A restriction in force on the notice's case (from the punishment service's RestrictionsChanged). */
export interface CaseRestriction {
  entryId: string;
  measure: string;
  since: string | null;
  endsAt: string | null;
  role: string;
  debtorKind: string;
  impliedBy: string;
}

export interface NoticeView extends NoticeSummary {
  issuedAt: string | null;
  completedAt: string | null;
  requests: RequestRow[];
  timeline: TimelineEntry[];
  restrictions?: CaseRestriction[];
}

/** A hold running out unless renewed, or lapsed lately (GET /v1/ops/holds/expiring). */
export interface ExpiringHold {
  holdId: string;
  noticeId: string;
  courtCode: string;
  caseNo: string;
  agency: string;
  institution: string;
  assetKind: string;
  asset: string;
  termUntil: string;
  lapsesAt: string;
  daysLeft: number;
  lapsed: boolean;
  lapsedAt: string | null;
}

/** A punishment notice confirmed late, or not yet past its deadline (GET /v1/ops/punishments/late). */
export interface LatePunishment {
  requestId: string;
  noticeId: string;
  noticeNo: string;
  caseNo: string;
  courtCode: string;
  measure: string;
  agency: string;
  institution: string;
  dueAt: string;
  confirmedAt: string | null;
  outcome: string | null;
  missing: boolean;
  breachedAt: string | null;
}

export interface LatePunishmentPage {
  late: LatePunishment[];
  nextCursor: string | null;
}

export interface DeadLetterHeader {
  name: string;
  value: string;
  encoding: 'text' | 'hex';
}

export interface DeadLetter {
  id: number;
  receivedAt: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  dlqTopic: string | null;
  dlqPartition: number | null;
  dlqOffset: string | null;
  consumerGroup: string | null;
  eventType: string | null;
  noticeId: string | null;
  error: string | null;
  errorCode: string | null;
  decodeError: string | null;
  keyHex: string | null;
  keyText: string | null;
  headers: DeadLetterHeader[];
  valueHex: string | null;
  valueBytes: number | null;
  valueTruncated: boolean;
}

export interface DeadLetterPage {
  deadLetters: DeadLetter[];
  total: number;
  nextBefore: number | null;
}

/** A timeline event on the live stream; `request` is the request's breach view after it. */
export interface TimelineEvent {
  event: string;
  noticeId: string;
  request?: Breach;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new HttpError(`${url}: HTTP ${res.status}`, res.status);
  return (await res.json()) as T;
}
