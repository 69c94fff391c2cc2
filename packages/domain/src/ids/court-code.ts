/**
 * 法院代码 — the court code inside a current-form 案号 and in `court.code`. 最高人民法院关于人民法院案件案号的
 * 若干规定（法〔2015〕137号, in force 2016-01-01) art. 5 and its annex 《人民法院分级代字表》: the Supreme People's
 * Court is 最高法; every other court is its province-level abbreviation (兵 for the XPCC courts) followed by
 *   - nothing      a high people's court               川 (四川省高级人民法院)
 *   - 2 digits     an intermediate-level court          川01 (成都市中级人民法院), 京73 (北京知识产权法院), 川71
 *   - 4 digits     a basic-level court, the 2 digits of  川0104 (锦江区人民法院), 川7101 (成都铁路运输法院)
 *                  its intermediate court first
 * A 2-digit part is never 00 (the codes number courts from 01), so 川00 or 川0100 is a typo, not a court.
 */
/** Province-level abbreviations, plus 兵 (XPCC courts). 最高法 is the Supreme People's Court. */
export const PROVINCE_ABBREVIATIONS = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼兵';

export const SUPREME_COURT_CODE = '最高法';

export type CourtLevel = 'supreme' | 'high' | 'intermediate' | 'basic';

const PAIR = '(?:0[1-9]|[1-9]\\d)';
const COURT_CODE_SOURCE = `(?:${SUPREME_COURT_CODE}|[${PROVINCE_ABBREVIATIONS}](?:${PAIR}(?:${PAIR})?)?)`;
const COURT_CODE = new RegExp(`^${COURT_CODE_SOURCE}$`, 'u');

/** The court-code pattern without anchors, for composing the case-number grammar. */
export const COURT_CODE_PATTERN = COURT_CODE_SOURCE;

export function isCourtCode(s: string): boolean {
  return typeof s === 'string' && COURT_CODE.test(s);
}

/** The level a court code names, or null when it is not a court code. */
export function courtLevel(code: string): CourtLevel | null {
  if (!isCourtCode(code)) return null;
  if (code === SUPREME_COURT_CODE) return 'supreme';
  return (['high', 'intermediate', 'basic'] as const)[(code.length - 1) / 2] ?? null;
}
