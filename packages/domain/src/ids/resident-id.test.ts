import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdArb } from '../test-support/arbitraries.ts';
import { normaliseResidentId, residentIdCheckChar, validateResidentId } from './resident-id.ts';

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
    ['000000198001010016', 'REGION'], // region 000000
    ['991234198001010011', 'REGION'], // 99 is no province
    ['001234198001010011', 'REGION'],
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

describe('validateResidentId against a reference day', () => {
  it.each([
    ['110101202611230011', '2026-11-23', true], // born on the issue day
    ['110101202611240018', '2026-11-23', false], // born the day after: in the future
    ['110101209901010011', '2026-11-23', false],
    ['110101189611230014', '2026-11-23', true], // exactly 130 years
    ['110101189611220010', '2026-11-23', false], // absurdly old
    ['440524188001010014', '2026-11-23', false], // the standard's 1880 sample is no living debtor
  ])('%s as of %s is valid: %s', (id, asOf, ok) => {
    expect(validateResidentId(`${id.slice(0, 17)}${residentIdCheckChar(id.slice(0, 17))}`, { asOf }).ok).toBe(
      ok,
    );
  });

  it('never accepts a birth date after the reference day', () => {
    fc.assert(
      fc.property(residentIdArb, (id) => {
        const born = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
        expect(validateResidentId(id, { asOf: born }).ok).toBe(true);
        const dayBefore = new Date(Date.parse(`${born}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
        expect(validateResidentId(id, { asOf: dayBefore }).ok).toBe(false);
      }),
    );
  });
});

describe('normaliseResidentId', () => {
  it('upper-cases a lower-case x check character', () => {
    expect(normaliseResidentId('11010519491231002x')).toBe('11010519491231002X');
    expect(validateResidentId(normaliseResidentId('11010519491231002x')).ok).toBe(true);
  });

  it('converts a 15-digit first-generation ID: 19 before the birth date, MOD 11-2 check char appended', () => {
    // 110105 491231 002 → 110105 19491231 002 X
    expect(normaliseResidentId('110105491231002')).toBe('11010519491231002X');
    expect(normaliseResidentId('440524800101001')).toBe(
      '440524198001010014'.slice(0, 17) + residentIdCheckChar('44052419800101001'),
    );
  });

  it('leaves anything else as it is, for validation to report', () => {
    for (const s of ['', '1101054912310', '11010519491231002X', 'abc', '１１０１０５４９１２３１００２']) {
      expect(normaliseResidentId(s)).toBe(s);
    }
  });

  it('every 15-digit form of a valid 1900s ID converts back to that ID', () => {
    fc.assert(
      fc.property(
        residentIdArb.filter((id) => id.slice(6, 8) === '19'),
        (id) => {
          const old = id.slice(0, 6) + id.slice(8, 17);
          expect(normaliseResidentId(old)).toBe(id);
        },
      ),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(residentIdArb, (id) => {
        const lower = id.toLowerCase();
        expect(normaliseResidentId(normaliseResidentId(lower))).toBe(normaliseResidentId(lower));
        expect(normaliseResidentId(lower)).toBe(id);
      }),
    );
  });
});
