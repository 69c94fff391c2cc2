/**
 * 居民身份证号码 — resident ID, GB 11643-1999: 6-digit address code, 8-digit birth date (YYYYMMDD),
 * 3-digit sequence (odd for men, even for women), then a check character by ISO 7064 MOD 11-2.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Birth years accepted. The standard's own sample (440524188001010014) is born in 1880; no clock is read. */
export const RESIDENT_ID_MIN_YEAR = 1800;
export const RESIDENT_ID_MAX_YEAR = 2100;

export type ResidentIdResult =
  | { ok: true; birthDate: string; sex: 'M' | 'F' }
  | { ok: false; reason: 'FORMAT' | 'BIRTH_DATE' | 'CHECK_DIGIT' };

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

/** Validates an 18-character resident ID. Only an upper-case `X` is accepted as the check character. */
export function validateResidentId(s: string): ResidentIdResult {
  if (typeof s !== 'string' || !/^\d{17}[\dX]$/.test(s)) return { ok: false, reason: 'FORMAT' };
  const year = Number(s.slice(6, 10));
  const month = Number(s.slice(10, 12));
  const day = Number(s.slice(12, 14));
  if (year < RESIDENT_ID_MIN_YEAR || year > RESIDENT_ID_MAX_YEAR || !isCalendarDate(year, month, day)) {
    return { ok: false, reason: 'BIRTH_DATE' };
  }
  if (residentIdCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: 'CHECK_DIGIT' };
  return {
    ok: true,
    birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
    sex: Number(s[16]) % 2 === 1 ? 'M' : 'F',
  };
}
