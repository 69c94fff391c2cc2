/** fast-check generators of valid domain values, shared by the property tests (not exported by the package). */
import fc from 'fast-check';
import { type CaseNo, ENFORCEMENT_CASE_TYPES, PROVINCE_ABBREVIATIONS } from '../ids/case-number.ts';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '../ids/credit-code.ts';
import { residentIdCheckChar } from '../ids/resident-id.ts';

const digit = fc.constantFrom(...'0123456789');
export const digits = (min: number, max = min) =>
  fc.array(digit, { minLength: min, maxLength: max }).map((a) => a.join(''));

/** A valid resident ID: any 6-digit region, a real birth date, any 3-digit sequence, the right check char. */
export const residentIdArb = fc
  .tuple(
    digits(6),
    fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    digits(3),
  )
  .map(([region, birth, seq]) => {
    const first17 = region + birth.toISOString().slice(0, 10).replaceAll('-', '') + seq;
    return first17 + residentIdCheckChar(first17);
  });

export const creditCodeCharArb = fc.constantFrom(...CREDIT_CODE_ALPHABET);

/** A valid credit code: 17 characters from the GB 32100 alphabet and the right check character. */
export const creditCodeArb = fc
  .array(creditCodeCharArb, { minLength: 17, maxLength: 17 })
  .map((chars) => chars.join(''))
  .map((first17) => first17 + creditCodeCheckChar(first17));

const province = fc.constantFrom(...PROVINCE_ABBREVIATIONS);
const caseType = fc.constantFrom(...ENFORCEMENT_CASE_TYPES);

/** A court code in the current form: 川0104, 京01, 苏 …, or 最高法. */
export const courtCodeArb = fc.oneof(
  fc.tuple(province, digits(0, 4)).map(([p, d]) => p + d),
  fc.constant('最高法'),
);

export const currentCaseNoArb: fc.Arbitrary<CaseNo> = fc
  .record({
    year: fc.integer({ min: 2016, max: 2100 }),
    court: courtCodeArb,
    caseType,
    seq: fc.integer({ min: 1, max: 99_999_999 }),
  })
  .map((c) => ({ ...c, seqText: String(c.seq), legacy: false }));

/** Pre-2016 numbers: free court abbreviations and zero-padded sequences. */
export const legacyCaseNoArb: fc.Arbitrary<CaseNo> = fc
  .record({
    year: fc.integer({ min: 1990, max: 2015 }),
    court: fc.oneof(province, fc.constantFrom('浙杭', '京二中', '粤高法', '沪一中', '苏中', '川01')),
    caseType,
    seq: fc.integer({ min: 1, max: 99_999 }),
    pad: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ pad, ...c }) => ({ ...c, seqText: String(c.seq).padStart(pad, '0'), legacy: true }));

export const caseNoArb = fc.oneof(currentCaseNoArb, legacyCaseNoArb);
