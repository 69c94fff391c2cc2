import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdArb } from '../test-support/arbitraries.ts';
import { residentIdCheckChar, validateResidentId } from './resident-id.ts';

describe('validateResidentId', () => {
  it.each([
    ['11010519491231002X', '1949-12-31', 'F'],
    ['440524188001010014', '1880-01-01', 'M'],
    ['110101200002290018', '2000-02-29', 'M'],
  ])('accepts %s (born %s, sex %s)', (id, birthDate, sex) => {
    expect(validateResidentId(id)).toEqual({ ok: true, birthDate, sex });
  });

  it.each([
    ['11010519491231002x', 'FORMAT'], // lower-case x
    ['1101051949123100', 'FORMAT'],
    ['11010519491231002X0', 'FORMAT'],
    ['1101051949123100X2', 'FORMAT'],
    ['１１０１０５１９４９１２３１００２Ｘ', 'FORMAT'], // full-width digits
    ['', 'FORMAT'],
    ['110105194902300020', 'BIRTH_DATE'], // 30 February
    ['110105190002290020', 'BIRTH_DATE'], // 1900 is not a leap year
    ['110105194913010020', 'BIRTH_DATE'], // month 13
    ['110105179912310020', 'BIRTH_DATE'], // before 1800
    ['110105194912310021', 'CHECK_DIGIT'],
    ['110105194912310020', 'CHECK_DIGIT'],
  ])('rejects %s with %s', (id, reason) => {
    expect(validateResidentId(id)).toEqual({ ok: false, reason });
  });

  it('computes the MOD 11-2 check character, X for 10', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });

  it('refuses to compute a check character from anything but 17 digits', () => {
    expect(() => residentIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => residentIdCheckChar('1101051949123100A')).toThrow(RangeError);
  });

  it('accepts every generated valid ID and reads its birth date and sex', () => {
    fc.assert(
      fc.property(residentIdArb, (id) => {
        const result = validateResidentId(id);
        expect(result.ok).toBe(true);
        if (result.ok) {
          expect(result.birthDate.replaceAll('-', '')).toBe(id.slice(6, 14));
          expect(result.sex).toBe(Number(id[16]) % 2 === 1 ? 'M' : 'F');
        }
      }),
    );
  });

  it('rejects any single changed character', () => {
    const arb = residentIdArb.chain((id) =>
      fc.record({
        id: fc.constant(id),
        at: fc.integer({ min: 0, max: 17 }),
        to: fc.constantFrom(...'0123456789X'),
      }),
    );
    fc.assert(
      fc.property(
        arb.filter(({ id, at, to }) => id[at] !== to),
        ({ id, at, to }) => {
          const changed = id.slice(0, at) + to + id.slice(at + 1);
          expect(validateResidentId(changed).ok).toBe(false);
        },
      ),
    );
  });
});
