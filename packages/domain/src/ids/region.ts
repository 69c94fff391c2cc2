/**
 * Province-level codes of the administrative division code (GB/T 2260): the first two digits of a resident
 * ID's address code (GB 11643) and of a credit code's division part (GB 32100).
 */

/**
 * 11–15 京津冀晋蒙, 21–23 辽吉黑, 31–37 沪苏浙皖闽赣鲁, 41–46 豫鄂湘粤桂琼, 50–54 渝川贵云藏,
 * 61–65 陕甘青宁新, 71 台湾, 81 香港, 82 澳门 (GB/T 2260).
 */
const PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
    ' ',
  ),
);

/**
 * Whether a 6-digit code starts with a real province code and is not 000000. `extraPrefixes` admits codes
 * that are not provinces but are issued: 83 (台湾居民居住证, 国办发〔2018〕81号, same number format as the
 * resident ID) or 10 (the nationwide code 100000 of organisations registered by central authorities).
 */
export function isDivisionCode(code: string, extraPrefixes: readonly string[] = []): boolean {
  if (!/^\d{6}$/.test(code) || code === '000000') return false;
  const prefix = code.slice(0, 2);
  return PROVINCES.has(prefix) || extraPrefixes.includes(prefix);
}
