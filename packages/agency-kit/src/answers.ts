import { bankQuerySchema } from '@hub/contracts/answers';
import { ANSWER_OUTCOMES } from '@hub/domain';
import { z } from 'zod';

export * from '@hub/contracts/answers';

/** What a bank reports for a deposit inquiry (查询); kept under its first name for existing adapters. */
export const bankQueryResult = bankQuerySchema;

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
