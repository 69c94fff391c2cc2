/**
 * The notice (协助执行通知书) as a court submits it: the public contract of DESIGN §6 (field names are the
 * contract). Unknown fields are errors, not silently dropped, so a court never believes it sent something the
 * hub ignored.
 */
import { z } from 'zod';
import { shanghaiDate } from './calendar.ts';
import {
  AGENCY_KINDS,
  agencySupports,
  isAgencyKind,
  isMeasure,
  isMoneyMeasure,
  isPunishmentMeasure,
  isTermMeasure,
  MEASURES,
  type Measure,
  OWED_MEASURES,
  REQUIRED_ASSET_PARAM,
} from './glossary.ts';
import { isBankAccountNo, isFundAccountNo, isRealEstateUnitNo, isVehiclePlate } from './ids/asset-numbers.ts';
import { canonicalCaseNo, caseNoBelongsTo, parseCaseNo } from './ids/case-number.ts';
import { isCourtCode } from './ids/court-code.ts';
import { checkCreditCode } from './ids/credit-code.ts';
import { normaliseResidentId, validateResidentId } from './ids/resident-id.ts';
import {
  DISHONEST_GROUND_CODES,
  dishonestListingTerm,
  exitBindsRole,
  isDishonestGround,
  isRemovalReason,
  RESPONSIBLE_ROLES,
} from './punishment.ts';
import { ASSET_KIND_OF_AGENCY, EARLIEST_TERM_RULES_DAY, findTermRules, maxTermDays } from './rules.ts';
import { dottedPath, toValidationIssues, type ValidationIssue } from './validation-issues.ts';
import { INT32_MAX, wireSafetyIssues } from './wire-safe.ts';

/** Codes of custom issues; the zod issue's message is the code itself, the text below is for people. */
export const NOTICE_ISSUE_TEXT = {
  INVALID_RESIDENT_ID: 'not a valid 18-digit resident ID (GB 11643)',
  INVISIBLE_CHARACTERS:
    'a name or notice number carries no control or invisible formatting characters (tab, zero-width space, direction override)',
  INVALID_CREDIT_CODE: 'not an 18-character unified social credit code (GB 32100)',
  CREDIT_CODE_CHECK_FAILED:
    'the credit code fails its GB 32100 check character; resubmit with confirmWarnings ["CREDIT_CODE_CHECK_FAILED"] if it is a genuine early pilot code',
  INVALID_CASE_NO:
    'not a case number (案号): (2024)川0104执1234号 from 2016 on, (2015)苏执复字第00033号 before 2016 (法〔2015〕137号)',
  CASE_NOT_OF_COURT:
    "the case number is another court's; a court files under its own 案号 unless a jurisdiction exception (交叉执行, 指定执行, 提级执行) names the deciding document",
  INVALID_DECISION_NO: 'not the number of the deciding document, e.g. (2026)川01执他12号决定书',
  INVALID_COURT_CODE:
    'not a court code: 最高法, or a province abbreviation alone (川), with 2 (川01) or 4 digits (川0104)',
  ISSUED_AT_OUT_OF_RANGE: `issuedAt is before ${EARLIEST_TERM_RULES_DAY} (the earliest rules the hub knows) or more than a day in the future`,
  INVALID_PHONE: 'not a phone number',
  INVALID_ACCOUNT_NO:
    'not an account number: a bank account is 10–30 digits, a provident-fund account up to 32 letters, digits or hyphens',
  INVALID_UNIT_NO: 'not a 28-character real-estate unit number (不动产单元号)',
  INVALID_PLATE: 'not a vehicle plate number',
  AMOUNT_REQUIRED: 'amountFen is required for freeze, renew-freeze and deduct',
  OWED_NOT_FOR_MEASURE:
    'owedFen (the amount owed, 执行标的 plus costs) goes only on a freeze, renew-freeze, release or deduct notice',
  AMOUNT_EXCEEDS_OWED:
    'amountFen is more than owedFen: nothing is frozen or deducted beyond what is owed plus costs',
  TERM_REQUIRED: 'termDays is required for freeze, renew-freeze, seal and renew-seal',
  ACCOUNT_REQUIRED:
    'accountNo is required for a freeze, renewal, release or deduction at a bank or provident-fund centre',
  UNIT_NO_REQUIRED: 'unitNo is required for a seal, renewal or unseal at a real-estate registry',
  PLATE_REQUIRED: 'plate is required for a vehicle seal, renewal or unseal at public security',
  TERM_EXCEEDS_LIMIT: 'termDays exceeds the legal maximum term for this asset',
  DUPLICATE_TARGET: 'the same agency and institution is targeted twice',
  MEASURE_NOT_SUPPORTED: 'this agency kind cannot carry out this measure',
  // The code zod gave an empty list before punishment notices could send theirs empty: kept for clients.
  TOO_SHORT:
    'targets must name at least one institution: only the punishment measures, which go to every institution acting on them, may send them empty',
  UNKNOWN_GROUND:
    'not a ground of 法释〔2017〕7号 art. 1: able-but-refuses, obstructs-enforcement, evades-enforcement, breaches-property-report, breaches-consumption-restriction, breaches-settlement',
  GROUND_REQUIRED: 'a dishonest-list notice names its ground (法释〔2017〕7号 art. 1)',
  PARAM_NOT_FOR_MEASURE: 'this parameter does not apply to this measure',
  LISTING_TERM_ENDED:
    'the listing’s whole term, counted from its decision (issuedAt), has already passed (法释〔2017〕7号 art. 2): there is nothing left to list',
  DUPLICATE_PERSON:
    'this person is already named in the notice (legal representative and responsible persons are different persons, each bound once)',
  DUPLICATE_GROUND: 'a ground is named twice (params.ground and otherGrounds are all different grounds)',
  EXTENSION_NOT_ALLOWED:
    'a listing is extended only for the aggravated ground (obstructs-enforcement) or several grounds, and only when it has a fixed term (法释〔2017〕7号 art. 2)',
  EXTENSION_EXCEEDS_RULES: 'extensionYears must be 1, 2 or 3 (法释〔2017〕7号 art. 2)',
  UNKNOWN_REMOVAL_REASON:
    'not a deletion reason of 法释〔2017〕7号 art. 10 or art. 12: performed, settlement-performed, applicant-request, no-property-found, suspended, not-enforced, terminated, expired, wrongful',
  REMOVAL_REASON_REQUIRED:
    'a dishonest-list-removal notice names its reason (法释〔2017〕7号 art. 10, art. 12)',
  GROUND_AROSE_AFTER_ISSUE: 'groundAroseAt is after the notice was issued',
  IN_THE_FUTURE: 'groundAroseAt is later than now: it dates conduct or a ground that has happened',
  LEGAL_REPRESENTATIVE_REQUIRED:
    'an organisation is listed or restricted together with its legal representative (法定代表人), who is bound with it and named on the list: name debtor.legalRepresentative (法释〔2015〕17号 art. 3; 法释〔2017〕7号 art. 6)',
  EXIT_RESTRICTION_NEEDS_PERSON:
    'exit restriction binds persons: for an organisation debtor name its legalRepresentative or responsiblePersons (principal, directly-responsible, actual-controller) it is imposed on (民事诉讼法 第二百六十六条; 执行程序解释 第三十七条)',
} as const;
export type NoticeIssueCode = keyof typeof NOTICE_ISSUE_TEXT;

/** Warnings an officer may confirm by listing them in `confirmWarnings`. */
export const CONFIRMABLE_WARNINGS = ['CREDIT_CODE_CHECK_FAILED'] as const;
export type ConfirmableWarning = (typeof CONFIRMABLE_WARNINGS)[number];

const issue = (code: NoticeIssueCode) => ({ message: code });
const text = (max: number) => z.string().trim().min(1).max(max);

/** Control and format characters (tab, zero-width space, direction overrides): no part of a name, they make one read as another. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
/**
 * A debtor's or bound person's name, as the public list shows it and partners match it: in Unicode NFC (a
 * decomposed "é" is the name written with the composed one; stored and sealed in that form), and without
 * invisible characters, which no one searching for the name would type.
 */
const personName = (max: number) =>
  text(max)
    .overwrite((s) => s.normalize('NFC'))
    .refine((s) => !INVISIBLE.test(s), issue('INVISIBLE_CHARACTERS'));

// GB 11643: normalised here (x → X, 15 digits → 18) so the stored and sealed notice carries the 18-digit form.
const residentId = z
  .string()
  .overwrite(normaliseResidentId)
  .refine((s) => validateResidentId(s).ok, issue('INVALID_RESIDENT_ID'));

export const courtSchema = z.strictObject({
  code: z.string().refine(isCourtCode, issue('INVALID_COURT_CODE')),
  name: text(128),
});

export const officerSchema = z.strictObject({
  name: text(64),
  phone: z
    .string()
    .regex(/^\+?[\d\- ()]{3,32}$/, issue('INVALID_PHONE'))
    .optional(),
});

export const personDebtorSchema = z.strictObject({
  kind: z.literal('person'),
  name: personName(128),
  idNumber: residentId,
});

export const organisationDebtorSchema = z.strictObject({
  kind: z.literal('organisation'),
  name: personName(256),
  // check-failed is decided at the notice level, where confirmWarnings is visible.
  creditCode: z.string().refine((s) => checkCreditCode(s) !== 'malformed', issue('INVALID_CREDIT_CODE')),
  legalRepresentative: z.strictObject({ name: personName(128), idNumber: residentId }).optional(),
  // 法释〔2015〕17号 art. 3: a consumption restriction of an organisation binds these persons too.
  responsiblePersons: z
    .array(z.strictObject({ role: z.enum(RESPONSIBLE_ROLES), name: personName(128), idNumber: residentId }))
    .max(20)
    .optional(),
});

export const debtorSchema = z.discriminatedUnion('kind', [personDebtorSchema, organisationDebtorSchema]);

export const targetSchema = z.strictObject({
  agency: z.enum(AGENCY_KINDS),
  institution: text(64).optional(),
});

export const paramsSchema = z.strictObject({
  // Bounded by what the wire carries: protobuf int64 read back as a safe integer, and int32.
  amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  termDays: z.number().int().positive().max(INT32_MAX).optional(),
  // 执行标的 plus costs, when the court states it on a money notice: recorded with the case (audited).
  owedFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  // Which shape applies depends on the target (bank or provident fund): checked across fields.
  accountNo: z
    .string()
    .refine((s) => isBankAccountNo(s) || isFundAccountNo(s), issue('INVALID_ACCOUNT_NO'))
    .optional(),
  unitNo: z.string().refine(isRealEstateUnitNo, issue('INVALID_UNIT_NO')).optional(),
  plate: z.string().refine(isVehiclePlate, issue('INVALID_PLATE')).optional(),
  // dishonest-list: the ground of 法释〔2017〕7号 art. 1, any further grounds (多项失信行为), and the decided
  // extension of the term (art. 2, 1–3 years). Judged across fields below.
  ground: z.string().refine(isDishonestGround, issue('UNKNOWN_GROUND')).optional(),
  otherGrounds: z
    .array(z.string().refine(isDishonestGround, issue('UNKNOWN_GROUND')))
    .max(DISHONEST_GROUND_CODES.length)
    .optional(),
  extensionYears: z.number().int().positive().max(INT32_MAX).optional(),
  // dishonest-list-removal: why (art. 10, art. 12), and when its ground arose (the 3 working days run from
  // it); a lifting (restrict-*-lift) may state when its ground arose too.
  removalReason: z.string().refine(isRemovalReason, issue('UNKNOWN_REMOVAL_REASON')).optional(),
  groundAroseAt: z.iso.datetime({ offset: true }).optional(),
});

/** The leading 案号 of a document number: (2026)川01执他12号决定书 → (2026)川01执他12号. */
const leadingCaseNo = (s: string) => s.trim().slice(0, s.trim().indexOf('号') + 1);

/** A notice number (通知书文号) is at most this many characters. */
export const NOTICE_NO_MAX = 64;

/**
 * A documented exception to "a court files under its own 案号": 交叉执行 (cross enforcement), 指定执行
 * (designated), 提级执行 (elevated) — each decided by a higher court (最高人民法院关于高级人民法院统一管理
 * 执行工作若干问题的规定 法发〔2000〕3号; 民事诉讼法 art. 235 on a higher court ordering another court to enforce),
 * whose decision is named by its number.
 */
export const jurisdictionSchema = z.strictObject({
  kind: z.enum(['cross', 'designated', 'elevated']),
  decisionNo: text(128).refine((s) => parseCaseNo(leadingCaseNo(s)) !== null, issue('INVALID_DECISION_NO')),
});

const noticeShape = z.strictObject({
  // The court's document number is its idempotency key: invisible characters would make one number two.
  noticeNo: text(NOTICE_NO_MAX).refine((s) => !INVISIBLE.test(s), issue('INVISIBLE_CHARACTERS')),
  // Stored, sealed and compared in its one spelling (canonicalCaseNo): a case is one case however it was typed.
  caseNo: z
    .string()
    .refine((s) => parseCaseNo(s) !== null, issue('INVALID_CASE_NO'))
    .transform((s) => canonicalCaseNo(s) ?? s),
  court: courtSchema,
  officer: officerSchema,
  debtor: debtorSchema,
  measure: z.enum(MEASURES),
  // Punishment measures go to every institution acting on them: their targets may be empty.
  targets: z.array(targetSchema).max(20),
  params: paramsSchema,
  legalBasis: text(256),
  issuedAt: z.iso.datetime({ offset: true }),
  jurisdiction: jurisdictionSchema.optional(),
  confirmWarnings: z
    .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/))
    .max(20)
    .optional(),
});

interface CrossIssue {
  code: NoticeIssueCode;
  path: (string | number)[];
}

export interface ValidateNoticeOptions {
  /** The caller's clock: issuedAt more than a day after it is refused. Without it only the lower bound applies. */
  now?: Date;
}

/** How far ahead of the hub's clock a court's clock may run before issuedAt is refused. */
const ISSUED_AT_MAX_AHEAD_MS = 86_400_000;
/** Clock skew allowed for groundAroseAt, which states something that has happened (as for agencies' signatures). */
const GROUND_AROSE_MAX_AHEAD_MS = 5 * 60_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const validDate = (v: unknown): Date | undefined => {
  if (typeof v !== 'string') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/**
 * Rules across fields. Works on the raw input (fields possibly still invalid), so a court sees these problems
 * in the same answer as the field errors rather than one round later.
 */
function crossFieldIssues(value: Record<string, unknown>, options: ValidateNoticeOptions = {}): CrossIssue[] {
  const out: CrossIssue[] = [];
  const measure = isMeasure(value.measure) ? value.measure : undefined;
  const params = isRecord(value.params) ? value.params : undefined;
  const targets = Array.isArray(value.targets) ? value.targets : [];
  const agencies = targets.flatMap((t) => (isRecord(t) && isAgencyKind(t.agency) ? [t.agency] : []));
  const issued = validDate(value.issuedAt);
  const issuedDay = issued && shanghaiDate(issued);

  // The window of issue times the hub can judge: not before its earliest rules, not ahead of its clock.
  if (
    issued &&
    issuedDay &&
    (issuedDay < EARLIEST_TERM_RULES_DAY ||
      (options.now && issued.getTime() > options.now.getTime() + ISSUED_AT_MAX_AHEAD_MS))
  ) {
    out.push({ code: 'ISSUED_AT_OUT_OF_RANGE', path: ['issuedAt'] });
  }

  // 法〔2015〕137号: a 案号 names the court that registered the case; another court may act under it only by a
  // higher court's decision (交叉执行, 指定执行, 提级执行), which the notice must name.
  const caseNo = typeof value.caseNo === 'string' ? parseCaseNo(value.caseNo) : null;
  const court = isRecord(value.court) && typeof value.court.code === 'string' ? value.court.code : undefined;
  if (
    caseNo &&
    court &&
    isCourtCode(court) &&
    !caseNoBelongsTo(caseNo, court) &&
    value.jurisdiction === undefined
  ) {
    out.push({ code: 'CASE_NOT_OF_COURT', path: ['caseNo'] });
  }

  if (measure && targets.length === 0 && !isPunishmentMeasure(measure)) {
    out.push({ code: 'TOO_SHORT', path: ['targets'] });
  }
  if (measure && params) out.push(...punishmentParamIssues(measure, params, issued, options.now));
  // An organisation's listing or consumption restriction binds its legal representative too, an entry of its own
  // that interception checks find: without the person named, the restriction would bind the organisation alone.
  if (
    (measure === 'dishonest-list' || measure === 'restrict-consumption') &&
    isRecord(value.debtor) &&
    value.debtor.kind === 'organisation' &&
    value.debtor.legalRepresentative === undefined
  ) {
    out.push({ code: 'LEGAL_REPRESENTATIVE_REQUIRED', path: ['debtor', 'legalRepresentative'] });
  }
  if (measure && isRecord(value.debtor) && exitRestrictionLacksPerson(measure, value.debtor)) {
    out.push({ code: 'EXIT_RESTRICTION_NEEDS_PERSON', path: ['debtor'] });
  }

  if (measure && params && isMoneyMeasure(measure) && params.amountFen === undefined) {
    out.push({ code: 'AMOUNT_REQUIRED', path: ['params', 'amountFen'] });
  }
  if (measure && params && params.owedFen !== undefined) {
    if (!OWED_MEASURES.includes(measure))
      out.push({ code: 'OWED_NOT_FOR_MEASURE', path: ['params', 'owedFen'] });
    // 查封规定 against excessive seizure: never ask for more than is owed.
    else if (
      typeof params.amountFen === 'number' &&
      typeof params.owedFen === 'number' &&
      params.amountFen > params.owedFen
    )
      out.push({ code: 'AMOUNT_EXCEEDS_OWED', path: ['params', 'amountFen'] });
  }
  if (measure && params && isTermMeasure(measure) && params.termDays === undefined) {
    out.push({ code: 'TERM_REQUIRED', path: ['params', 'termDays'] });
  }
  if (measure && params) {
    const required = new Set(agencies.map((a) => REQUIRED_ASSET_PARAM[a][measure]));
    const codes = {
      accountNo: 'ACCOUNT_REQUIRED',
      unitNo: 'UNIT_NO_REQUIRED',
      plate: 'PLATE_REQUIRED',
    } as const;
    for (const param of ['accountNo', 'unitNo', 'plate'] as const) {
      if (required.has(param) && params[param] === undefined)
        out.push({ code: codes[param], path: ['params', param] });
    }
  }
  // A bank account is a bank's shape even where a provident-fund number would pass the field check.
  if (
    typeof params?.accountNo === 'string' &&
    agencies.includes('bank') &&
    !isBankAccountNo(params.accountNo)
  ) {
    out.push({ code: 'INVALID_ACCOUNT_NO', path: ['params', 'accountNo'] });
  }

  const seen = new Set<string>();
  targets.forEach((t, i) => {
    if (!isRecord(t) || !isAgencyKind(t.agency)) return;
    const key = `${t.agency}\u0000${typeof t.institution === 'string' ? t.institution.trim() : ''}`;
    if (seen.has(key)) out.push({ code: 'DUPLICATE_TARGET', path: ['targets', i] });
    seen.add(key);
    if (measure && !agencySupports(t.agency, measure)) {
      out.push({ code: 'MEASURE_NOT_SUPPORTED', path: ['targets', i, 'agency'] });
    }
  });

  // 民事诉讼法解释 (2015) art. 487: a freeze or seal term never exceeds the maximum for its asset kind, under
  // the rules in force when the notice was issued, counted from the issue day to the corresponding date
  // (民法典 art. 202). No rules before the earliest version: reported above as ISSUED_AT_OUT_OF_RANGE.
  const termDays = params?.termDays;
  const rules = issuedDay ? findTermRules(issuedDay) : undefined;
  if (measure && isTermMeasure(measure) && typeof termDays === 'number' && rules && issuedDay) {
    const exceeded = agencies.some((a) => termDays > maxTermDays(rules, ASSET_KIND_OF_AGENCY[a], issuedDay));
    if (exceeded) out.push({ code: 'TERM_EXCEEDS_LIMIT', path: ['params', 'termDays'] });
  }

  // GB 11643: a birth date after the notice was issued, or over 130 years before, is no real debtor's.
  const debtor = isRecord(value.debtor) ? value.debtor : undefined;
  if (issuedDay && debtor) {
    for (const [raw, path] of personIds(debtor)) {
      const id = normaliseResidentId(raw);
      if (validateResidentId(id).ok && !validateResidentId(id, { asOf: issuedDay }).ok) {
        out.push({ code: 'INVALID_RESIDENT_ID', path });
      }
    }
  }
  // One person named twice in one notice (legal representative and a responsible person, or two responsible
  // persons) would be bound twice, each an entry of its own: the second naming is refused.
  if (debtor) {
    const seen = new Set<string>();
    for (const [raw, path] of personIds(debtor).filter(([, p]) => p.length > 2)) {
      const id = normaliseResidentId(raw);
      if (!validateResidentId(id).ok) continue;
      if (seen.has(id)) out.push({ code: 'DUPLICATE_PERSON', path });
      seen.add(id);
    }
  }

  // GB 32100: a failed check char may be a genuine early pilot code, so it is an error only until confirmed.
  if (debtor?.kind === 'organisation' && typeof debtor.creditCode === 'string') {
    const confirmed =
      Array.isArray(value.confirmWarnings) && value.confirmWarnings.includes('CREDIT_CODE_CHECK_FAILED');
    if (checkCreditCode(debtor.creditCode) === 'check-failed' && !confirmed) {
      out.push({ code: 'CREDIT_CODE_CHECK_FAILED', path: ['debtor', 'creditCode'] });
    }
  }
  return out;
}

/** Every resident ID a debtor names, with its path: the debtor's own, its legal representative's, each responsible person's. */
function personIds(debtor: Record<string, unknown>): [string, (string | number)[]][] {
  const out: [string, (string | number)[]][] = [];
  if (typeof debtor.idNumber === 'string') out.push([debtor.idNumber, ['debtor', 'idNumber']]);
  const rep = debtor.legalRepresentative;
  if (isRecord(rep) && typeof rep.idNumber === 'string')
    out.push([rep.idNumber, ['debtor', 'legalRepresentative', 'idNumber']]);
  if (Array.isArray(debtor.responsiblePersons))
    debtor.responsiblePersons.forEach((p, i) => {
      if (isRecord(p) && typeof p.idNumber === 'string')
        out.push([p.idNumber, ['debtor', 'responsiblePersons', i, 'idNumber']]);
    });
  return out;
}

/** What a punishment notice must and must not carry (法释〔2017〕7号 arts. 1, 2, 10, 12; 法释〔2015〕17号 art. 3). */
function punishmentParamIssues(
  measure: Measure,
  params: Record<string, unknown>,
  issued: Date | undefined,
  now?: Date,
): CrossIssue[] {
  const out: CrossIssue[] = [];
  const listing = measure === 'dishonest-list';
  for (const key of ['ground', 'otherGrounds', 'extensionYears'] as const) {
    if (!listing && params[key] !== undefined)
      out.push({ code: 'PARAM_NOT_FOR_MEASURE', path: ['params', key] });
  }
  // A punishment's term is the rules' (a listing's 2 years plus extensionYears; restrictions until lifted), never
  // the court's termDays, and it moves no money or property: these would be sealed and sent to the agencies,
  // which would act on a term or an account the hub itself ignores.
  if (isPunishmentMeasure(measure)) {
    for (const key of ['termDays', 'amountFen', 'accountNo', 'unitNo', 'plate'] as const) {
      if (params[key] !== undefined) out.push({ code: 'PARAM_NOT_FOR_MEASURE', path: ['params', key] });
    }
  }
  if (measure !== 'dishonest-list-removal' && params.removalReason !== undefined) {
    out.push({ code: 'PARAM_NOT_FOR_MEASURE', path: ['params', 'removalReason'] });
  }
  // A listing's groundAroseAt dates the conduct it lists (a relisting on conduct after a deletion, art. 10 第三款).
  if (!WITHDRAWING.includes(measure) && !listing && params.groundAroseAt !== undefined) {
    out.push({ code: 'PARAM_NOT_FOR_MEASURE', path: ['params', 'groundAroseAt'] });
  }
  if (listing && params.ground === undefined)
    out.push({ code: 'GROUND_REQUIRED', path: ['params', 'ground'] });
  if (measure === 'dishonest-list-removal' && params.removalReason === undefined) {
    out.push({ code: 'REMOVAL_REASON_REQUIRED', path: ['params', 'removalReason'] });
  }
  const others = Array.isArray(params.otherGrounds) ? params.otherGrounds : [];
  others.forEach((g, i) => {
    if (g === params.ground || others.indexOf(g) < i)
      out.push({ code: 'DUPLICATE_GROUND', path: ['params', 'otherGrounds', i] });
  });
  const grounds = [params.ground, ...others].filter(isDishonestGround);
  if (listing && isDishonestGround(params.ground)) {
    const extension = typeof params.extensionYears === 'number' ? params.extensionYears : 0;
    const term = dishonestListingTerm(grounds, issued ?? new Date(0), extension);
    if (!term.ok) out.push({ code: term.code, path: ['params', 'extensionYears'] });
    // The term runs from the decision (法释〔2017〕7号 arts. 2, 5: 决定书自作出之日起生效), the notice's issuedAt: a
    // decision whose whole term has passed lists no one; listing it now would run it past its legal term.
    else if (issued && now && term.endsAt && term.endsAt.getTime() <= now.getTime())
      out.push({ code: 'LISTING_TERM_ENDED', path: ['issuedAt'] });
  }
  const arose = validDate(params.groundAroseAt);
  if (arose && issued && arose.getTime() > issued.getTime()) {
    out.push({ code: 'GROUND_AROSE_AFTER_ISSUE', path: ['params', 'groundAroseAt'] });
  } else if (arose && now && arose.getTime() > now.getTime() + GROUND_AROSE_MAX_AHEAD_MS) {
    // issuedAt may run a day ahead of the hub's clock; conduct or a ground for deletion cannot lie in the future
    // (it would pass the relisting bar as new conduct, or push a deletion's 3-working-day deadline back).
    out.push({ code: 'IN_THE_FUTURE', path: ['params', 'groundAroseAt'] });
  }
  return out;
}

/**
 * An organisation's exit restriction (and its lifting) is imposed on named persons
 * (EXIT_RESTRICTION_OF_ORGANISATION): the notice must name at least one.
 */
function exitRestrictionLacksPerson(measure: Measure, debtor: Record<string, unknown>): boolean {
  if (measure !== 'restrict-exit' && measure !== 'restrict-exit-lift') return false;
  if (debtor.kind !== 'organisation') return false;
  const rep = isRecord(debtor.legalRepresentative) ? [debtor.legalRepresentative] : [];
  const others = (Array.isArray(debtor.responsiblePersons) ? debtor.responsiblePersons : []).filter(
    (p) => isRecord(p) && typeof p.role === 'string' && exitBindsRole(p.role),
  );
  return ![...rep, ...others].some((p) => isRecord(p) && typeof p.idNumber === 'string' && p.idNumber !== '');
}

const WITHDRAWING: readonly Measure[] = [
  'dishonest-list-removal',
  'restrict-consumption-lift',
  'restrict-exit-lift',
];

export const noticeSubmissionSchema = noticeShape.superRefine((value, ctx) => {
  for (const { code, path } of crossFieldIssues(value)) ctx.addIssue({ code: 'custom', message: code, path });
});

export type NoticeSubmission = z.infer<typeof noticeSubmissionSchema>;
export type Debtor = z.infer<typeof debtorSchema>;
export type Target = z.infer<typeof targetSchema>;
export type NoticeParams = z.infer<typeof paramsSchema>;
export type Court = z.infer<typeof courtSchema>;
export type Officer = z.infer<typeof officerSchema>;

export type NoticeValidation =
  | { ok: true; value: NoticeSubmission; warnings: string[] }
  | { ok: false; issues: ValidationIssue[] };

/**
 * Validates a submission; `options.now` is the caller's clock (the gateway passes its own). On success the
 * value is normalised (resident IDs in their 18-digit form) and `warnings` lists the confirmed warnings that applied (an officer-confirmed
 * pilot credit code); on failure every issue, with dotted paths and stable codes.
 */
export function validateNotice(input: unknown, options: ValidateNoticeOptions = {}): NoticeValidation {
  // The shape and the cross-field rules run separately so that both report even when the other fails.
  const result = noticeShape.safeParse(input);
  const cross = isRecord(input) ? crossFieldIssues(input, options) : [];
  const unsafe = wireSafetyIssues(input);
  if (!result.success || cross.length > 0 || unsafe.length > 0) {
    const issues = [...unsafe, ...toValidationIssues(result.error?.issues ?? [], input, NOTICE_ISSUE_TEXT)];
    for (const { code, path } of cross) {
      issues.push({ path: dottedPath(path), code, message: NOTICE_ISSUE_TEXT[code] });
    }
    return { ok: false, issues };
  }
  const warnings: string[] = [];
  const { debtor } = result.data;
  if (debtor.kind === 'organisation' && checkCreditCode(debtor.creditCode) === 'check-failed') {
    warnings.push('CREDIT_CODE_CHECK_FAILED');
  }
  return { ok: true, value: result.data, warnings };
}

/** Whether every issue is a warning the officer could confirm: the gateway answers 422, not 400. */
export function needsConfirmationOnly(issues: readonly ValidationIssue[]): boolean {
  return (
    issues.length > 0 && issues.every((i) => (CONFIRMABLE_WARNINGS as readonly string[]).includes(i.code))
  );
}
