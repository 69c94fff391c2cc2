/**
 * The notice (协助执行通知书) as a court submits it: the public contract of DESIGN §6 (field names are the
 * contract). Unknown fields are errors, not silently dropped, so a court never believes it sent something the
 * hub ignored.
 */
import { z } from 'zod';
import {
  AGENCY_KINDS,
  agencySupports,
  isAgencyKind,
  isMeasure,
  isMoneyMeasure,
  isTermMeasure,
  MEASURES,
} from './glossary.ts';
import { isBankAccountNo, isRealEstateUnitNo, isVehiclePlate } from './ids/asset-numbers.ts';
import { PROVINCE_ABBREVIATIONS, parseCaseNo } from './ids/case-number.ts';
import { checkCreditCode } from './ids/credit-code.ts';
import { validateResidentId } from './ids/resident-id.ts';
import { ASSET_KIND_OF_AGENCY, maxTermDays, termRulesAt } from './rules.ts';
import { dottedPath, toValidationIssues, type ValidationIssue } from './validation-issues.ts';
import { INT32_MAX, wireSafetyIssues } from './wire-safe.ts';

/** Codes of custom issues; the zod issue's message is the code itself, the text below is for people. */
export const NOTICE_ISSUE_TEXT = {
  INVALID_RESIDENT_ID: 'not a valid 18-digit resident ID (GB 11643)',
  INVALID_CREDIT_CODE: 'not an 18-character unified social credit code (GB 32100)',
  CREDIT_CODE_CHECK_FAILED:
    'the credit code fails its GB 32100 check character; resubmit with confirmWarnings ["CREDIT_CODE_CHECK_FAILED"] if it is a genuine early pilot code',
  INVALID_CASE_NO: 'not a case number (案号) such as (2024)川0104执1234号 or (2015)苏执复字第00033号',
  INVALID_COURT_CODE: 'not a court code such as 川0104 (province abbreviation and digits)',
  INVALID_PHONE: 'not a phone number',
  INVALID_ACCOUNT_NO: 'not a bank account number (10–30 digits)',
  INVALID_UNIT_NO: 'not a 28-character real-estate unit number (不动产单元号)',
  INVALID_PLATE: 'not a vehicle plate number',
  AMOUNT_REQUIRED: 'amountFen is required for freeze, renew-freeze and deduct',
  TERM_EXCEEDS_LIMIT: 'termDays exceeds the legal maximum term for this asset',
  DUPLICATE_TARGET: 'the same agency and institution is targeted twice',
  MEASURE_NOT_SUPPORTED: 'this agency kind cannot carry out this measure',
  NO_TERM_RULES: 'no freeze or seal term rules were in force on issuedAt (before 2005)',
} as const;
export type NoticeIssueCode = keyof typeof NOTICE_ISSUE_TEXT;

/** Warnings an officer may confirm by listing them in `confirmWarnings`. */
export const CONFIRMABLE_WARNINGS = ['CREDIT_CODE_CHECK_FAILED'] as const;
export type ConfirmableWarning = (typeof CONFIRMABLE_WARNINGS)[number];

const issue = (code: NoticeIssueCode) => ({ message: code });
const text = (max: number) => z.string().trim().min(1).max(max);

const residentId = z.string().refine((s) => validateResidentId(s).ok, issue('INVALID_RESIDENT_ID'));
const COURT_CODE = new RegExp(`^(?:最高法|[${PROVINCE_ABBREVIATIONS}]\\d{0,4})$`, 'u');

export const courtSchema = z.strictObject({
  code: z.string().regex(COURT_CODE, issue('INVALID_COURT_CODE')),
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
  name: text(128),
  idNumber: residentId,
});

export const organisationDebtorSchema = z.strictObject({
  kind: z.literal('organisation'),
  name: text(256),
  // check-failed is decided at the notice level, where confirmWarnings is visible.
  creditCode: z.string().refine((s) => checkCreditCode(s) !== 'malformed', issue('INVALID_CREDIT_CODE')),
  legalRepresentative: z.strictObject({ name: text(128), idNumber: residentId }).optional(),
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
  accountNo: z.string().refine(isBankAccountNo, issue('INVALID_ACCOUNT_NO')).optional(),
  unitNo: z.string().refine(isRealEstateUnitNo, issue('INVALID_UNIT_NO')).optional(),
  plate: z.string().refine(isVehiclePlate, issue('INVALID_PLATE')).optional(),
});

const noticeShape = z.strictObject({
  noticeNo: text(64),
  caseNo: z.string().refine((s) => parseCaseNo(s) !== null, issue('INVALID_CASE_NO')),
  court: courtSchema,
  officer: officerSchema,
  debtor: debtorSchema,
  measure: z.enum(MEASURES),
  targets: z.array(targetSchema).min(1).max(20),
  params: paramsSchema,
  legalBasis: text(256),
  issuedAt: z.iso.datetime({ offset: true }),
  confirmWarnings: z
    .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/))
    .max(20)
    .optional(),
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

interface CrossIssue {
  code: NoticeIssueCode;
  path: (string | number)[];
}

/**
 * Rules across fields. Works on the raw input (fields possibly still invalid), so a court sees these problems
 * in the same answer as the field errors rather than one round later.
 */
function crossFieldIssues(value: Record<string, unknown>): CrossIssue[] {
  const out: CrossIssue[] = [];
  const measure = isMeasure(value.measure) ? value.measure : undefined;
  const params = isRecord(value.params) ? value.params : undefined;
  const targets = Array.isArray(value.targets) ? value.targets : [];

  if (measure && params && isMoneyMeasure(measure) && params.amountFen === undefined) {
    out.push({ code: 'AMOUNT_REQUIRED', path: ['params', 'amountFen'] });
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
  // the rules in force when the notice was issued.
  const termDays = params?.termDays;
  const issued = typeof value.issuedAt === 'string' ? new Date(value.issuedAt) : undefined;
  if (
    measure &&
    isTermMeasure(measure) &&
    typeof termDays === 'number' &&
    issued &&
    !Number.isNaN(issued.getTime())
  ) {
    const rules = termRulesInForce(issued);
    if (!rules) out.push({ code: 'NO_TERM_RULES', path: ['issuedAt'] });
    const exceeded = targets.some(
      (t) =>
        rules &&
        isRecord(t) &&
        isAgencyKind(t.agency) &&
        termDays > maxTermDays(rules, ASSET_KIND_OF_AGENCY[t.agency]),
    );
    if (exceeded) out.push({ code: 'TERM_EXCEEDS_LIMIT', path: ['params', 'termDays'] });
  }

  // GB 32100: a failed check char may be a genuine early pilot code, so it is an error only until confirmed.
  const debtor = isRecord(value.debtor) ? value.debtor : undefined;
  if (debtor?.kind === 'organisation' && typeof debtor.creditCode === 'string') {
    const confirmed =
      Array.isArray(value.confirmWarnings) && value.confirmWarnings.includes('CREDIT_CODE_CHECK_FAILED');
    if (checkCreditCode(debtor.creditCode) === 'check-failed' && !confirmed) {
      out.push({ code: 'CREDIT_CODE_CHECK_FAILED', path: ['debtor', 'creditCode'] });
    }
  }
  return out;
}

/** The term rules in force on `date`, or undefined for a date before any (a RangeError is not the court's 500). */
function termRulesInForce(date: Date): ReturnType<typeof termRulesAt> | undefined {
  try {
    return termRulesAt(date);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

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
 * Validates a submission. On success `warnings` lists the confirmed warnings that applied (an officer-confirmed
 * pilot credit code); on failure every issue, with dotted paths and stable codes.
 */
export function validateNotice(input: unknown): NoticeValidation {
  // The shape and the cross-field rules run separately so that both report even when the other fails.
  const result = noticeShape.safeParse(input);
  const cross = isRecord(input) ? crossFieldIssues(input) : [];
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
