import { isBankAccountNo } from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountsOf } from './ledger.js';

describe('mock bank ledger', () => {
  it('gives the same debtor the same accounts every time', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom('ICBC', 'CCB', 'CMB'), fc.string(), (seed, bank, id) => {
        expect(accountsOf(seed, bank, id)).toEqual(accountsOf(seed, bank, id));
      }),
    );
  });

  it('holds integer, non-negative balances on well-formed account numbers', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), (seed, id) => {
        for (const a of accountsOf(seed, 'ICBC', id)) {
          expect(Number.isSafeInteger(a.balanceFen) && a.balanceFen >= 0).toBe(true);
          expect(isBankAccountNo(a.accountNo)).toBe(true);
        }
      }),
    );
  });

  it('is skewed: most debtors hold nothing at a given bank, some hold several accounts', () => {
    const counts = Array.from({ length: 2000 }, (_, i) => accountsOf(7, 'CCB', `subject-${i}`).length);
    const none = counts.filter((c) => c === 0).length / counts.length;
    expect(none).toBeGreaterThan(0.45);
    expect(none).toBeLessThan(0.65);
    expect(counts.some((c) => c >= 3)).toBe(true);
  });
});
