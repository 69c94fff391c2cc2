/**
 * Legal rules as versioned data, each with its source. Code asks for "the rules in force on a date" and never
 * writes a term as a literal. Terms are periods of months or years, counted to the corresponding date
 * (民法典 art. 202), never as 365 × n days.
 */
import type { WorkingDayCalendar } from './calendar.ts';
import { daysBetween, PRC_CALENDAR, shanghaiDate } from './calendar.ts';
import { HubError } from './errors.ts';
import type { AgencyKind } from './glossary.ts';

/** What a freeze or seal holds: it decides the maximum term. */
export const ASSET_KINDS = ['deposit', 'movable', 'real-estate', 'other-property-right'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** A period the law states in years or months (一年, 六个月). */
export type Period = { years: number } | { months: number };

export interface TermRuleSet {
  id: string;
  source: string;
  /** YYYY-MM-DD, inclusive. */
  effectiveFrom: string;
  /** YYYY-MM-DD, exclusive; absent while in force. */
  effectiveTo?: string;
  maxTerm: Readonly<Record<AssetKind, Period>>;
}

export const TERM_RULE_SETS: readonly TermRuleSet[] = [
  {
    id: 'terms-2004',
    source: '最高人民法院关于人民法院民事执行中查封、扣押、冻结财产的规定（法释〔2004〕15号）第二十九条',
    effectiveFrom: '2005-01-01',
    effectiveTo: '2015-02-04',
    // 存款及其他资金 6 months, 动产 1 year, 不动产/其他财产权 2 years.
    maxTerm: {
      deposit: { months: 6 },
      movable: { years: 1 },
      'real-estate': { years: 2 },
      'other-property-right': { years: 2 },
    },
  },
  {
    id: 'terms-2015',
    source:
      '最高人民法院关于适用《中华人民共和国民事诉讼法》的解释（法释〔2015〕5号）第四百八十七条' +
      '（2022年修正后为第四百八十五条，期限未变）',
    effectiveFrom: '2015-02-04',
    // 银行存款 1 year, 动产 2 years, 不动产/其他财产权 3 years; each renewal again at most the same term.
    maxTerm: {
      deposit: { years: 1 },
      movable: { years: 2 },
      'real-estate': { years: 3 },
      'other-property-right': { years: 3 },
    },
  },
];

/** The earliest day the hub knows term rules for; notices issued before it are refused (NO_RULES_IN_FORCE). */
export const EARLIEST_TERM_RULES_DAY: string = TERM_RULE_SETS.map((s) => s.effectiveFrom).sort()[0]!;

/**
 * The last day of a period that starts on `startDay` (YYYY-MM-DD). 民法典 art. 201: the start day is not
 * counted; art. 202: a period of months or years ends on the corresponding day of its last month, or on
 * that month's last day when it has no such day (a year from 2028-02-29 ends on 2029-02-28).
 */
export function periodEndDay(startDay: string, period: Period): string {
  const months = 'years' in period ? period.years * 12 : period.months;
  if (!Number.isInteger(months) || months < 0)
    throw new RangeError(`not a period: ${JSON.stringify(period)}`);
  const [y, m, d] = startDay.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const lastDay = new Date(Date.UTC(y, monthIndex + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, monthIndex, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/**
 * The longest term in days for an asset kind, for a term starting on `start` (a YYYY-MM-DD or an instant
 * read in Asia/Shanghai): the days from the start day to the corresponding date. A one-year deposit freeze
 * from 2027-03-01 may run 366 days (it spans 2028-02-29); from 2026-03-01, 365.
 */
export function maxTermDays(ruleSet: TermRuleSet, assetKind: AssetKind, start: string | Date): number {
  const day = typeof start === 'string' ? start : shanghaiDate(start);
  return daysBetween(day, periodEndDay(day, ruleSet.maxTerm[assetKind]));
}

/** The term rule set in force on a date (YYYY-MM-DD, or an instant read in Asia/Shanghai), if the hub knows one. */
export function findTermRules(
  date: string | Date,
  sets: readonly TermRuleSet[] = TERM_RULE_SETS,
): TermRuleSet | undefined {
  const day = typeof date === 'string' ? date : shanghaiDate(date);
  return sets.find((s) => s.effectiveFrom <= day && (s.effectiveTo === undefined || day < s.effectiveTo));
}

/**
 * The term rule set in force on a date. Before the earliest version the hub knows there is none: that is
 * bad input (a 400 with NO_RULES_IN_FORCE), not a crash.
 */
export function termRulesAt(date: string | Date, sets: readonly TermRuleSet[] = TERM_RULE_SETS): TermRuleSet {
  const found = findTermRules(date, sets);
  if (!found) {
    throw new HubError('VALIDATION_FAILED', [
      {
        path: 'issuedAt',
        code: 'NO_RULES_IN_FORCE',
        message: `no term rules known before ${EARLIEST_TERM_RULES_DAY}`,
      },
    ]);
  }
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

/**
 * Hub policy, not law: warn the court this many working days before a freeze or seal lapses unless renewed
 * (hold-term.ts expiryReminderAt).
 */
export const EXPIRY_REMINDER = { defaultLeadWorkingDays: 15 } as const;

/**
 * How far ahead of a hold's last day the court is reminded to renew it (续冻, 续封), per asset kind: versioned
 * like the terms, so a change of policy applies to terms ending from its date on and never rewrites the past.
 */
export interface ReminderRuleSet {
  id: string;
  source: string;
  /** YYYY-MM-DD, inclusive: the set applies to terms whose last day is on or after it. */
  effectiveFrom: string;
  /** YYYY-MM-DD, exclusive; absent while in force. */
  effectiveTo?: string;
  leadWorkingDays: Readonly<Record<AssetKind, number>>;
  /**
   * Calendar days added to the lead when the count reaches a year without a holiday table: counted on
   * weekends only such a reminder could fall after a long holiday (春节, 国庆: up to 8 days off in a row), so it
   * is moved that much earlier; early is harmless, late loses the court its priority.
   */
  uncoveredYearMarginDays: number;
}

export const REMINDER_RULE_SETS: readonly ReminderRuleSet[] = [
  {
    id: 'reminders-2026',
    source:
      '中枢政策（非法定）：续行须在期限届满前办理（法释〔2015〕5号第四百八十七条），' +
      '默认提前15个工作日提醒，留出制作、送达续行通知书的时间（issue 11）',
    effectiveFrom: EARLIEST_TERM_RULES_DAY,
    leadWorkingDays: {
      deposit: EXPIRY_REMINDER.defaultLeadWorkingDays,
      movable: EXPIRY_REMINDER.defaultLeadWorkingDays,
      'real-estate': EXPIRY_REMINDER.defaultLeadWorkingDays,
      'other-property-right': EXPIRY_REMINDER.defaultLeadWorkingDays,
    },
    uncoveredYearMarginDays: 10,
  },
];

/** The reminder rule set for a term ending on `lastDay` (YYYY-MM-DD); the earliest set before any applies. */
export function reminderRulesFor(
  lastDay: string,
  sets: readonly ReminderRuleSet[] = REMINDER_RULE_SETS,
): ReminderRuleSet {
  const found = sets.find(
    (s) => s.effectiveFrom <= lastDay && (s.effectiveTo === undefined || lastDay < s.effectiveTo),
  );
  // Terms ending before the first set are older than any policy: the first one is the nearest there is.
  return found ?? [...sets].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0]!;
}

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
