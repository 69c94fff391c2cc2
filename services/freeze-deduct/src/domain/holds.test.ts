import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnswerContext, applyHoldAnswer, type Hold, type HoldAnswer, holdAnswerOf } from './holds.js';

const ctx: AnswerContext = { agency: 'bank', day: '2026-03-01', termDays: 365 };
const account = { assetKind: 'account', assetKey: '6222020200112233445' } as const;
const receipt = (queuePosition: number, extra: object = {}) => ({
  effective: queuePosition === 0,
  queuePosition,
  registrationNo: 'R-1',
  ...extra,
});
const freeze = (frozenFen: number, queuePosition = 0, requestedFen = 10_000): HoldAnswer => ({
  ...account,
  kind: 'place',
  measure: 'freeze',
  receipt: receipt(queuePosition),
  requestedFen,
  frozenFen,
});
const placed = (answer: HoldAnswer, c = ctx): Hold => {
  const d = applyHoldAnswer(undefined, answer, c);
  if (!d.ok) throw new Error(d.code);
  return d.hold;
};

describe('holds', () => {
  it('a freeze in effect holds its money for the term asked, counted from the day it took effect', () => {
    expect(placed(freeze(10_000))).toMatchObject({
      state: 'effective',
      queuePosition: 0,
      frozenFen: 10_000,
      termFrom: '2026-03-01',
      termUntil: '2027-02-28',
    });
  });

  it('a freeze answered with nothing frozen and a queue position is queued (轮候), with no term yet', () => {
    expect(placed(freeze(0, 2))).toMatchObject({
      state: 'queued',
      queuePosition: 2,
      frozenFen: 0,
      termUntil: null,
    });
  });

  it('the agency’s registered term wins over the one the hub computed', () => {
    const a = { ...freeze(1), receipt: receipt(0, { from: '2026-03-02', until: '2026-09-01' }) };
    expect(placed(a)).toMatchObject({ termFrom: '2026-03-02', termUntil: '2026-09-01' });
  });

  it('without a term asked, a hold runs for the legal maximum of its asset kind (法释〔2015〕5号 art. 487)', () => {
    expect(placed(freeze(1), { ...ctx, termDays: undefined }).termUntil).toBe('2027-02-28');
  });

  it('a release lifts the hold and frees its money; nothing moves a released hold again', () => {
    const released = applyHoldAnswer(placed(freeze(10_000)), { ...account, kind: 'release' }, ctx);
    expect(released).toMatchObject({ ok: true, hold: { state: 'released', frozenFen: 0 } });
    if (!released.ok) return;
    expect(
      applyHoldAnswer(released.hold, { ...account, kind: 'deduct', deductedFen: 1, transferRef: 'TR1' }, ctx),
    ).toEqual({
      ok: false,
      code: 'HOLD_ENDED',
    });
  });

  it('a partial release keeps the hold with the rest, its claim cut to it; one holding nothing is untouched', () => {
    const partly = { ...ctx, amountFen: 4_000 };
    const release = (releasedFen: number): HoldAnswer => ({ ...account, kind: 'release', releasedFen });
    expect(applyHoldAnswer(placed(freeze(10_000)), release(4_000), partly)).toMatchObject({
      ok: true,
      hold: { state: 'effective', frozenFen: 6_000, requestedFen: 6_000 },
    });
    expect(applyHoldAnswer(placed(freeze(3_000)), release(3_000), partly)).toMatchObject({
      ok: true,
      hold: { state: 'released', frozenFen: 0 },
    });
    const queued = placed(freeze(0, 1));
    expect(applyHoldAnswer(queued, release(0), partly)).toEqual({ ok: true, hold: queued });
    // Without an amount every hold of the case on the account ends, queued ones included.
    expect(applyHoldAnswer(queued, release(0), ctx)).toMatchObject({ ok: true, hold: { state: 'released' } });
  });

  it('a release, renewal or deduction of a hold the hub never placed changes nothing', () => {
    expect(applyHoldAnswer(undefined, { ...account, kind: 'release' }, ctx)).toEqual({
      ok: false,
      code: 'NO_SUCH_HOLD',
    });
  });

  it('a renewal of a hold in force renews it with the new term', () => {
    const d = applyHoldAnswer(
      placed(freeze(5)),
      { ...account, kind: 'renew', receipt: receipt(0, { until: '2028-02-28' }) },
      ctx,
    );
    expect(d).toMatchObject({ ok: true, hold: { state: 'renewed', termUntil: '2028-02-28', frozenFen: 5 } });
  });

  it('deductions move frozen money to deducted, never more than was frozen; all of it ends the hold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 1e9 })),
        (frozen, cuts) => {
          let hold = placed(freeze(frozen, 0, frozen));
          for (const deductedFen of cuts) {
            const d = applyHoldAnswer(
              hold,
              { ...account, kind: 'deduct', deductedFen, transferRef: 'TR' },
              ctx,
            );
            if (!d.ok) {
              expect(d.code).toBe('HOLD_ENDED');
              break;
            }
            hold = d.hold;
            expect(hold.frozenFen).toBeGreaterThanOrEqual(0);
            expect(hold.state === 'deducted').toBe(hold.frozenFen === 0);
          }
          expect(hold.frozenFen + Math.min(hold.deductedFen, frozen)).toBeLessThanOrEqual(frozen);
        },
      ),
    );
  });

  it('a freeze that found only part of its amount stays after its frozen money is deducted: it waits for the rest', () => {
    const partial = placed(freeze(4_000)); // asked 10,000
    const d = applyHoldAnswer(
      partial,
      { ...account, kind: 'deduct', deductedFen: 4_000, transferRef: 'TR2' },
      ctx,
    );
    expect(d).toMatchObject({ ok: true, hold: { state: 'effective', frozenFen: 0, deductedFen: 4_000 } });
  });

  it('reads which hold an answer is about from the parsed result, and ignores results about no hold', () => {
    expect(
      holdAnswerOf({
        ok: true,
        agency: 'real-estate',
        measure: 'seal',
        value: { unitNo: '510104001001GB00001F00010001', receipt: receipt(1) },
      }),
    ).toMatchObject({ kind: 'place', measure: 'seal', assetKind: 'unit', receipt: { queuePosition: 1 } });
    expect(holdAnswerOf({ ok: true, agency: 'bank', measure: 'query', value: { accounts: [] } })).toBeNull();
    expect(holdAnswerOf({ ok: false, issues: [] })).toBeNull();
  });
});
