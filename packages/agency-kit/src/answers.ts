import { ANSWER_OUTCOMES, isBankAccountNo } from '@hub/domain';
import { z } from 'zod';

const fen = z.number().int().nonnegative();

/** What a bank reports for a deposit inquiry (查询): every account of the debtor, balances in fen. */
export const bankQueryResult = z.strictObject({
  accounts: z
    .array(
      z.strictObject({
        accountNo: z.string().refine(isBankAccountNo, { message: 'INVALID_ACCOUNT_NO' }),
        accountType: z.enum(['demand', 'time', 'other']),
        currency: z.string().regex(/^[A-Z]{3}$/),
        balanceFen: fen,
        frozenFen: fen.default(0),
        openedAt: z.iso.date().optional(),
      }),
    )
    .max(1000),
});

/** An agency's answer (DESIGN §3): done/partial carry results; cannot-assist/refused carry a reason. */
export function answerSchema(result: z.ZodType) {
  return z.discriminatedUnion('outcome', [
    z.strictObject({ outcome: z.literal('done'), result, reason: z.string().max(500).optional() }),
    z.strictObject({ outcome: z.literal('partial'), result, reason: z.string().min(1).max(500) }),
    z.strictObject({ outcome: z.literal('cannot-assist'), reason: z.string().trim().min(1).max(500) }),
    z.strictObject({ outcome: z.literal('refused'), reason: z.string().trim().min(1).max(500) }),
  ]);
}

export type Answer =
  | { outcome: 'done' | 'partial'; result: unknown; reason?: string }
  | { outcome: 'cannot-assist' | 'refused'; reason: string };

export const OUTCOMES = ANSWER_OUTCOMES;
