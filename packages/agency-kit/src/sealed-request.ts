import {
  Court,
  Debtor,
  NoticeParams,
  type NoticeSubmission,
  type RequestDispatched,
  type Seal,
} from '@hub/contracts';
import { agencySupports, isAgencyKind, isMeasure, isPunishmentMeasure, isUuid } from '@hub/domain';
import type { SealCheck } from '@hub/seal';

/**
 * What an agency is shown is what the court sealed (法释〔2013〕20号: an electronic notice has the effect
 * of paper only under its court's valid seal). A RequestDispatched carries the sealed notice and, for
 * convenience, copies of some of its fields plus the hub's routing (agency, institution, measure). Only
 * the sealed notice is trusted: the request an agency leases is derived from it alone, and a request
 * whose routing or copies disagree with it is refused.
 */
export interface SealedRequest {
  requestId: string;
  noticeId: string;
  institution: string;
  notice: NoticeSubmission;
  seal: Seal;
  /** Set for a reuse record: the hub answered with this earlier request's answer; nothing to answer. */
  reusedFrom: string | null;
}

/** Why a request is refused; the seal's own codes plus the two ways its contents can disagree with it. */
export type RefusalCode =
  | Exclude<SealCheck, { ok: true }>['code']
  | 'REQUEST_MALFORMED'
  | 'NOT_ADDRESSED'
  | 'SEAL_MISMATCH';

export type SealedRequestCheck =
  | { ok: true; request: SealedRequest }
  | { ok: false; code: RefusalCode; reason: string };

/** The sealed copies a RequestDispatched may repeat; each, when present, must equal the sealed original. */
const COPIES: { field: string; same: (r: RequestDispatched, n: NoticeSubmission) => boolean }[] = [
  { field: 'noticeNo', same: (r, n) => r.noticeNo === n.noticeNo },
  { field: 'caseNo', same: (r, n) => r.caseNo === n.caseNo },
  { field: 'legalBasis', same: (r, n) => r.legalBasis === n.legalBasis },
  { field: 'court', same: (r, n) => sameMessage(Court, r.court, n.court) },
  { field: 'debtor', same: (r, n) => sameMessage(Debtor, r.debtor, n.debtor) },
  { field: 'params', same: (r, n) => sameMessage(NoticeParams, r.params, n.params) },
];
const copied = (r: RequestDispatched, field: string) => {
  const v = r[field as keyof RequestDispatched];
  return v !== undefined && v !== '';
};

/**
 * Take `r` for `agency`'s inbox only if the court's seal verifies over its notice, the request is addressed
 * by that notice (this agency kind is a target, and a target naming an institution names this one), its
 * measure is the notice's, and every field it repeats equals the sealed one. An absent copy says nothing
 * and is not needed: the agency is shown the sealed notice, never the copies.
 */
export function checkSealedRequest(
  agency: string,
  r: RequestDispatched,
  verify: (notice: NoticeSubmission | undefined, seal: Seal | undefined) => SealCheck,
): SealedRequestCheck {
  const ids = [r.requestId, r.noticeId, ...(r.reusedFromRequestId ? [r.reusedFromRequestId] : [])];
  if (!ids.every(isUuid) || !r.institution) {
    return {
      ok: false,
      code: 'REQUEST_MALFORMED',
      reason: 'a request, notice or reused id, or the institution, is missing',
    };
  }
  const seal = verify(r.notice, r.seal);
  if (!seal.ok)
    return { ok: false, code: seal.code, reason: `the court seal does not verify (${seal.code})` };
  const notice = r.notice!;
  if (r.agency !== agency) {
    return {
      ok: false,
      code: 'NOT_ADDRESSED',
      reason: `agency ${r.agency} is not this adapter's (${agency})`,
    };
  }
  // A punishment measure is broadcast (失信名单, 限制消费, 限制出境 reach every institution acting on them, and
  // their withdrawal every one that received them), whatever targets the court named: its seal addresses every
  // agency kind that acts on it. Any other notice addresses exactly its targets.
  const broadcast =
    isAgencyKind(agency) &&
    isMeasure(notice.measure) &&
    isPunishmentMeasure(notice.measure) &&
    agencySupports(agency, notice.measure);
  const addressed =
    broadcast ||
    notice.targets.some(
      (t) => t.agency === agency && (t.institution === '' || t.institution === r.institution),
    );
  if (!addressed) {
    return {
      ok: false,
      code: 'NOT_ADDRESSED',
      reason: `the sealed notice does not address ${agency} institution ${r.institution}`,
    };
  }
  const differ = [
    ...(r.measure === notice.measure ? [] : ['measure']),
    ...COPIES.filter((c) => copied(r, c.field) && !c.same(r, notice)).map((c) => c.field),
  ];
  if (differ.length > 0) {
    return {
      ok: false,
      code: 'SEAL_MISMATCH',
      reason: `${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'} from the sealed notice`,
    };
  }
  return {
    ok: true,
    request: {
      requestId: r.requestId,
      noticeId: r.noticeId,
      institution: r.institution,
      notice,
      seal: r.seal!,
      reusedFrom: r.reusedFromRequestId ? r.reusedFromRequestId : null,
    },
  };
}

/**
 * Equal as the seal sees them: the same protobuf bytes (defaults and absent fields alike). Two decoded copies
 * with the same values encode to the same bytes, so a structural match answers without encoding; only a
 * mismatch (which may still be a default against an absent field) is settled by the bytes.
 */
function sameMessage<T>(
  codec: { encode(m: T): { finish(): Uint8Array }; fromPartial(o: object): T },
  a: T | undefined,
  b: T | undefined,
): boolean {
  if (sameValue(a, b)) return true;
  const bytes = (m: T | undefined) => Buffer.from(codec.encode(m ?? codec.fromPartial({})).finish());
  return bytes(a).equals(bytes(b));
}

/** Plain decoded values (primitives, bytes, arrays, objects) equal field by field. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
    );
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
