/**
 * Glossary — the words of the hub, each once with its Chinese term.
 *
 *   执行联动          enforcement linkage: courts and partner agencies acting together on enforcement
 *   执行案件 / 案号    case / case number, e.g. (2024)川0104执1234号
 *   申请执行人        applicant: the creditor
 *   被执行人          debtor: the person or organisation enforced against
 *   居民身份证号码     resident ID (GB 11643, 18 chars, MOD 11-2 check digit)
 *   统一社会信用代码   unified social credit code (GB 32100, 18 chars, MOD 31 check char)
 *   执行标的          amount owed; money is always integer fen (分)
 *   协助执行通知书     notice: one court document asking one agency kind for one measure on one debtor
 *   协助执行单位      agency: bank, 不动产登记中心 real-estate, 公安 public-security, 住房公积金 provident-fund
 *   请求              request: what an adapter delivers to one concrete institution; a notice fans out to many
 *   签收 / 回执        acknowledge / answer
 *   已办结 / 部分办结  done / partial
 *   无法协助 / 拒绝协助 cannot-assist / refused
 *   措施              measure: 查询 query; 冻结 freeze, 续冻 renew-freeze, 解冻 release, 扣划 deduct;
 *                     查封 seal, 续封 renew-seal, 解封 unseal; 纳入失信名单 dishonest-list,
 *                     屏蔽/删除失信信息 dishonest-list-removal; 限制高消费 restrict-consumption,
 *                     解除限制高消费 restrict-consumption-lift; 限制出境 restrict-exit,
 *                     解除限制出境 restrict-exit-lift; 协查下落 locate
 *   失信被执行人名单  dishonest-debtor list; 纳入事由 its ground; 自动比对、拦截 interception
 *   法定代表人 / 主要负责人 / 直接责任人员  legal representative / principal / directly responsible person
 *   轮候冻结/轮候查封  queued freeze / queued seal
 *   续行              renewal (of a freeze or seal before it lapses)
 *   工作日 / 调休      working day / make-up working day
 *   执行指挥中心      command centre
 */

export const AGENCY_KINDS = ['bank', 'real-estate', 'public-security', 'provident-fund'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const MEASURES = [
  'query',
  'freeze',
  'renew-freeze',
  'release',
  'deduct',
  'seal',
  'renew-seal',
  'unseal',
  'dishonest-list',
  'dishonest-list-removal',
  'restrict-consumption',
  'restrict-exit',
  'locate',
  // Added in phase 2 (DESIGN §6: extend, do not break): lifting a restriction reaches everyone it reached.
  'restrict-consumption-lift',
  'restrict-exit-lift',
] as const;
export type Measure = (typeof MEASURES)[number];

/** Measures whose params must carry `amountFen`. */
export const MONEY_MEASURES = ['freeze', 'renew-freeze', 'deduct'] as const satisfies readonly Measure[];
export type MoneyMeasure = (typeof MONEY_MEASURES)[number];

/** Measures on which a court may state the amount owed (`owedFen`): every measure that moves or holds money. */
export const OWED_MEASURES: readonly Measure[] = [...MONEY_MEASURES, 'release'];

/** Measures that put a time-limited hold on an asset, so they carry a term (`termDays`). */
export const TERM_MEASURES = [
  'freeze',
  'renew-freeze',
  'seal',
  'renew-seal',
] as const satisfies readonly Measure[];
export type TermMeasure = (typeof TERM_MEASURES)[number];

/**
 * 续行: a renewal keeps an existing freeze or seal in force for a further term (法释〔2015〕5号 art. 487,
 * art. 485 since 2022; rules.ts). It places no new hold and freezes no new money, so statistics count it
 * as a renewal of the hold named here, never as a second hold.
 */
export const RENEWAL_OF = {
  'renew-freeze': 'freeze',
  'renew-seal': 'seal',
} as const satisfies Readonly<Partial<Record<Measure, TermMeasure>>>;
export type RenewalMeasure = keyof typeof RENEWAL_OF;
export type HoldMeasure = (typeof RENEWAL_OF)[RenewalMeasure];

export function isRenewal(measure: string): measure is RenewalMeasure {
  return Object.hasOwn(RENEWAL_OF, measure);
}

export const NOTICE_STATUSES = ['issued', 'in-progress', 'completed', 'cancelled'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export const REQUEST_STATUSES = [
  'pending',
  'delivered',
  'acknowledged',
  'done',
  'partial',
  'cannot-assist',
  'refused',
  'failed',
  'cancelled',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const ANSWER_OUTCOMES = ['done', 'partial', 'cannot-assist', 'refused'] as const;
export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

export function isAnswerOutcome(value: unknown): value is AnswerOutcome {
  return typeof value === 'string' && (ANSWER_OUTCOMES as readonly string[]).includes(value);
}

export const DEBTOR_KINDS = ['person', 'organisation'] as const;
export type DebtorKind = (typeof DEBTOR_KINDS)[number];

/** The measure services: each owns the rules of some measures (`measureService`). */
export const MEASURE_SERVICES = ['query', 'freeze-deduct', 'punishment'] as const;
export type HubService = (typeof MEASURE_SERVICES)[number];

const SERVICE_OF_MEASURE: Readonly<Record<Measure, HubService>> = {
  query: 'query',
  locate: 'query',
  freeze: 'freeze-deduct',
  'renew-freeze': 'freeze-deduct',
  release: 'freeze-deduct',
  deduct: 'freeze-deduct',
  seal: 'freeze-deduct',
  'renew-seal': 'freeze-deduct',
  unseal: 'freeze-deduct',
  'dishonest-list': 'punishment',
  'dishonest-list-removal': 'punishment',
  'restrict-consumption': 'punishment',
  'restrict-exit': 'punishment',
  'restrict-consumption-lift': 'punishment',
  'restrict-exit-lift': 'punishment',
};

/** Which hub service owns the rules of a measure. Locating a person is an inquiry, so `query` owns it. */
export function measureService(measure: Measure): HubService {
  return SERVICE_OF_MEASURE[measure];
}

/**
 * Which measures each agency kind can carry out (DESIGN §4 SLA table). Public security seals vehicles
 * (交管), restricts exit (出入境) and locates people; every kind receives the punishment measures.
 */
export const AGENCY_MEASURES: Readonly<Record<AgencyKind, readonly Measure[]>> = {
  bank: ['query', 'freeze', 'renew-freeze', 'release', 'deduct'],
  'real-estate': ['query', 'seal', 'renew-seal', 'unseal'],
  'public-security': [
    'query',
    'seal',
    'renew-seal',
    'unseal',
    'restrict-exit',
    'restrict-exit-lift',
    'locate',
  ],
  'provident-fund': ['query', 'freeze', 'renew-freeze', 'release', 'deduct'],
};
const PUNISHMENT_FOR_ALL: readonly Measure[] = [
  'dishonest-list',
  'dishonest-list-removal',
  'restrict-consumption',
  'restrict-consumption-lift',
];

/**
 * Punishment measures are broadcast: a listing or restriction goes to every connected institution of every
 * agency kind that acts on it (the court's targets do not narrow it), and its removal or lifting to every
 * institution that received it.
 */
export const PUNISHMENT_MEASURES = [
  'dishonest-list',
  'dishonest-list-removal',
  'restrict-consumption',
  'restrict-consumption-lift',
  'restrict-exit',
  'restrict-exit-lift',
] as const satisfies readonly Measure[];
export type PunishmentMeasure = (typeof PUNISHMENT_MEASURES)[number];

/** What each withdrawing measure withdraws. */
export const WITHDRAWAL_OF: Readonly<Partial<Record<PunishmentMeasure, PunishmentMeasure>>> = {
  'dishonest-list-removal': 'dishonest-list',
  'restrict-consumption-lift': 'restrict-consumption',
  'restrict-exit-lift': 'restrict-exit',
};

export function isPunishmentMeasure(measure: Measure): measure is PunishmentMeasure {
  return (PUNISHMENT_MEASURES as readonly Measure[]).includes(measure);
}

/** The agency kinds that act on a measure: where a broadcast measure goes. */
export function agenciesActingOn(measure: Measure): AgencyKind[] {
  return AGENCY_KINDS.filter((a) => agencySupports(a, measure));
}

/** Params naming an asset, which a hold or deduction must name at each agency kind. */
export type AssetParam = 'accountNo' | 'unitNo' | 'plate';

/**
 * What a hold, its renewal, its release or a deduction must name at each agency kind: a freeze or deduction
 * acts on one account, a seal on one real-estate unit or one vehicle (查封、扣押、冻结规定 and the 协助执行通知书
 * forms name the account, the 不动产单元号, the plate). Renewals and releases name it too, so they reach the
 * very hold the hub placed and not every hold of the case at that institution. Provident-fund accounts are
 * named by `accountNo` as well, in the centre's own format (ids/asset-numbers.ts).
 */
export const REQUIRED_ASSET_PARAM: Readonly<Record<AgencyKind, Partial<Record<Measure, AssetParam>>>> = {
  bank: { freeze: 'accountNo', 'renew-freeze': 'accountNo', release: 'accountNo', deduct: 'accountNo' },
  'provident-fund': {
    freeze: 'accountNo',
    'renew-freeze': 'accountNo',
    release: 'accountNo',
    deduct: 'accountNo',
  },
  'real-estate': { seal: 'unitNo', 'renew-seal': 'unitNo', unseal: 'unitNo' },
  'public-security': { seal: 'plate', 'renew-seal': 'plate', unseal: 'plate' },
};

export function agencySupports(agency: AgencyKind, measure: Measure): boolean {
  return AGENCY_MEASURES[agency].includes(measure) || PUNISHMENT_FOR_ALL.includes(measure);
}

export function isMoneyMeasure(measure: Measure): measure is MoneyMeasure {
  return (MONEY_MEASURES as readonly Measure[]).includes(measure);
}

export function isTermMeasure(measure: Measure): measure is TermMeasure {
  return (TERM_MEASURES as readonly Measure[]).includes(measure);
}

export function isAgencyKind(value: unknown): value is AgencyKind {
  return typeof value === 'string' && (AGENCY_KINDS as readonly string[]).includes(value);
}

export function isMeasureService(value: unknown): value is HubService {
  return typeof value === 'string' && (MEASURE_SERVICES as readonly string[]).includes(value);
}

export function isMeasure(value: unknown): value is Measure {
  return typeof value === 'string' && (MEASURES as readonly string[]).includes(value);
}
