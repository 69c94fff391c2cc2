/**
 * 居民身份证号码 — resident ID, GB 11643-1999: 6-digit address code, 8-digit birth date (YYYYMMDD),
 * 3-digit sequence (odd for men, even for women), then a check character by ISO 7064 MOD 11-2.
 */
import { isDivisionCode } from './region.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Birth years accepted without a reference date. The standard's own sample (440524188001010014) is born in 1880. */
export const RESIDENT_ID_MIN_YEAR = 1800;
export const RESIDENT_ID_MAX_YEAR = 2100;
/** With a reference date: nobody older than this is a plausible debtor (the oldest verified person lived 122 years). */
export const RESIDENT_ID_MAX_AGE_YEARS = 130;

/** 83: 台湾居民居住证 numbers (国办发〔2018〕81号) share the format; 81/82 (港澳) are provinces in GB/T 2260. */
const RESIDENCE_PERMIT_PREFIXES = ['83'];

export type ResidentIdResult =
  | { ok: true; birthDate: string; sex: 'M' | 'F' }
  | { ok: false; reason: 'FORMAT' | 'REGION' | 'BIRTH_DATE' | 'CHECK_DIGIT' };

/** The check character for the first 17 digits. Throws on anything but 17 ASCII digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('residentIdCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Whether YYYY-MM-DD parts name a real day of the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * The canonical 18-character form of a resident ID as people write it, or the input unchanged when it is
 * neither form (validation then reports it):
 *   - a lower-case check character `x` becomes `X` (GB 11643 prints X; officers and OCR type x);
 *   - a 15-digit first-generation ID (6 region, YYMMDD birth date, 3 sequence; issued until 2004 to people
 *     born in the 1900s) becomes 18 digits: `19` inserted before the birth date and the MOD 11-2 check
 *     character appended — the conversion GB 11643-1999 §5 and 公安部 use.
 */
export function normaliseResidentId(s: string): string {
  if (typeof s !== 'string') return s;
  if (/^\d{15}$/.test(s)) {
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    return first17 + residentIdCheckChar(first17);
  }
  if (/^\d{17}x$/.test(s)) return s.toUpperCase();
  return s;
}

export interface ResidentIdOptions {
  /** A reference day (YYYY-MM-DD, e.g. the notice's issue day): birth after it, or over 130 years before, is invalid. */
  asOf?: string;
}

/** Validates an 18-character resident ID in canonical form (see normaliseResidentId: only upper-case X). */
export function validateResidentId(s: string, options: ResidentIdOptions = {}): ResidentIdResult {
  if (typeof s !== 'string' || !/^\d{17}[\dX]$/.test(s)) return { ok: false, reason: 'FORMAT' };
  if (!isDivisionCode(s.slice(0, 6), RESIDENCE_PERMIT_PREFIXES)) return { ok: false, reason: 'REGION' };
  const year = Number(s.slice(6, 10));
  const month = Number(s.slice(10, 12));
  const day = Number(s.slice(12, 14));
  if (year < RESIDENT_ID_MIN_YEAR || year > RESIDENT_ID_MAX_YEAR || !isCalendarDate(year, month, day)) {
    return { ok: false, reason: 'BIRTH_DATE' };
  }
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (options.asOf !== undefined) {
    const oldest = `${String(Number(options.asOf.slice(0, 4)) - RESIDENT_ID_MAX_AGE_YEARS).padStart(4, '0')}${options.asOf.slice(4)}`;
    if (birthDate > options.asOf || birthDate < oldest) return { ok: false, reason: 'BIRTH_DATE' };
  }
  if (residentIdCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: 'CHECK_DIGIT' };
  return { ok: true, birthDate, sex: Number(s[16]) % 2 === 1 ? 'M' : 'F' };
}
