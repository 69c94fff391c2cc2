import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import {
  type CheckPunishmentResult,
  type Confirmation,
  type GetCaseRestrictionsResponse,
  type NoticeSubmission,
  type PublicListing,
  PunishmentServiceClient,
  type SearchPublicListRequest,
} from '@hub/contracts';
import { HubError, isErrorCode } from '@hub/domain';
import { GRPC_CLIENT_OPTIONS } from '@hub/service-kit';

const DEPENDENCY = [{ dependency: 'punishment' }];

/** The punishment service over gRPC (惩戒措施): admission of punishment notices, a case's restrictions, the public list. */
export class PunishmentClient {
  private readonly client: PunishmentServiceClient;

  constructor(url: string) {
    this.client = new PunishmentServiceClient(url, credentials.createInsecure(), GRPC_CLIENT_OPTIONS);
  }

  /** Whether each punishment notice may be accepted, in order (PunishmentService.CheckPunishments). */
  check(notices: readonly NoticeSubmission[], deadlineMs = 5000): Promise<CheckPunishmentResult[]> {
    return new Promise((resolve, reject) => {
      this.client.checkPunishments(
        { notices: [...notices] },
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => {
          if (err || !res || res.results.length !== notices.length)
            return reject(new HubError('UNAVAILABLE', DEPENDENCY, undefined, { cause: err }));
          resolve(res.results);
        },
      );
    });
  }

  /** The case's listings and restrictions; the service answers only the court of the case. */
  caseRestrictions(
    caseNo: string,
    courtCode: string,
    deadlineMs = 5000,
  ): Promise<GetCaseRestrictionsResponse> {
    return new Promise((resolve, reject) => {
      this.client.getCaseRestrictions(
        { caseNo, courtCode },
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => {
          if (err || !res) return reject(hubErrorOf(err, 'NO_RESTRICTION_FOR_CASE'));
          resolve(res);
        },
      );
    });
  }

  /** The published list (live listings only), masked as the service publishes it. */
  searchPublicList(request: SearchPublicListRequest, deadlineMs = 3000): Promise<PublicListing[]> {
    return new Promise((resolve, reject) => {
      this.client.searchPublicList(
        request,
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => {
          if (err || !res) return reject(hubErrorOf(err));
          resolve(res.listings);
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

/**
 * The service's own stable code (error-code trailer) where it sent one; NOT_FOUND and PERMISSION_DENIED
 * without one keep their meaning; anything else is the service being unavailable.
 */
function hubErrorOf(err: ServiceError | null, notFoundCode = 'NOT_FOUND'): HubError {
  const code = err?.metadata?.get('error-code')[0];
  if (err && err.code !== status.INTERNAL && isErrorCode(code)) {
    const details = err.metadata.get('error-details')[0];
    let parsed: unknown[] = [];
    try {
      parsed = typeof details === 'string' ? (JSON.parse(details) as unknown[]) : [];
    } catch {
      // the code says enough
    }
    return new HubError(code, parsed);
  }
  if (err?.code === status.NOT_FOUND)
    return new HubError('NOT_FOUND', [{ path: 'caseNo', code: notFoundCode }]);
  if (err?.code === status.PERMISSION_DENIED)
    return new HubError('FORBIDDEN', [{ path: 'caseNo', code: 'OTHER_COURT' }]);
  return new HubError('UNAVAILABLE', DEPENDENCY, undefined, { cause: err });
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);
const orNull = (s: string) => (s === '' ? null : s);

const confirmationToBody = (c: Confirmation) => ({
  agency: c.agency,
  institution: orNull(c.institution),
  requestId: c.requestId,
  status: c.status,
  dueAt: iso(c.dueAt),
  confirmedAt: iso(c.confirmedAt),
  late: c.late,
});

/** A case's listings and restrictions as courts read them (REST JSON): times ISO 8601, null for none. */
export function restrictionsToBody(r: GetCaseRestrictionsResponse) {
  return {
    caseNo: r.caseNo,
    generatedAt: iso(r.generatedAt),
    restrictions: r.restrictions.map((v) => ({
      id: v.id,
      measure: v.measure,
      state: v.state,
      role: v.role,
      subject: v.subjectMasked,
      ground: orNull(v.ground),
      since: iso(v.since),
      endsAt: iso(v.endsAt),
      noticeId: v.noticeId,
      impliedBy: orNull(v.impliedBy),
      removal: {
        noticeId: orNull(v.removalNoticeId),
        reason: orNull(v.removalReason),
        dueAt: iso(v.removalDueAt),
        removedAt: iso(v.removedAt),
      },
      broadcast: v.broadcast.map(confirmationToBody),
      withdrawal: v.withdrawal.map(confirmationToBody),
    })),
  };
}
