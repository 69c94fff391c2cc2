/**
 * Punishment rules as data with their sources: the grounds of a dishonest-debtor listing (失信被执行人名单),
 * its term, the reasons for deletion and the relisting bar (法释〔2017〕7号), and who a consumption
 * restriction binds (法释〔2015〕17号). The punishment service enforces them; the gateway validates with them.
 */
import { addMonthsShanghai, DISHONEST_LIST_RULES } from './rules.ts';

const SOURCE_2017 = DISHONEST_LIST_RULES.source;

/** One ground (纳入事由) of art. 1, with whether art. 2's fixed term applies and whether it may be extended. */
export interface DishonestGround {
  code: DishonestGroundCode;
  zh: string;
  /** Where the ground is stated. */
  source: string;
  /** art. 2: grounds (2)–(6) list for a fixed term; ground (1) stands until the debtor performs. */
  fixedTerm: boolean;
  /** art. 2: 以暴力、威胁方法妨碍、抗拒执行情节严重 — the aggravated ground that may be extended by 1–3 years. */
  aggravated: boolean;
}

export const DISHONEST_GROUND_CODES = [
  'able-but-refuses',
  'obstructs-enforcement',
  'evades-enforcement',
  'breaches-property-report',
  'breaches-consumption-restriction',
  'breaches-settlement',
] as const;
export type DishonestGroundCode = (typeof DISHONEST_GROUND_CODES)[number];

const ground = (
  code: DishonestGroundCode,
  item: string,
  zh: string,
  fixedTerm: boolean,
  aggravated = false,
): DishonestGround => ({ code, zh, source: `${SOURCE_2017} 第一条第${item}项`, fixedTerm, aggravated });

/** 法释〔2017〕7号 art. 1, its six grounds. */
export const DISHONEST_GROUNDS: Readonly<Record<DishonestGroundCode, DishonestGround>> = {
  'able-but-refuses': ground('able-but-refuses', '一', '有履行能力而拒不履行生效法律文书确定义务', false),
  'obstructs-enforcement': ground(
    'obstructs-enforcement',
    '二',
    '以伪造证据、暴力、威胁等方法妨碍、抗拒执行',
    true,
    true,
  ),
  'evades-enforcement': ground(
    'evades-enforcement',
    '三',
    '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行',
    true,
  ),
  'breaches-property-report': ground('breaches-property-report', '四', '违反财产报告制度', true),
  'breaches-consumption-restriction': ground(
    'breaches-consumption-restriction',
    '五',
    '违反限制消费令',
    true,
  ),
  'breaches-settlement': ground('breaches-settlement', '六', '无正当理由拒不履行执行和解协议', true),
};

export function isDishonestGround(value: unknown): value is DishonestGroundCode {
  return typeof value === 'string' && (DISHONEST_GROUND_CODES as readonly string[]).includes(value);
}

/** Why a listing is deleted (删除失信信息) or corrected, each with its article. */
export const REMOVAL_REASON_CODES = [
  'performed',
  'settlement-performed',
  'applicant-request',
  'no-property-found',
  'suspended',
  'not-enforced',
  'terminated',
  'expired',
  'wrongful',
] as const;
export type RemovalReasonCode = (typeof REMOVAL_REASON_CODES)[number];

export const REMOVAL_REASONS: Readonly<Record<RemovalReasonCode, { zh: string; source: string }>> = {
  performed: { zh: '已履行全部义务', source: `${SOURCE_2017} 第十条第一款第一项` },
  'settlement-performed': { zh: '执行和解协议履行完毕', source: `${SOURCE_2017} 第十条第一款第二项` },
  'applicant-request': {
    zh: '申请执行人书面申请删除，人民法院审查同意',
    source: `${SOURCE_2017} 第十条第一款第三项`,
  },
  'no-property-found': {
    zh: '终结本次执行程序后两次以上查询未发现可供执行财产',
    source: `${SOURCE_2017} 第十条第一款第四项`,
  },
  suspended: { zh: '因审判监督或破产程序裁定中止执行', source: `${SOURCE_2017} 第十条第一款第五项` },
  'not-enforced': { zh: '裁定不予执行', source: `${SOURCE_2017} 第十条第一款第六项` },
  terminated: { zh: '裁定终结执行', source: `${SOURCE_2017} 第十条第一款第七项` },
  expired: { zh: '纳入期限届满', source: `${SOURCE_2017} 第十条第二款` },
  wrongful: { zh: '错误纳入，予以纠正', source: `${SOURCE_2017} 第十二条` },
};

export function isRemovalReason(value: unknown): value is RemovalReasonCode {
  return typeof value === 'string' && (REMOVAL_REASON_CODES as readonly string[]).includes(value);
}

/**
 * The relisting bar (art. 10 第四款): within 6 months of a deletion at the applicant's request (第一款第三项),
 * the applicant's request to list the same debtor again is not supported. The rules allow relisting on a
 * ground the debtor commits afresh (第三款), so the bar holds for the same case and the same ground only, and not
 * for conduct after the deletion: a listing whose `groundAroseAt` is later than the deletion (new misconduct,
 * 删除失信信息后被执行人具有第一条规定情形之一) is not barred (`exception`).
 */
export const RELISTING_BAR = {
  rule: 'RELISTING_BAR_2017_ART10',
  source: `${SOURCE_2017} 第十条第四款`,
  afterReasons: ['applicant-request'] as readonly RemovalReasonCode[],
  months: DISHONEST_LIST_RULES.relistingBarMonths,
  exception: {
    rule: 'RELISTING_ON_NEW_CONDUCT_2017_ART10',
    source: `${SOURCE_2017} 第十条第三款`,
    zh: '删除失信信息后，被执行人具有本规定第一条规定情形之一的，人民法院可以重新将其纳入失信被执行人名单',
  },
} as const;

/**
 * Whether a listing is barred by a deletion at `deletedAt` whose bar runs `until`: within the bar, unless its
 * ground arose after the deletion (第三款: conduct the deleted listing cannot have covered).
 */
export function relistingBarred(
  until: Date | null,
  deletedAt: Date,
  now: Date,
  groundAroseAt?: Date,
): boolean {
  if (!until || now >= until) return false;
  return !(groundAroseAt && groundAroseAt.getTime() > deletedAt.getTime());
}

/** Until when a listing deleted for `reason` at `deletedAt` bars relisting on its ground; null when it does not. */
export function relistingBarEnds(reason: RemovalReasonCode, deletedAt: Date): Date | null {
  return RELISTING_BAR.afterReasons.includes(reason)
    ? addMonthsShanghai(deletedAt, RELISTING_BAR.months)
    : null;
}

export type ListingTermIssue = 'EXTENSION_NOT_ALLOWED' | 'EXTENSION_EXCEEDS_RULES';

/**
 * The decided term of a listing (art. 2): none for ground (1) alone (it stands until the debtor performs);
 * 2 years when any ground is of (2)–(6); extendable by 1–3 years only for the aggravated ground or several
 * grounds (多项失信行为). Returns when the listing ends (null: no fixed term) or why the term is refused.
 */
export function dishonestListingTerm(
  grounds: readonly DishonestGroundCode[],
  listedAt: Date,
  extensionYears = 0,
): { ok: true; endsAt: Date | null } | { ok: false; code: ListingTermIssue } {
  const distinct = [...new Set(grounds)];
  const fixed = distinct.some((g) => DISHONEST_GROUNDS[g].fixedTerm);
  if (extensionYears !== 0) {
    const { min, max } = DISHONEST_LIST_RULES.extensionYears;
    if (!Number.isInteger(extensionYears) || extensionYears < min || extensionYears > max) {
      return { ok: false, code: 'EXTENSION_EXCEEDS_RULES' };
    }
    const mayExtend = fixed && (distinct.some((g) => DISHONEST_GROUNDS[g].aggravated) || distinct.length > 1);
    if (!mayExtend) return { ok: false, code: 'EXTENSION_NOT_ALLOWED' };
  }
  if (!fixed) return { ok: true, endsAt: null };
  return {
    ok: true,
    endsAt: addMonthsShanghai(listedAt, 12 * (DISHONEST_LIST_RULES.termYears + extensionYears)),
  };
}

/**
 * Who a consumption restriction of an organisation binds besides itself (法释〔2015〕17号 art. 3 第二款):
 * 法定代表人, 主要负责人, 影响债务履行的直接责任人员, 实际控制人 — each an entry of its own.
 */
export const RESPONSIBLE_ROLES = ['principal', 'directly-responsible', 'actual-controller'] as const;
export type ResponsibleRole = (typeof RESPONSIBLE_ROLES)[number];
/** The roles a restriction entry can name: the debtor itself, or a person bound because of it. */
export type BoundRole = 'debtor' | 'legal-representative' | ResponsibleRole;

export const BOUND_ROLE_ZH: Readonly<Record<BoundRole, string>> = {
  debtor: '被执行人',
  'legal-representative': '法定代表人',
  principal: '主要负责人',
  'directly-responsible': '影响债务履行的直接责任人员',
  'actual-controller': '实际控制人',
};

/**
 * Exit restriction (限制出境) binds natural persons only: an organisation cannot leave the country. For an
 * organisation debtor it is imposed on the persons the court names among those the article lists — 法定代表人,
 * 主要负责人, 影响债务履行的直接责任人员 (民事诉讼法 第二百六十六条; 执行程序解释 第三十七条) — each an entry of its
 * own, and none on the organisation itself. Its 实际控制人 is bound by a consumption restriction (法释〔2015〕17号
 * art. 3 第二款) but not listed for exit, so not restricted from exit through the organisation. A notice for an
 * organisation that names none of them cannot be carried out, so it is refused before it is stored.
 */
export const EXIT_RESTRICTION_OF_ORGANISATION = {
  rule: 'EXIT_RESTRICTION_BINDS_PERSONS',
  source:
    '《中华人民共和国民事诉讼法》第二百六十六条；《最高人民法院关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释》（法释〔2008〕13号）第三十七条：被执行人为单位的，可以对其法定代表人、主要负责人或者影响债务履行的直接责任人员限制出境',
  /** The roles an organisation's exit restriction binds. */
  binds: ['legal-representative', 'principal', 'directly-responsible'] as const,
  /** Whether the organisation itself gets an entry: never (a legal person does not cross a border). */
  bindsOrganisation: false,
} as const satisfies {
  rule: string;
  source: string;
  binds: readonly BoundRole[];
  bindsOrganisation: boolean;
};

/** Whether an organisation debtor gets an entry of its own for a placing measure (not for exit restriction). */
export function organisationBindsItself(
  measure: 'dishonest-list' | 'restrict-consumption' | 'restrict-exit',
) {
  return measure !== 'restrict-exit' || EXIT_RESTRICTION_OF_ORGANISATION.bindsOrganisation;
}

/** Whether a person bound through an organisation in `role` is restricted from exit with it. */
export function exitBindsRole(role: string): boolean {
  return (EXIT_RESTRICTION_OF_ORGANISATION.binds as readonly string[]).includes(role);
}
