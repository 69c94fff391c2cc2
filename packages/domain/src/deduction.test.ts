import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDeduction, deductionLimitFen, splitDeduction } from './deduction.ts';

const fen = fc.integer({ min: 0, max: 10_000_000 });

describe('deduction limits', () => {
  it.each([
    [500, { frozenFen: 1000, owedFen: 2000, deductedFen: 0 }, { ok: true, amountFen: 500 }],
    [
      1500,
      { frozenFen: 1000, owedFen: 2000, deductedFen: 0 },
      { ok: false, code: 'DEDUCT_EXCEEDS_FROZEN', limitFen: 1000 },
    ],
    [
      800,
      { frozenFen: 1000, owedFen: 2000, deductedFen: 1500 },
      { ok: false, code: 'DEDUCT_EXCEEDS_OWED', limitFen: 500 },
    ],
    [
      1,
      { frozenFen: 1000, owedFen: 2000, deductedFen: 2000 },
      { ok: false, code: 'DEDUCT_EXCEEDS_OWED', limitFen: 0 },
    ],
  ] as const)('deducting %i with %j: %j', (amount, limits, expected) => {
    expect(checkDeduction(amount, limits)).toEqual(expected);
  });

  it('deduct never exceeds the frozen amount, and the total never exceeds what is owed', () => {
    fc.assert(
      fc.property(
        fen,
        fen,
        fen,
        fc.integer({ min: 1, max: 10_000_000 }),
        (frozenFen, owedFen, deductedFen, amount) => {
          const limits = { frozenFen, owedFen, deductedFen: Math.min(deductedFen, owedFen) };
          const check = checkDeduction(amount, limits);
          const limit = deductionLimitFen(limits);
          expect(check.ok).toBe(amount <= limit);
          if (check.ok) {
            expect(amount).toBeLessThanOrEqual(frozenFen);
            expect(limits.deductedFen + amount).toBeLessThanOrEqual(owedFen);
          }
        },
      ),
    );
  });

  it('an agency takes from the holds in rank order, each at most what it has frozen', () => {
    expect(splitDeduction(1500, [1000, 1000])).toEqual([1000, 500]);
    expect(splitDeduction(5000, [1000, 0, 2000])).toEqual([1000, 0, 2000]);
    expect(splitDeduction(0, [1000])).toEqual([0]);
    fc.assert(
      fc.property(fen, fc.array(fen, { maxLength: 6 }), (amount, holds) => {
        const taken = splitDeduction(amount, holds);
        const sum = taken.reduce((a, b) => a + b, 0);
        expect(sum).toBe(
          Math.min(
            amount,
            holds.reduce((a, b) => a + b, 0),
          ),
        );
        for (const [i, t] of taken.entries()) expect(t).toBeLessThanOrEqual(holds[i] ?? 0);
      }),
    );
  });
});
