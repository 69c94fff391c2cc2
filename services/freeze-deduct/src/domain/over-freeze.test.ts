import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MoneyHold, releasesForExcess } from './over-freeze.js';

const hold = (holdId: string, frozenFen: number, minute: number, releasingFen = 0): MoneyHold => ({
  holdId,
  noticeId: `n-${holdId}`,
  agency: 'bank',
  institution: holdId.toUpperCase(),
  accountNo: `acct-${holdId}`,
  frozenFen,
  releasingFen,
  placedAt: new Date(Date.UTC(2026, 10, 23, 1, minute)),
});

describe('releasesForExcess (超标的冻结)', () => {
  it('releases nothing while the case holds no more than it owes', () => {
    expect(releasesForExcess(1_000, [hold('a', 600, 0), hold('b', 400, 1)])).toEqual([]);
  });

  it('releases the excess from the latest holds first, the last one touched in part', () => {
    // Three banks answered freezes of 1,000 each for a case owing 1,000.
    const r = releasesForExcess(1_000, [hold('a', 1_000, 0), hold('b', 1_000, 2), hold('c', 700, 1)]);
    expect(r.map((x) => [x.holdId, x.amountFen, x.frozenFen])).toEqual([
      ['b', 1_000, 1_000],
      ['c', 700, 700],
    ]);
    const partial = releasesForExcess(1_500, [hold('a', 1_000, 0), hold('b', 1_000, 2)]);
    expect(partial.map((x) => [x.holdId, x.amountFen])).toEqual([['b', 500]]);
  });

  it('never releases again what a release under way already covers', () => {
    expect(releasesForExcess(1_000, [hold('a', 1_000, 0), hold('b', 1_000, 1, 1_000)])).toEqual([]);
    expect(
      releasesForExcess(1_000, [hold('a', 1_000, 0), hold('b', 1_000, 1, 600)]).map((x) => [
        x.holdId,
        x.amountFen,
      ]),
    ).toEqual([['b', 400]]);
  });

  it('for any holds: releases exactly the excess, never more than a hold has free to release, latest first', () => {
    const arbHolds = fc.uniqueArray(
      fc.record({
        holdId: fc.string({ minLength: 1, maxLength: 4 }),
        frozenFen: fc.integer({ min: 0, max: 2 ** 40 }),
        releasing: fc.integer({ min: 0, max: 2 ** 40 }),
        minute: fc.integer({ min: 0, max: 59 }),
      }),
      { selector: (h) => h.holdId, maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 42 }), arbHolds, (owedFen, raw) => {
        const holds = raw.map((h) =>
          hold(h.holdId, h.frozenFen, h.minute, Math.min(h.releasing, h.frozenFen)),
        );
        const free = (h: MoneyHold) => h.frozenFen - h.releasingFen;
        const holding = holds.reduce((t, h) => t + free(h), 0);
        const releases = releasesForExcess(owedFen, holds);
        const released = releases.reduce((t, r) => t + r.amountFen, 0);
        expect(released).toBe(Math.max(0, holding - owedFen));
        const byId = new Map(holds.map((h) => [h.holdId, h]));
        expect(new Set(releases.map((r) => r.holdId)).size).toBe(releases.length);
        for (const r of releases) {
          expect(r.amountFen).toBeGreaterThan(0);
          expect(r.amountFen).toBeLessThanOrEqual(free(byId.get(r.holdId)!));
        }
        // A hold is touched only when every later hold gives up all it can.
        const touched = new Set(releases.map((r) => r.holdId));
        for (const r of releases) {
          const at = byId.get(r.holdId)!.placedAt.getTime();
          for (const later of holds.filter((h) => h.placedAt.getTime() > at && free(h) > 0)) {
            expect(touched.has(later.holdId)).toBe(true);
            expect(releases.find((x) => x.holdId === later.holdId)!.amountFen).toBe(free(later));
          }
        }
      }),
    );
  });
});
