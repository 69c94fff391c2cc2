import { describe, expect, it } from 'vitest';
import { holdTimerPlan, lapseHold } from './hold-timers.js';
import type { Hold, HoldState } from './holds.js';

const hold = (state: HoldState, termUntil: string | null = '2026-06-15'): Hold => ({
  assetKind: 'account',
  assetKey: '6222020200112233445',
  measure: 'freeze',
  state,
  queuePosition: state === 'queued' ? 2 : 0,
  requestedFen: 10_000,
  frozenFen: state === 'queued' ? 0 : 10_000,
  deductedFen: 0,
  termFrom: termUntil ? '2026-03-01' : null,
  termUntil,
  registrationNo: 'R-1',
});
const LAPSES = new Date('2026-06-16T00:00:00+08:00');

describe('hold timers', () => {
  it('a hold taking effect arms its lapse at the end of its last day and its reminder 15 working days ahead', () => {
    expect(holdTimerPlan(undefined, hold('effective'), 'bank')).toEqual({
      kind: 'arm',
      termUntil: '2026-06-15',
      lapsesAt: LAPSES,
      remindAt: new Date('2026-05-25T00:00:00+08:00'),
      leadWorkingDays: 15,
    });
    // 轮候 → in effect: the term starts running now.
    expect(holdTimerPlan(hold('queued', null), hold('effective'), 'bank').kind).toBe('arm');
  });

  it('a renewal moves both timers to the new term', () => {
    const plan = holdTimerPlan(hold('effective'), hold('renewed', '2027-06-14'), 'real-estate');
    expect(plan).toMatchObject({ kind: 'arm', lapsesAt: new Date('2027-06-15T00:00:00+08:00') });
  });

  it('a change that leaves the term as it was keeps the timers (a reminder is not sent twice)', () => {
    expect(holdTimerPlan(hold('effective'), { ...hold('effective'), frozenFen: 5_000 }, 'bank')).toEqual({
      kind: 'keep',
    });
  });

  it.each(['released', 'deducted', 'lapsed', 'queued'] as const)('a hold %s has no timers left', (state) => {
    expect(
      holdTimerPlan(hold('effective'), hold(state, state === 'queued' ? null : '2026-06-15'), 'bank'),
    ).toEqual({ kind: 'disarm' });
  });

  it('a hold lapses only when its term has ended, once, and holds nothing after', () => {
    expect(lapseHold(hold('renewed'), '2026-06-15', LAPSES)).toEqual({
      ok: true,
      hold: { ...hold('renewed'), state: 'lapsed', frozenFen: 0 },
    });
    expect(lapseHold(hold('effective'), '2026-06-15', new Date(LAPSES.getTime() - 1))).toEqual({
      ok: false,
      code: 'MOVE_NOT_ALLOWED',
    });
    // A timer for a term since renewed, or for a hold already ended, changes nothing.
    expect(lapseHold(hold('renewed', '2027-06-14'), '2026-06-15', LAPSES).ok).toBe(false);
    expect(lapseHold(hold('released'), '2026-06-15', LAPSES)).toEqual({ ok: false, code: 'HOLD_ENDED' });
    expect(lapseHold(hold('lapsed'), '2026-06-15', LAPSES)).toEqual({ ok: false, code: 'HOLD_ENDED' });
  });
});
