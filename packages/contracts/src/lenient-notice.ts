/**
 * Court notices over gRPC, decoded so that one bad number cannot fail the call. ts-proto's decoder (forceLong=number)
 * throws on an int64 beyond JavaScript's safe integers, and grpc-js answers a throwing deserializer with INTERNAL
 * for the whole call: a batch of 1,000 notices failed for one `amountFen` of 2^53 + 1, with no code and no path.
 * Here such a value is lifted out of the bytes, the rest decoded as usual, and the value put back as the (unsafe)
 * number it is, for validation to refuse at its path (NUMBER_OUT_OF_RANGE), that notice alone.
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { NoticeParams, NoticeSubmission } from './gen/enforcement/v1/common.js';
import {
  CourtServiceService,
  SubmitNoticeRequest,
  type SubmitNoticesRequest,
} from './gen/enforcement/v1/court.js';

/** NoticeSubmission.params is field 8; its int64 fields by number. */
const PARAMS_FIELD = 8;
const INT64_PARAMS: Readonly<Record<number, 'amountFen' | 'owedFen'>> = { 1: 'amountFen', 6: 'owedFen' };
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** One NoticeSubmission from its bytes; an int64 parameter out of the safe range comes back as an unsafe number. */
export function decodeNoticeLeniently(bytes: Uint8Array): NoticeSubmission {
  try {
    return NoticeSubmission.decode(bytes);
  } catch (err) {
    const unsafe: Partial<Record<'amountFen' | 'owedFen', number>> = {};
    const { kept, lifted } = withoutUnsafeParams(bytes, unsafe);
    if (!lifted) throw err;
    const notice = NoticeSubmission.decode(kept);
    notice.params = { ...(notice.params ?? NoticeParams.fromPartial({})), ...unsafe };
    return notice;
  }
}

/** The notice's bytes without its out-of-range int64 parameters, which are collected in `unsafe`. */
function withoutUnsafeParams(bytes: Uint8Array, unsafe: Partial<Record<'amountFen' | 'owedFen', number>>) {
  const reader = new BinaryReader(bytes);
  const out = new BinaryWriter();
  let lifted = false;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [no, wireType] = reader.tag();
    if (no === PARAMS_FIELD && wireType === WireType.LengthDelimited) {
      // A later params replaces an earlier one whole (as the decoder does): its unsafe values go with it.
      for (const k of Object.keys(unsafe)) delete unsafe[k as keyof typeof unsafe];
      const params = reader.bytes();
      const pr = new BinaryReader(params);
      const pw = new BinaryWriter();
      while (pr.pos < pr.len) {
        const at = pr.pos;
        const [pn, pt] = pr.tag();
        const name = INT64_PARAMS[pn];
        if (name && pt === WireType.Varint) {
          const value = BigInt(pr.int64());
          if (value > MAX_SAFE || value < MIN_SAFE) {
            unsafe[name] = Number(value);
            lifted = true;
            continue;
          }
        } else pr.skip(pt, pn);
        pw.raw(params.subarray(at, pr.pos));
      }
      out.tag(PARAMS_FIELD, WireType.LengthDelimited).bytes(pw.finish());
      continue;
    }
    reader.skip(wireType, no);
    out.raw(bytes.subarray(start, reader.pos));
  }
  return { kept: out.finish(), lifted };
}

/**
 * Marks a request, or one notice of a batch, whose bytes are no protobuf at all: the handler answers it as the
 * caller's bad input (INVALID_ARGUMENT, VALIDATION_FAILED / MALFORMED_BODY), where a throwing deserializer made
 * grpc-js answer INTERNAL.
 */
const MALFORMED = Symbol('malformed protobuf');
type Malformed = { [MALFORMED]: true };
export const isMalformed = (v: unknown): boolean => typeof v === 'object' && v !== null && MALFORMED in v;
const malformed = <T extends object>(v: T): T => Object.assign(v, { [MALFORMED]: true as const });

/** The notices of a request whose field 1 holds them (once for SubmitNotice, repeated for SubmitNotices). */
function noticesOf(bytes: Uint8Array): (NoticeSubmission | Malformed)[] | undefined {
  const reader = new BinaryReader(bytes);
  const notices: (NoticeSubmission | Malformed)[] = [];
  try {
    while (reader.pos < reader.len) {
      const [no, wireType] = reader.tag();
      if (no === 1 && wireType === WireType.LengthDelimited) {
        const item = reader.bytes();
        try {
          notices.push(decodeNoticeLeniently(item));
        } catch {
          notices.push({ [MALFORMED]: true });
        }
      } else reader.skip(wireType, no);
    }
  } catch {
    return undefined; // the request's own framing is broken: nothing in it can be told apart
  }
  return notices;
}

/**
 * The court service's definition with lenient deserializers for the two calls that carry notices: serve this one.
 * (A notice field sent twice is taken as the last one, where protobuf would merge the two.) What is no protobuf
 * comes out marked (isMalformed): the whole request, or in a batch the one notice.
 */
export const LenientCourtServiceService = {
  ...CourtServiceService,
  submitNotice: {
    ...CourtServiceService.submitNotice,
    requestDeserialize: (value: Buffer): SubmitNoticeRequest => {
      const notices = noticesOf(value);
      const last = notices?.at(-1);
      if (notices === undefined || isMalformed(last)) return malformed(SubmitNoticeRequest.fromPartial({}));
      return last === undefined ? SubmitNoticeRequest.fromPartial({}) : { notice: last as NoticeSubmission };
    },
  },
  submitNotices: {
    ...CourtServiceService.submitNotices,
    requestDeserialize: (value: Buffer): SubmitNoticesRequest => {
      const notices = noticesOf(value);
      // A marked item stays in its place: the handler refuses it alone.
      return notices === undefined ? malformed({ notices: [] }) : { notices: notices as NoticeSubmission[] };
    },
  },
} as const;
