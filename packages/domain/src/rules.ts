/**
 * Legal rules as versioned data, each with its source. Code asks for "the rules in force on a date" and never
 * writes a term as a literal. Years are counted as 365 days, the reading courts apply to "一年".
 */
import type { WorkingDayCalendar } from './calendar.ts';
import { PRC_CALENDAR, shanghaiDate } from './calendar.ts';
import type { AgencyKind } from './glossary.ts';

/** What a freeze or seal holds: it decides the maximum term. */
export const ASSET_KINDS = ['deposit', 'movable', 'real-estate', 'other-property-right'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export interface TermRuleSet {
  id: string;
  source: string;
  /** YYYY-MM-DD, inclusive. */
  effectiveFrom: string;
  /** YYYY-MM-DD, exclusive; absent while in force. */
  effectiveTo?: string;
  maxTermDays: Readonly<Record<AssetKind, number>>;
}

export const TERM_RULE_SETS: readonly TermRuleSet[] = [
  {
    id: 'terms-2004',
    source: '最高人民法院关于人民法院民事执行中查封、扣押、冻结财产的规定（法释〔2004〕15号）第二十九条',
    effectiveFrom: '2005-01-01',
    effectiveTo: '2015-02-04',
    // 存款及其他资金 6 months (taken as 183 days), 动产 1 year, 不动产/其他财产权 2 years.
    maxTermDays: { deposit: 183, movable: 365, 'real-estate': 730, 'other-property-right': 730 },
  },
  {
    id: 'terms-2015',
    source:
      '最高人民法院关于适用《中华人民共和国民事诉讼法》的解释（法释〔2015〕5号）第四百八十七条' +
      '（2022年修正后为第四百八十五条，期限未变）',
    effectiveFrom: '2015-02-04',
    // 银行存款 1 year, 动产 2 years, 不动产/其他财产权 3 years; each renewal again at most the same term.
    maxTermDays: { deposit: 365, movable: 730, 'real-estate': 1095, 'other-property-right': 1095 },
  },
];

export function maxTermDays(ruleSet: TermRuleSet, assetKind: AssetKind): number {
  return ruleSet.maxTermDays[assetKind];
}

/** The term rule set in force on a date (YYYY-MM-DD, or an instant read in Asia/Shanghai). */
export function termRulesAt(date: string | Date, sets: readonly TermRuleSet[] = TERM_RULE_SETS): TermRuleSet {
  const day = typeof date === 'string' ? date : shanghaiDate(date);
  const found = sets.find(
    (s) => s.effectiveFrom <= day && (s.effectiveTo === undefined || day < s.effectiveTo),
  );
  if (!found) throw new RangeError(`no term rule set in force on ${day}`);
  return found;
}

export const CURRENT_TERM_RULES: TermRuleSet = TERM_RULE_SETS[TERM_RULE_SETS.length - 1]!;

/**
 * The asset kind a freeze or seal at an agency holds. Provident-fund balances are frozen like deposits
 * (the stricter 1-year term); public-security seals are of vehicles, i.e. movables.
 */
export const ASSET_KIND_OF_AGENCY: Readonly<Record<AgencyKind, AssetKind>> = {
  bank: 'deposit',
  'provident-fund': 'deposit',
  'public-security': 'movable',
  'real-estate': 'real-estate',
};

/** Hub policy, not law: warn the court this long before a freeze or seal lapses unless renewed. */
export const EXPIRY_REMINDER = { defaultLeadDays: 30 } as const;

/** 最高人民法院关于公布失信被执行人名单信息的若干规定（法释〔2017〕7号）. */
export const DISHONEST_LIST_RULES = {
  source: '最高人民法院关于公布失信被执行人名单信息的若干规定（法释〔2017〕7号）',
  /** art. 2: listing for 2 years, */
  termYears: 2,
  /** art. 2: extendable by 1–3 years for violent or threatening obstruction or several breaches. */
  extensionYears: { min: 1, max: 3 },
  /** art. 10: deleted within 3 working days of full performance, settlement performed, expiry …; */
  deleteWithinWorkingDays: 3,
  /** art. 12: a wrongful listing corrected within 3 working days; */
  correctWithinWorkingDays: 3,
  /** art. 10: after deletion at the applicant's request, no relisting at its request for 6 months. */
  relistingBarMonths: 6,
} as const;

/** 最高人民法院关于限制被执行人高消费及有关消费的若干规定（法释〔2015〕17号）. */
export const CONSUMPTION_RESTRICTION_RULES = {
  source: '最高人民法院关于限制被执行人高消费及有关消费的若干规定（法释〔2015〕17号）',
  /** art. 1: every debtor on the dishonest list is also restricted. */
  followsDishonestListing: true,
  /** art. 3: for an organisation the restriction binds its legal representative and responsible persons. */
  bindsOrganisationRepresentatives: true,
} as const;

/** Adds calendar months in Asia/Shanghai, clamping to the month's last day (Aug 31 + 6 months → Feb 28/29). */
export function addMonthsShanghai(start: Date, months: number): Date {
  const shifted = new Date(start.getTime() + 8 * 3_600_000);
  const y = shifted.getUTCFullYear();
  const m = shifted.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const target = Date.UTC(
    y,
    m,
    Math.min(shifted.getUTCDate(), lastDay),
    shifted.getUTCHours(),
    shifted.getUTCMinutes(),
    shifted.getUTCSeconds(),
    shifted.getUTCMilliseconds(),
  );
  return new Date(target - 8 * 3_600_000);
}

/** When a dishonest listing ends: 2 years plus any extension (art. 2). */
export function dishonestListingEndsAt(listedAt: Date, extensionYears = 0): Date {
  const { min, max } = DISHONEST_LIST_RULES.extensionYears;
  if (
    extensionYears !== 0 &&
    (!Number.isInteger(extensionYears) || extensionYears < min || extensionYears > max)
  ) {
    throw new RangeError(`extension must be 0 or an integer ${min}–${max} years, got ${extensionYears}`);
  }
  return addMonthsShanghai(listedAt, 12 * (DISHONEST_LIST_RULES.termYears + extensionYears));
}

/** The latest a listing may still stand once a deletion ground arose (art. 10: 3 working days). */
export function dishonestDeletionDeadline(
  groundArose: Date,
  calendar: WorkingDayCalendar = PRC_CALENDAR,
): Date {
  return calendar.addWorkingDays(groundArose, DISHONEST_LIST_RULES.deleteWithinWorkingDays);
}

/** Until when the applicant may not ask to relist a debtor it asked to delete (art. 10). */
export function relistingBarredUntil(deletedAtApplicantRequest: Date): Date {
  return addMonthsShanghai(deletedAtApplicantRequest, DISHONEST_LIST_RULES.relistingBarMonths);
}
