/**
 * 案号 — case number. Since 2016 (最高人民法院关于人民法院案件案号的若干规定, 法〔2015〕137号) it reads
 * `(year)court-code case-type sequence 号`, e.g. `(2024)川0104执1234号`, `(2016)苏执异4号`: the court code
 * is a province abbreviation plus 0, 2 or 4 digits. Before 2016 it read `(year)court type 字第 sequence 号`,
 * e.g. `(2015)苏执复字第00033号`, where the court part was a free abbreviation (浙杭, 京二中 …) and the
 * sequence was often zero padded — hence `seqText`, which keeps the padding so the number round-trips.
 * The current form is accepted only from 2016 and the 字第 form only before it, and the current form's court
 * code must have the shape of ids/court-code.ts.
 */
import { COURT_CODE_PATTERN, PROVINCE_ABBREVIATIONS, SUPREME_COURT_CODE } from './court-code.ts';

/** 案件类型代字 for enforcement cases (法〔2015〕137号 annex). */
export const ENFORCEMENT_CASE_TYPES = [
  '执',
  '执恢',
  '执保',
  '执异',
  '执复',
  '执监',
  '执协',
  '执他',
  '执配',
] as const;
export type EnforcementCaseType = (typeof ENFORCEMENT_CASE_TYPES)[number];

export interface CaseNo {
  year: number;
  court: string;
  caseType: string;
  seq: number;
  seqText: string;
  legacy: boolean;
}

const CASE_TYPE = `执(?:恢|保|异|复|监|协|他|配)?`;
// Pre-2016 court parts were free abbreviations: a Han character, then Han characters or digits, never 执.
const LEGACY_COURT = `(?:(?!执)\\p{Script=Han})(?:(?!执)[\\p{Script=Han}\\d]){0,9}`;
const OPEN = `[(（]`;
const CLOSE = `[)）]`;

const CURRENT = new RegExp(`^${OPEN}(\\d{4})${CLOSE}(${COURT_CODE_PATTERN})(${CASE_TYPE})(\\d{1,8})号$`, 'u');
const LEGACY = new RegExp(`^${OPEN}(\\d{4})${CLOSE}(${LEGACY_COURT})(${CASE_TYPE})字第(\\d{1,8})号$`, 'u');

const MIN_YEAR = 1949;
const MAX_YEAR = 2100;
/** 法〔2015〕137号 is in force from 2016-01-01: from then on only the current form, before it only 字第. */
export const CURRENT_FORM_FROM_YEAR = 2016;

/** Parses either form; full-width parentheses are accepted. Returns null for anything else. */
export function parseCaseNo(s: string): CaseNo | null {
  if (typeof s !== 'string') return null;
  const text = s.trim();
  const current = CURRENT.exec(text);
  const legacy = current ? null : LEGACY.exec(text);
  const m = current ?? legacy;
  if (!m) return null;
  const [, yearText, court, caseType, seqText] = m as unknown as [string, string, string, string, string];
  const year = Number(yearText);
  const seq = Number(seqText);
  if (year < MIN_YEAR || year > MAX_YEAR || seq < 1) return null;
  if ((legacy === null) !== year >= CURRENT_FORM_FROM_YEAR) return null;
  return { year, court, caseType, seq, seqText, legacy: legacy !== null };
}

/** Formats with ASCII parentheses, in the form the case number was written in. */
export function formatCaseNo(c: CaseNo): string {
  const seqText = Number(c.seqText) === c.seq ? c.seqText : String(c.seq);
  return c.legacy
    ? `(${c.year})${c.court}${c.caseType}字第${seqText}号`
    : `(${c.year})${c.court}${c.caseType}${seqText}号`;
}

/**
 * The one spelling a case number is stored, compared and looked up under: ASCII parentheses, no surrounding space,
 * the sequence without zero padding. `（2026）川0104执0207980号 ` and `(2026)川0104执207980号` are one case, so the
 * rules that hold per case (one listing of a debtor, never freezing beyond what is owed, a deletion reaching what
 * was listed) hold whatever spelling a clerk typed. Null for what is no case number.
 */
export function canonicalCaseNo(s: string): string | null {
  const c = parseCaseNo(s);
  return c ? formatCaseNo({ ...c, seqText: String(c.seq) }) : null;
}

export function isCaseNo(s: string): boolean {
  return parseCaseNo(s) !== null;
}

/**
 * Whether a case number belongs to the court with this code. A current-form number carries the court code
 * itself (法〔2015〕137号 art. 5), so they must be equal. A pre-2016 number's court part was a free
 * abbreviation (粤高法, 京二中, but also 锦江 or 浙杭), not the code, so only a leading province abbreviation
 * or 最高法 can be compared; a part starting with neither (锦江) cannot be told apart and is accepted.
 */
export function caseNoBelongsTo(c: CaseNo, courtCode: string): boolean {
  if (!c.legacy) return c.court === courtCode;
  const supreme = (s: string) => s.startsWith(SUPREME_COURT_CODE);
  if (supreme(c.court) || supreme(courtCode)) return supreme(c.court) && supreme(courtCode);
  const province = c.court[0]!;
  return !PROVINCE_ABBREVIATIONS.includes(province) || province === courtCode[0];
}
