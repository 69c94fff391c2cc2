import { describe, expect, it } from 'vitest';
import { applyHoldReport, type HoldReport, holdReportOf } from './hold-reports.js';
import { applyHoldAnswer, type Hold, type HoldAnswer } from './holds.js';

const ctx = { agency: 'bank', day: '2026-03-01', termDays: 365 } as const;
const account = { assetKind: 'account', assetKey: '6222020200112233445' } as const;
const freeze = (frozenFen: number, queuePosition: number): HoldAnswer => ({
  ...account,
  kind: 'place',
  measure: 'freeze',
  receipt: { effective: queuePosition === 0, queuePosition, registrationNo: 'R-1' },
  requestedFen: 10_000,
  frozenFen,
});
const held = (frozenFen: number, queuePosition: number): Hold => {
  const d = applyHoldAnswer(undefined, freeze(frozenFen, queuePosition), ctx);
  if (!d.ok) throw new Error(d.code);
  return d.hold;
};
const queued = held(0, 2);
const effective = held(10_000, 0);
const unit: Hold = { ...queued, assetKind: 'unit', assetKey: '510104-001-0001', requestedFen: null };
const promoted: HoldReport = {
  change: 'promoted',
  termFrom: '2026-05-01',
  termUntil: '2027-04-30',
  registrationNo: 'R-9',
  frozenFen: 10_000,
};

describe('hold-change reports', () => {
  it('a queued hold promoted takes effect at position 0 with the term and registration the agency gives', () => {
    expect(applyHoldReport(queued, promoted)).toEqual({
      ok: true,
      hold: {
        ...queued,
        state: 'effective',
        queuePosition: 0,
        frozenFen: 10_000,
        termFrom: '2026-05-01',
        termUntil: '2027-04-30',
        registrationNo: 'R-9',
      },
    });
  });

  it('a promotion never freezes more than the court asked for', () => {
    expect(applyHoldReport(queued, { ...promoted, frozenFen: 10_001 })).toEqual({
      ok: false,
      code: 'FROZEN_EXCEEDS_REQUESTED',
    });
  });

  it('a seal promoted has no amount; an amount on it is refused', () => {
    const { frozenFen: _, ...noAmount } = promoted as Extract<HoldReport, { change: 'promoted' }>;
    expect(applyHoldReport(unit, noAmount)).toMatchObject({
      ok: true,
      hold: { state: 'effective', frozenFen: 0 },
    });
    expect(applyHoldReport(unit, promoted)).toEqual({ ok: false, code: 'NOT_FOR_THIS_ASSET' });
  });

  it('only a waiting hold is promoted; a promotion of one in effect changes nothing', () => {
    expect(applyHoldReport(effective, promoted)).toEqual({ ok: false, code: 'MOVE_NOT_ALLOWED' });
  });

  it('a hold released by another court moves up the queue, never back (order of service)', () => {
    const up = applyHoldReport(queued, { change: 'released-by-other-court', queuePosition: 1 });
    expect(up).toEqual({ ok: true, hold: { ...queued, queuePosition: 1 } });
    for (const queuePosition of [2, 3])
      expect(applyHoldReport(queued, { change: 'released-by-other-court', queuePosition })).toEqual({
        ok: false,
        code: 'QUEUE_ORDER',
      });
    expect(applyHoldReport(effective, { change: 'released-by-other-court', queuePosition: 1 })).toEqual({
      ok: false,
      code: 'MOVE_NOT_ALLOWED',
    });
  });

  it('a lapse ends a hold, queued or in effect, and frees its money', () => {
    for (const h of [queued, effective])
      expect(applyHoldReport(h, { change: 'lapsed' })).toMatchObject({
        ok: true,
        hold: { state: 'lapsed', frozenFen: 0 },
      });
  });

  it('a disposal of the asset ahead lapses a queued hold, not one in effect', () => {
    expect(applyHoldReport(queued, { change: 'disposed' })).toMatchObject({
      ok: true,
      hold: { state: 'lapsed' },
    });
    expect(applyHoldReport(effective, { change: 'disposed' })).toEqual({
      ok: false,
      code: 'MOVE_NOT_ALLOWED',
    });
  });

  it('a deduction takes from what the hold froze, never more; all of it leaves the hold deducted', () => {
    const part = applyHoldReport(effective, { change: 'deducted', amountFen: 4_000, transferRef: 'TR1' });
    expect(part).toMatchObject({
      ok: true,
      hold: { state: 'effective', frozenFen: 6_000, deductedFen: 4_000 },
    });
    if (!part.ok) return;
    expect(applyHoldReport(part.hold, { change: 'deducted', amountFen: 6_001, transferRef: 'TR2' })).toEqual({
      ok: false,
      code: 'DEDUCT_EXCEEDS_FROZEN',
    });
    expect(
      applyHoldReport(part.hold, { change: 'deducted', amountFen: 6_000, transferRef: 'TR2' }),
    ).toMatchObject({
      ok: true,
      hold: { state: 'deducted', frozenFen: 0, deductedFen: 10_000 },
    });
    expect(applyHoldReport(queued, { change: 'deducted', amountFen: 1, transferRef: 'TR3' })).toEqual({
      ok: false,
      code: 'MOVE_NOT_ALLOWED',
    });
    expect(
      applyHoldReport(
        { ...unit, state: 'effective' },
        { change: 'deducted', amountFen: 1, transferRef: 'T' },
      ),
    ).toEqual({ ok: false, code: 'NOT_FOR_THIS_ASSET' });
  });

  it('nothing moves an unknown or ended hold', () => {
    expect(applyHoldReport(undefined, { change: 'lapsed' })).toEqual({ ok: false, code: 'NO_SUCH_HOLD' });
    const lapsed = applyHoldReport(queued, { change: 'lapsed' });
    if (!lapsed.ok) throw new Error(lapsed.code);
    for (const r of [promoted, { change: 'lapsed' } as const, { change: 'disposed' } as const])
      expect(applyHoldReport(lapsed.hold, r)).toEqual({ ok: false, code: 'HOLD_ENDED' });
  });

  it('an event lacking what its change needs is no report', () => {
    const base = {
      reportId: 'r',
      requestId: '',
      noticeId: '',
      agency: 'bank',
      institution: 'ICBC',
      occurredAt: new Date(),
      assetKind: 'account',
      assetKey: 'a',
      reason: '',
      signatureJson: '',
    };
    expect(holdReportOf({ ...base, change: 'promoted', termFrom: '2026-01-01' })).toBeNull();
    expect(holdReportOf({ ...base, change: 'released-by-other-court', queuePosition: 0 })).toBeNull();
    expect(holdReportOf({ ...base, change: 'deducted', amountFen: 0 })).toBeNull();
    expect(holdReportOf({ ...base, change: 'something-else' })).toBeNull();
    expect(holdReportOf({ ...base, change: 'disposed' })).toEqual({ change: 'disposed' });
  });
});
