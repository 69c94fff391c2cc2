/** Bank (银行) answers: deposit inquiry, and the money measures freeze / renew / release / deduct. */
import { isBankAccountNo } from '@hub/domain';
import { z } from 'zod';
import { day, fen, holdsSchema, issue, measureReceiptSchema, text } from './shared.js';

const bankAccountNo = z.string().refine(isBankAccountNo, issue('INVALID_ACCOUNT_NO'));

export const bankQuerySchema = z.strictObject({
  accounts: z
    .array(
      z.strictObject({
        accountNo: bankAccountNo,
        accountType: z.enum(['demand', 'time', 'other']),
        currency: z.string().regex(/^[A-Z]{3}$/), // ISO 4217; CNY for almost all
        balanceFen: fen,
        // Defaulted and optional for the banks (and agency-sim) that answered before these fields existed.
        frozenFen: fen.default(0),
        holds: holdsSchema.optional(),
        openedAt: day.optional(),
      }),
    )
    .max(1000),
});

/**
 * The money-measure results, shared with the provident fund, whose account numbers are not bank numbers.
 * `frozenFen` may fall short of the request (the balance is smaller) but never exceeds it; a queued (轮候)
 * freeze holds nothing until the earlier holds lift.
 */
export function freezeResultSchema(accountNo: z.ZodType<string>) {
  return z
    .strictObject({ accountNo, requestedFen: fen, frozenFen: fen, receipt: measureReceiptSchema })
    .superRefine((v, ctx) => {
      if (v.frozenFen > v.requestedFen) {
        ctx.addIssue({ code: 'custom', path: ['frozenFen'], ...issue('FROZEN_EXCEEDS_REQUESTED') });
      }
      if (!v.receipt.effective && v.frozenFen !== 0) {
        ctx.addIssue({ code: 'custom', path: ['frozenFen'], ...issue('QUEUED_FREEZE_HAS_AMOUNT') });
      }
    });
}

export function releaseResultSchema(accountNo: z.ZodType<string>) {
  return z.strictObject({ accountNo, releasedFen: fen, receipt: measureReceiptSchema });
}

/** Whether the deduction stayed within the court's own frozen amount is the freeze-deduct service's check. */
export function deductResultSchema(accountNo: z.ZodType<string>) {
  return z
    .strictObject({
      accountNo,
      requestedFen: fen,
      deductedFen: fen,
      transferRef: text(64),
      balanceAfterFen: fen,
    })
    .superRefine((v, ctx) => {
      if (v.deductedFen > v.requestedFen) {
        ctx.addIssue({ code: 'custom', path: ['deductedFen'], ...issue('DEDUCTED_EXCEEDS_REQUESTED') });
      }
    });
}

export const bankFreezeSchema = freezeResultSchema(bankAccountNo);
export const bankReleaseSchema = releaseResultSchema(bankAccountNo);
export const bankDeductSchema = deductResultSchema(bankAccountNo);

export const BANK_RESULT_SCHEMAS = {
  query: bankQuerySchema,
  freeze: bankFreezeSchema,
  'renew-freeze': bankFreezeSchema,
  release: bankReleaseSchema,
  deduct: bankDeductSchema,
} as const;

export type BankQueryResult = z.infer<typeof bankQuerySchema>;
export type FreezeResult = z.infer<typeof bankFreezeSchema>;
export type ReleaseResult = z.infer<typeof bankReleaseSchema>;
export type DeductResult = z.infer<typeof bankDeductSchema>;
