import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditCodeCharArb as alphabetChar, creditCodeArb } from '../test-support/arbitraries.ts';
import { checkCreditCode, creditCodeCheckChar } from './credit-code.ts';

describe('checkCreditCode', () => {
  it.each([
    ['91350100M000100Y43', 'valid'],
    ['91350100M000100Y42', 'check-failed'],
    ['91350100M000100Y4', 'malformed'], // 17 characters
    ['91350100M000100Y430', 'malformed'],
    ['91350100m000100y43', 'malformed'], // lower case
    ['91350100I000100Y43', 'malformed'], // I is not in the alphabet
    ['91350100O000100Y43', 'malformed'], // nor O
    ['91350100S000100Y43', 'malformed'], // nor S
    ['', 'malformed'],
    ['B1350100M000100Y4X', 'malformed'], // B is no registration authority
    ['94350100M000100Y4X', 'malformed'], // 工商 has no organisation type 4
    ['91000000M000100Y4X', 'malformed'], // division 000000
    ['9135A100M000100Y4X', 'malformed'], // a letter in the division code
    ['91990100M000100Y4X', 'malformed'], // 99 is no province
    ['913501000000000000', 'malformed'], // all-zero organisation code
    ['000000000000000000', 'malformed'],
    ['11100000000013127D', 'valid'], // a central authority: nationwide division 100000
  ])('%s is %s', (code, expected) => {
    expect(checkCreditCode(code)).toBe(expected);
  });

  it('computes the MOD 31 check character', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('refuses to compute a check character outside the alphabet', () => {
    expect(() => creditCodeCheckChar('91350100I000100Y4')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100M000100Y')).toThrow(RangeError);
  });

  it('accepts every generated valid code', () => {
    fc.assert(
      fc.property(creditCodeArb, (code) => {
        expect(checkCreditCode(code)).toBe('valid');
      }),
    );
  });

  it('fails the check when any character of the organisation code changes to another alphabet character', () => {
    const arb = fc
      .tuple(creditCodeArb, fc.integer({ min: 8, max: 17 }), alphabetChar)
      .filter(([code, at, to]) => code[at] !== to)
      .filter(([code, at, to]) => !/^0+$/.test((code.slice(0, at) + to + code.slice(at + 1)).slice(8, 17)));
    fc.assert(
      fc.property(arb, ([code, at, to]) => {
        expect(checkCreditCode(code.slice(0, at) + to + code.slice(at + 1))).toBe('check-failed');
      }),
    );
  });

  it('is malformed when any single character changes to one outside the alphabet', () => {
    const arb = fc.tuple(creditCodeArb, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'IOSVZaz-* 中'));
    fc.assert(
      fc.property(arb, ([code, at, to]) => {
        expect(checkCreditCode(code.slice(0, at) + to + code.slice(at + 1))).toBe('malformed');
      }),
    );
  });
});
