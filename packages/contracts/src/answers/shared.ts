/**
 * Pieces every agency's answer shares (docs/agency-answers.md): the holds already on an asset, the receipt
 * for a measure carried out, and the result of a punishment measure. Money is integer fen; days are
 * `YYYY-MM-DD`, instants carry an offset.
 */
import { courtSchema, isCaseNo, NOTICE_ISSUE_TEXT } from '@hub/domain';
import { z } from 'zod';

/** Codes of custom issues in answer results; the zod issue's message is the code, the text is for people. */
export const ANSWER_ISSUE_TEXT = {
  INVALID_ACCOUNT_NO: NOTICE_ISSUE_TEXT.INVALID_ACCOUNT_NO,
  INVALID_UNIT_NO: NOTICE_ISSUE_TEXT.INVALID_UNIT_NO,
  INVALID_PLATE: NOTICE_ISSUE_TEXT.INVALID_PLATE,
  INVALID_COURT_CODE: NOTICE_ISSUE_TEXT.INVALID_COURT_CODE,
  INVALID_CASE_NO: NOTICE_ISSUE_TEXT.INVALID_CASE_NO,
  MEASURE_NOT_SUPPORTED: NOTICE_ISSUE_TEXT.MEASURE_NOT_SUPPORTED,
  INVALID_PF_ACCOUNT_NO: 'not a provident-fund account number (1–32 letters, digits or hyphens)',
  INVALID_VIN: 'not a 17-character vehicle identification number (ISO 3779, no I, O or Q)',
  TERM_ENDS_BEFORE_START: 'until is earlier than from',
  QUEUE_POSITION_MISMATCH: 'effective must be true exactly when queuePosition is 0',
  FROZEN_EXCEEDS_REQUESTED: 'frozenFen exceeds requestedFen',
  QUEUED_FREEZE_HAS_AMOUNT: 'a queued (轮候) freeze has frozenFen 0 until it takes effect',
  DEDUCTED_EXCEEDS_REQUESTED: 'deductedFen exceeds requestedFen',
  INVALID_JSON: 'the result is not JSON text',
} as const;
export type AnswerIssueCode = keyof typeof ANSWER_ISSUE_TEXT;

export const issue = (code: AnswerIssueCode) => ({ message: code });
export const text = (max: number) => z.string().trim().min(1).max(max);
export const fen = z.number().int().nonnegative();
export const day = z.iso.date();
export const instant = z.iso.datetime({ offset: true });
export const registrationNo = text(64);

/** At most this many holds on one asset: queues (轮候) of a few dozen courts happen, hundreds do not. */
export const MAX_HOLDS = 200;

/** Term order on a `{ from, until }` pair of days; ISO days compare as strings. */
function termInOrder(v: { from?: string | undefined; until?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.from !== undefined && v.until !== undefined && v.until < v.from) {
    ctx.addIssue({ code: 'custom', path: ['until'], ...issue('TERM_ENDS_BEFORE_START') });
  }
}

const holdShape = {
  court: courtSchema.shape.code,
  caseNo: z.string().refine(isCaseNo, issue('INVALID_CASE_NO')),
  from: day,
  until: day,
  // 0 = in effect; 1, 2, … = queued (轮候) in the order the notices were served.
  queuePosition: z.number().int().nonnegative(),
};

/** An existing freeze on money (an account, a provident-fund balance): may state the amount it holds. */
export const holdSchema = z
  .strictObject({ ...holdShape, amountFen: fen.optional() })
  .superRefine(termInOrder);

/** An existing seal on a thing (real estate, a vehicle): no amount. */
export const assetHoldSchema = z.strictObject(holdShape).superRefine(termInOrder);

export const holdsSchema = z.array(holdSchema).max(MAX_HOLDS);
export const assetHoldsSchema = z.array(assetHoldSchema).max(MAX_HOLDS);

/** The agency's receipt (回执) for freeze / renew / release / seal / unseal. */
export const measureReceiptSchema = z
  .strictObject({
    effective: z.boolean(),
    queuePosition: z.number().int().nonnegative(),
    from: day.optional(),
    until: day.optional(),
    registrationNo,
  })
  .superRefine((v, ctx) => {
    if (v.effective !== (v.queuePosition === 0)) {
      ctx.addIssue({ code: 'custom', path: ['queuePosition'], ...issue('QUEUE_POSITION_MISMATCH') });
    }
    termInOrder(v, ctx);
  });

/**
 * dishonest-list, dishonest-list-removal, restrict-consumption and its lifting: every agency kind answers
 * the same, confirming it registered (or withdrew) the measure.
 */
export const punishmentResultSchema = z.strictObject({
  applied: z.literal(true),
  registrationNo,
  effectiveAt: instant,
});

export const PUNISHMENT_RESULT_SCHEMAS = {
  'dishonest-list': punishmentResultSchema,
  'dishonest-list-removal': punishmentResultSchema,
  'restrict-consumption': punishmentResultSchema,
  'restrict-consumption-lift': punishmentResultSchema,
} as const;

export type Hold = z.infer<typeof holdSchema>;
export type AssetHold = z.infer<typeof assetHoldSchema>;
export type MeasureReceipt = z.infer<typeof measureReceiptSchema>;
export type PunishmentResult = z.infer<typeof punishmentResultSchema>;
