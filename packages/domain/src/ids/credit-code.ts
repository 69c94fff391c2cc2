/**
 * 统一社会信用代码 — unified social credit code, GB 32100-2015: registration authority (1 char),
 * organisation type (1), administrative division (6 digits), organisation code (9), check char (1),
 * over the 31-character alphabet below (no I, O, Z, S, V) with a MOD 31 check.
 */

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const SHAPE = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

/**
 * `check-failed` is not a reject: some legitimate codes issued in early pilots fail the check (DESIGN §4),
 * so the officer must confirm them (warning CREDIT_CODE_CHECK_FAILED).
 */
export type CreditCodeCheck = 'valid' | 'check-failed' | 'malformed';

/** The check character for the first 17 characters. Throws when they are not 17 alphabet characters. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('creditCodeCheckChar needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`creditCodeCheckChar: ${first17[i]} is not in the GB 32100 alphabet`);
    sum += value * WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Classifies a credit code; lower case is malformed (the standard uses upper case only). */
export function checkCreditCode(s: string): CreditCodeCheck {
  if (typeof s !== 'string' || !SHAPE.test(s)) return 'malformed';
  return creditCodeCheckChar(s.slice(0, 17)) === s[17] ? 'valid' : 'check-failed';
}
