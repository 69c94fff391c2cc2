/**
 * 统一社会信用代码 — unified social credit code, GB 32100-2015: registration authority (1 char),
 * organisation type (1), administrative division (6 digits), organisation code (9), check char (1),
 * over the 31-character alphabet below (no I, O, Z, S, V) with a MOD 31 check.
 */
import { isDivisionCode } from './region.ts';

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const SHAPE = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

/**
 * 登记管理部门代码 → its 机构类别代码 (GB 32100-2015 表1, with the authorities allotted since by the
 * 国家标准化管理委员会: 2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, A 中央军委改革和编制办公室,
 * N 农业农村, Y 其他). 1 机构编制: 1 机关 2 事业单位 3 群众团体 9 其他; 5 民政: 1 社会团体 2 民办非企业单位
 * 3 基金会 9 其他; 9 工商 (市场监管): 1 企业 2 个体工商户 3 农民专业合作社.
 */
export const CREDIT_CODE_AUTHORITIES: Readonly<Record<string, string>> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

/** Division prefix 10 is the nationwide code 100000, used by organisations registered by central authorities. */
const NATIONWIDE = ['10'];

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

/**
 * The parts GB 32100 fixes, apart from the check character: an allotted authority and type, a real
 * division code (digits only, not 000000), and an organisation code that is not all zeros.
 */
function partsValid(s: string): boolean {
  const types = CREDIT_CODE_AUTHORITIES[s[0]!];
  return (
    types?.includes(s[1]!) === true &&
    isDivisionCode(s.slice(2, 8), NATIONWIDE) &&
    !/^0+$/.test(s.slice(8, 17))
  );
}

/** Classifies a credit code; lower case is malformed (the standard uses upper case only). */
export function checkCreditCode(s: string): CreditCodeCheck {
  if (typeof s !== 'string' || !SHAPE.test(s) || !partsValid(s)) return 'malformed';
  return creditCodeCheckChar(s.slice(0, 17)) === s[17] ? 'valid' : 'check-failed';
}
