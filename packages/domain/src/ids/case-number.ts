/**
 * 案号 — case number. Since 2016 (最高人民法院关于人民法院案件案号的若干规定, 法〔2015〕137号) it reads
 * `(year)court-code case-type sequence 号`, e.g. `(2024)川0104执1234号`, `(2016)苏执异4号`: the court code
 * is a province abbreviation plus optional digits. Before 2016 it read `(year)court type 字第 sequence 号`,
 * e.g. `(2015)苏执复字第00033号`, where the court part was a free abbreviation (浙杭, 京二中 …) and the
 * sequence was often zero padded — hence `seqText`, which keeps the padding so the number round-trips.
 */

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

/** Province-level abbreviations, plus 兵 (XPCC courts). 最高法 is the Supreme People's Court. */
export const PROVINCE_ABBREVIATIONS = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼兵';

export interface CaseNo {
  year: number;
  court: string;
  caseType: string;
  seq: number;
  seqText: string;
  legacy: boolean;
}

const CASE_TYPE = `执(?:恢|保|异|复|监|协|他|配)?`;
const CURRENT_COURT = `(?:最高法|[${PROVINCE_ABBREVIATIONS}]\\d{0,4})`;
// Pre-2016 court parts were free abbreviations: a Han character, then Han characters or digits, never 执.
const LEGACY_COURT = `(?:(?!执)\\p{Script=Han})(?:(?!执)[\\p{Script=Han}\\d]){0,9}`;
const OPEN = `[(（]`;
const CLOSE = `[)）]`;

const CURRENT = new RegExp(`^${OPEN}(\\d{4})${CLOSE}(${CURRENT_COURT})(${CASE_TYPE})(\\d{1,8})号$`, 'u');
const LEGACY = new RegExp(`^${OPEN}(\\d{4})${CLOSE}(${LEGACY_COURT})(${CASE_TYPE})字第(\\d{1,8})号$`, 'u');

const MIN_YEAR = 1949;
const MAX_YEAR = 2100;

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
  return { year, court, caseType, seq, seqText, legacy: legacy !== null };
}

/** Formats with ASCII parentheses, in the form the case number was written in. */
export function formatCaseNo(c: CaseNo): string {
  const seqText = Number(c.seqText) === c.seq ? c.seqText : String(c.seq);
  return c.legacy
    ? `(${c.year})${c.court}${c.caseType}字第${seqText}号`
    : `(${c.year})${c.court}${c.caseType}${seqText}号`;
}

export function isCaseNo(s: string): boolean {
  return parseCaseNo(s) !== null;
}
