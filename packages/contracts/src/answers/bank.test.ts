import { describe, expect, it } from 'vitest';
import { bankDeductSchema, bankFreezeSchema, bankQuerySchema, bankReleaseSchema } from './bank.js';
import {
  BANK_ACCOUNT,
  bankDeduct,
  bankFreeze,
  bankQuery,
  bankQueuedFreeze,
  bankRelease,
  hold,
  issuesOf,
  queuedReceipt,
  receipt,
} from './test-support.js';

const account = bankQuery.accounts[0]!;

describe('bank results accept', () => {
  it.each([
    ['a query with holds and an account without any', bankQuerySchema, bankQuery],
    ['a query finding nothing', bankQuerySchema, { accounts: [] }],
    ['a partial freeze (balance below the request)', bankFreezeSchema, bankFreeze],
    ['a full freeze', bankFreezeSchema, { ...bankFreeze, frozenFen: bankFreeze.requestedFen }],
    ['a queued freeze holding nothing yet', bankFreezeSchema, bankQueuedFreeze],
    ['a release', bankReleaseSchema, bankRelease],
    ['a deduction', bankDeductSchema, bankDeduct],
    [
      'a deduction short of the request',
      bankDeductSchema,
      { ...bankDeduct, deductedFen: 1, balanceAfterFen: 0 },
    ],
  ])('%s', (_, schema, input) => {
    expect(schema.parse(input)).toEqual(input);
  });

  it('a query as banks answered before holds existed, frozenFen defaulting to 0', () => {
    const legacy = { accountNo: BANK_ACCOUNT, accountType: 'demand', currency: 'CNY', balanceFen: 100 };
    expect(bankQuerySchema.parse({ accounts: [legacy] })).toEqual({
      accounts: [{ ...legacy, frozenFen: 0 }],
    });
  });
});

describe('bank results reject', () => {
  const query = (patch: object) => ({ accounts: [{ ...account, ...patch }] });
  it.each([
    ['a negative balance', bankQuerySchema, query({ balanceFen: -1 }), 'accounts.0.balanceFen', 'TOO_SMALL'],
    [
      'a balance in yuan',
      bankQuerySchema,
      query({ balanceFen: 12.5 }),
      'accounts.0.balanceFen',
      'NOT_INTEGER',
    ],
    [
      'a balance as text',
      bankQuerySchema,
      query({ balanceFen: '100' }),
      'accounts.0.balanceFen',
      'INVALID_TYPE',
    ],
    [
      'a spaced account number',
      bankQuerySchema,
      query({ accountNo: '6222 0202 0011' }),
      'accounts.0.accountNo',
      'INVALID_ACCOUNT_NO',
    ],
    [
      'an unknown account type',
      bankQuerySchema,
      query({ accountType: 'loan' }),
      'accounts.0.accountType',
      'INVALID_VALUE',
    ],
    [
      'an unknown key on an account',
      bankQuerySchema,
      query({ branch: '锦江支行' }),
      'accounts.0.branch',
      'UNKNOWN_FIELD',
    ],
    [
      'a hold without a case number',
      bankQuerySchema,
      query({ holds: [{ ...hold, caseNo: undefined }] }),
      'accounts.0.holds.0.caseNo',
      'REQUIRED',
    ],
    ['an unknown key on the result', bankQuerySchema, { ...bankQuery, total: 1 }, 'total', 'UNKNOWN_FIELD'],
    [
      'more than 1000 accounts',
      bankQuerySchema,
      { accounts: Array(1001).fill(account) },
      'accounts',
      'TOO_LONG',
    ],
    [
      'frozen above requested',
      bankFreezeSchema,
      { ...bankFreeze, frozenFen: bankFreeze.requestedFen + 1 },
      'frozenFen',
      'FROZEN_EXCEEDS_REQUESTED',
    ],
    [
      'a queued freeze holding money',
      bankFreezeSchema,
      { ...bankFreeze, receipt: queuedReceipt },
      'frozenFen',
      'QUEUED_FREEZE_HAS_AMOUNT',
    ],
    [
      'an inconsistent receipt',
      bankFreezeSchema,
      { ...bankFreeze, receipt: { ...receipt, queuePosition: 3 } },
      'receipt.queuePosition',
      'QUEUE_POSITION_MISMATCH',
    ],
    [
      'a freeze without a receipt',
      bankFreezeSchema,
      { ...bankFreeze, receipt: undefined },
      'receipt',
      'REQUIRED',
    ],
    [
      'a negative release',
      bankReleaseSchema,
      { ...bankRelease, releasedFen: -5 },
      'releasedFen',
      'TOO_SMALL',
    ],
    [
      'deducted above requested',
      bankDeductSchema,
      { ...bankDeduct, deductedFen: 1_000_001 },
      'deductedFen',
      'DEDUCTED_EXCEEDS_REQUESTED',
    ],
    [
      'a deduction without transfer reference',
      bankDeductSchema,
      { ...bankDeduct, transferRef: '' },
      'transferRef',
      'TOO_SHORT',
    ],
    [
      'a float balance after',
      bankDeductSchema,
      { ...bankDeduct, balanceAfterFen: 0.1 },
      'balanceAfterFen',
      'NOT_INTEGER',
    ],
  ])('%s', (_, schema, input, path, code) => {
    expect(issuesOf(schema, input)).toEqual([{ path, code }]);
  });
});
