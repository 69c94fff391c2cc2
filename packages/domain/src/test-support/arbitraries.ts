/** fast-check generators of valid domain values, shared by the property tests (not exported by the package). */
import fc from 'fast-check';
import { type CaseNo, ENFORCEMENT_CASE_TYPES } from '../ids/case-number.ts';
import { PROVINCE_ABBREVIATIONS } from '../ids/court-code.ts';
import { CREDIT_CODE_ALPHABET, CREDIT_CODE_AUTHORITIES, creditCodeCheckChar } from '../ids/credit-code.ts';
import { residentIdCheckChar } from '../ids/resident-id.ts';

const digit = fc.constantFrom(...'0123456789');
export const digits = (min: number, max = min) =>
  fc.array(digit, { minLength: min, maxLength: max }).map((a) => a.join(''));

/** Province codes of GB/T 2260 (ids/region.ts). */
export const PROVINCE_CODES =
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
    ' ',
  );

/** A 6-digit division code under a real province, never 000000. */
export const divisionCodeArb = fc
  .tuple(fc.constantFrom(...PROVINCE_CODES), digits(4))
  .map(([p, rest]) => p + rest);

/**
 * A valid resident ID: a region under a real province, a birth date from 1900 up to `bornBy` (default
 * 2026-11-23, the test notices' issue day), any 3-digit sequence, the right check char.
 */
export const residentIdBornBy = (bornBy = '2026-11-23') =>
  fc
    .tuple(
      divisionCodeArb,
      fc.date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date(`${bornBy}T00:00:00Z`),
        noInvalidDate: true,
      }),
      digits(3),
    )
    .map(([region, birth, seq]) => {
      const first17 = region + birth.toISOString().slice(0, 10).replaceAll('-', '') + seq;
      return first17 + residentIdCheckChar(first17);
    });

export const residentIdArb = residentIdBornBy();

export const creditCodeCharArb = fc.constantFrom(...CREDIT_CODE_ALPHABET);

/**
 * A valid credit code: an allotted authority and type (GB 32100 表1), a real division code, a 9-character
 * organisation code from the alphabet that is not all zeros, and the right check character.
 */
export const creditCodeArb = fc
  .tuple(
    fc
      .constantFrom(...Object.entries(CREDIT_CODE_AUTHORITIES))
      .chain(([authority, types]) => fc.constantFrom(...types).map((type) => authority + type)),
    fc.oneof(divisionCodeArb, fc.constant('100000')),
    fc.array(creditCodeCharArb, { minLength: 9, maxLength: 9 }).map((chars) => chars.join('')),
  )
  .filter(([, , body]) => !/^0+$/.test(body))
  .map(([head, division, body]) => head + division + body)
  .map((first17) => first17 + creditCodeCheckChar(first17));

const province = fc.constantFrom(...PROVINCE_ABBREVIATIONS);
const caseType = fc.constantFrom(...ENFORCEMENT_CASE_TYPES);

const pair = fc.integer({ min: 1, max: 99 }).map((n) => String(n).padStart(2, '0'));

/** A court code in the current form (ids/court-code.ts): 川0104, 京01, 苏 …, or 最高法. */
export const courtCodeArb = fc.oneof(
  province,
  fc.tuple(province, pair).map(([p, d]) => p + d),
  fc.tuple(province, pair, pair).map(([p, a, b]) => p + a + b),
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
