import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NoticeSubmission } from './gen/enforcement/v1/common.js';
import { decodeNoticeLeniently, isMalformed, LenientCourtServiceService } from './lenient-notice.js';

const base = NoticeSubmission.fromPartial({
  noticeNo: '(2026)川0104执1号-1',
  caseNo: '(2026)川0104执1号',
  measure: 'freeze',
  legalBasis: '(2026)川0104执1号之一',
  issuedAt: '2026-12-06T10:00:00+08:00',
  targets: [{ agency: 'bank', institution: 'ICBC' }],
});

/** A notice's bytes with params written by hand: int64 values as the wire can carry them, beyond JS's numbers. */
function withParams(fields: [number, string | number][]): Uint8Array {
  const params = new BinaryWriter();
  for (const [no, v] of fields) {
    if (no === 2) params.tag(no, WireType.Varint).int32(Number(v));
    else params.tag(no, WireType.Varint).int64(v);
  }
  const w = new BinaryWriter();
  w.raw(NoticeSubmission.encode(base).finish());
  w.tag(8, WireType.LengthDelimited).bytes(params.finish());
  return w.finish();
}

describe('decodeNoticeLeniently', () => {
  it('keeps an int64 beyond the safe integers as the unsafe number it is, everything else as decoded', () => {
    expect(() => NoticeSubmission.decode(withParams([[1, '9007199254740993']]))).toThrow(/MAX_SAFE_INTEGER/);
    const n = decodeNoticeLeniently(
      withParams([
        [1, '9223372036854775807'],
        [2, 30],
        [6, '-9223372036854775808'],
      ]),
    );
    expect(n.params?.amountFen).toBe(Number(9223372036854775807n));
    expect(n.params?.owedFen).toBe(Number(-9223372036854775808n));
    expect(n.params?.termDays).toBe(30);
    expect({ ...n, params: undefined }).toEqual({ ...base, params: undefined });
  });

  it('decodes every notice the strict decoder takes exactly as it does', () => {
    fc.assert(
      fc.property(
        fc.option(fc.maxSafeInteger(), { nil: undefined }),
        fc.option(fc.maxSafeInteger(), { nil: undefined }),
        fc.string(),
        (amountFen, owedFen, noticeNo) => {
          const bytes = NoticeSubmission.encode({
            ...base,
            noticeNo,
            params: { amountFen, owedFen, otherGrounds: [] } as never,
          }).finish();
          expect(decodeNoticeLeniently(bytes)).toEqual(NoticeSubmission.decode(bytes));
        },
      ),
    );
  });

  it('still refuses bytes that are no notice at all; the service marks them rather than failing the call', () => {
    expect(() => decodeNoticeLeniently(Uint8Array.from([0x0a, 0xff]))).toThrow();
    const { submitNotice, submitNotices } = LenientCourtServiceService;
    for (const bytes of [
      [0xff, 0xff, 0xff, 0xff, 0x0f],
      [0x0a, 0x05, 0xff, 0xff],
    ])
      expect(isMalformed(submitNotice.requestDeserialize(Buffer.from(bytes)))).toBe(true);
    // In a batch, a broken item is marked in its place; a broken framing marks the request.
    const good = NoticeSubmission.encode(base).finish();
    const batch = new BinaryWriter();
    batch.tag(1, WireType.LengthDelimited).bytes(good);
    batch.tag(1, WireType.LengthDelimited).bytes(Uint8Array.from([0x0a, 0x05, 0xff]));
    const decoded = submitNotices.requestDeserialize(Buffer.from(batch.finish()));
    expect(isMalformed(decoded)).toBe(false);
    expect(decoded.notices.map(isMalformed)).toEqual([false, true]);
    expect(isMalformed(submitNotices.requestDeserialize(Buffer.from([0x0a, 0x09, 0x01])))).toBe(true);
  });

  it('takes a params sent twice as the decoder does: the later one whole, its numbers, not the earlier unsafe one', () => {
    const first = new BinaryWriter().tag(1, WireType.Varint).int64('9007199254740993').finish();
    const second = new BinaryWriter().tag(1, WireType.Varint).int64(100).finish();
    const w = new BinaryWriter();
    w.raw(NoticeSubmission.encode(base).finish());
    w.tag(8, WireType.LengthDelimited).bytes(first);
    w.tag(8, WireType.LengthDelimited).bytes(second);
    expect(decodeNoticeLeniently(w.finish()).params?.amountFen).toBe(100);
  });

  it('serves SubmitNotices with every notice, the one with the bad number included, in order', () => {
    const good = NoticeSubmission.encode(base).finish();
    const request = new BinaryWriter();
    request.tag(1, WireType.LengthDelimited).bytes(good);
    request.tag(1, WireType.LengthDelimited).bytes(withParams([[1, '9007199254740993']]));
    request.tag(1, WireType.LengthDelimited).bytes(good);
    const decoded = LenientCourtServiceService.submitNotices.requestDeserialize(
      Buffer.from(request.finish()),
    );
    expect(decoded.notices.map((n) => n.params?.amountFen)).toEqual([undefined, 9007199254740992, undefined]);
    const one = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .bytes(withParams([[6, '9007199254740993']]));
    expect(
      LenientCourtServiceService.submitNotice.requestDeserialize(Buffer.from(one.finish())).notice?.params
        ?.owedFen,
    ).toBe(9007199254740992);
  });
});
