/** Housing provident fund centre (住房公积金管理中心) answers: account inquiry and the money measures. */
import { z } from 'zod';
import { deductResultSchema, freezeResultSchema, releaseResultSchema } from './bank.js';
import { day, fen, holdsSchema, issue } from './shared.js';

// Personal provident-fund account numbers are the centre's own (digits, some with letters or hyphens),
// not bank account numbers, so the bank's 10–30 digit check would reject genuine ones.
const pfAccountNo = z.string().regex(/^[0-9A-Za-z-]{1,32}$/, issue('INVALID_PF_ACCOUNT_NO'));

export const providentFundQuerySchema = z.strictObject({
  account: z
    .strictObject({
      accountNo: pfAccountNo,
      balanceFen: fen,
      frozenFen: fen,
      status: z.enum(['active', 'sealed', 'closed']),
      monthlyDepositFen: fen,
      lastDepositAt: day.optional(),
      holds: holdsSchema,
    })
    .optional(),
});

export const providentFundFreezeSchema = freezeResultSchema(pfAccountNo);
export const providentFundReleaseSchema = releaseResultSchema(pfAccountNo);
export const providentFundDeductSchema = deductResultSchema(pfAccountNo);

export const PROVIDENT_FUND_RESULT_SCHEMAS = {
  query: providentFundQuerySchema,
  freeze: providentFundFreezeSchema,
  'renew-freeze': providentFundFreezeSchema,
  release: providentFundReleaseSchema,
  deduct: providentFundDeductSchema,
} as const;

export type ProvidentFundQueryResult = z.infer<typeof providentFundQuerySchema>;
