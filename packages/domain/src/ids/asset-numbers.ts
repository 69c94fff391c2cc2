/**
 * Shape checks for the numbers that name assets in a notice's params. They check shape only: whether the
 * asset exists is the agency's answer, not ours.
 */

/**
 * Bank account or card number: 10–30 ASCII digits. Personal cards are 16–19 digits (with a Luhn check we do
 * not enforce, since passbook and corporate settlement accounts have none); corporate accounts run longer.
 */
const BANK_ACCOUNT = /^\d{10,30}$/;

export function isBankAccountNo(s: string): boolean {
  return typeof s === 'string' && BANK_ACCOUNT.test(s);
}

/**
 * Housing provident fund account (住房公积金个人账户) number: each centre's own format — digits, some with
 * letters or hyphens — so the bank shape would refuse genuine ones (the same rule as agency-kit's answers).
 */
const FUND_ACCOUNT = /^[0-9A-Za-z-]{1,32}$/;

export function isFundAccountNo(s: string): boolean {
  return typeof s === 'string' && FUND_ACCOUNT.test(s);
}

/**
 * 不动产单元号 — real-estate unit number, 28 characters (不动产单元设定与代码编制规则, GB/T 37346-2019):
 *   6 digits   county-level administrative division code
 *   6 digits   地籍区 (3) + 地籍子区 (3)
 *   2 letters  宗地/宗海特征码: ownership G 国有 / J 集体 / Z 争议, then the use type letter (GB, JC, ZB …)
 *   5 digits   宗地/宗海 sequence number
 *   1 letter   定着物特征码: F 房屋等建筑物, L 林木, Q 其他, W 无定着物
 *   8 digits   定着物单元编号 (e.g. building 4 + unit 4; W00000000 for bare land)
 * The second feature letter is any upper-case letter so that use types added later still pass.
 */
const UNIT_NO = /^\d{12}[GJZ][A-Z]\d{5}[FLQW]\d{8}$/;

export function isRealEstateUnitNo(s: string): boolean {
  return typeof s === 'string' && UNIT_NO.test(s);
}

/** Province-level characters on motor-vehicle plates (GA 36). */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const PLATE_LETTER = '[A-HJ-NP-Z]'; // I and O are not used
const PLATE_CHAR = '[A-HJ-NP-Z0-9]';

const PLATE = new RegExp(
  `^[${PLATE_PROVINCES}]${PLATE_LETTER}(?:` +
    `${PLATE_CHAR}{5}` + // ordinary: 京A12345, 粤B8K3D2
    `|[DF]${PLATE_CHAR}\\d{4}` + // new-energy small car: 京AD12345 (D electric, F other)
    `|\\d{5}[DF]` + // new-energy large vehicle: 京A12345D
    `|${PLATE_CHAR}{4}[挂学警]` + // trailer, learner, police
    ')$',
  'u',
);

/** Vehicle plate: province character + letter + 5 alphanumerics, or 6 for new-energy vehicles. */
export function isVehiclePlate(s: string): boolean {
  return typeof s === 'string' && PLATE.test(s);
}
