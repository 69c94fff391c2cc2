import { describe, expect, it } from 'vitest';
import {
  providentFundDeductSchema,
  providentFundFreezeSchema,
  providentFundQuerySchema,
  providentFundReleaseSchema,
} from './provident-fund.js';
import {
  BANK_ACCOUNT,
  hold,
  issuesOf,
  pfDeduct,
  pfFreeze,
  pfRelease,
  providentFundQuery,
  queuedReceipt,
} from './test-support.js';

const account = providentFundQuery.account;
const query = (patch: object) => ({ account: { ...account, ...patch } });

describe('provident-fund results accept', () => {
  it.each([
    ['a query', providentFundQuerySchema, providentFundQuery],
    ['a query finding no account', providentFundQuerySchema, {}],
    [
      'a sealed account with a money hold',
      providentFundQuerySchema,
      query({ status: 'sealed', frozenFen: 100, holds: [{ ...hold, amountFen: 100 }] }),
    ],
    [
      'an account number with letters and a hyphen',
      providentFundQuerySchema,
      query({ accountNo: 'GJJ-0100123456' }),
    ],
    ['a bank-style account number', providentFundFreezeSchema, { ...pfFreeze, accountNo: BANK_ACCOUNT }],
    ['a freeze', providentFundFreezeSchema, pfFreeze],
    ['a queued freeze', providentFundFreezeSchema, { ...pfFreeze, frozenFen: 0, receipt: queuedReceipt }],
    ['a release', providentFundReleaseSchema, pfRelease],
    ['a deduction', providentFundDeductSchema, pfDeduct],
  ])('%s', (_, schema, input) => {
    expect(schema.parse(input)).toEqual(input);
  });
});

describe('provident-fund results reject', () => {
  it.each([
    [
      'an unknown status',
      providentFundQuerySchema,
      query({ status: 'frozen' }),
      'account.status',
      'INVALID_VALUE',
    ],
    [
      'a negative monthly deposit',
      providentFundQuerySchema,
      query({ monthlyDepositFen: -1 }),
      'account.monthlyDepositFen',
      'TOO_SMALL',
    ],
    [
      'a missing frozen amount',
      providentFundQuerySchema,
      query({ frozenFen: undefined }),
      'account.frozenFen',
      'REQUIRED',
    ],
    [
      'an account number with spaces',
      providentFundQuerySchema,
      query({ accountNo: '5101 0012' }),
      'account.accountNo',
      'INVALID_PF_ACCOUNT_NO',
    ],
    [
      'an unknown key',
      providentFundQuerySchema,
      query({ employer: '某某公司' }),
      'account.employer',
      'UNKNOWN_FIELD',
    ],
    [
      'frozen above requested',
      providentFundFreezeSchema,
      { ...pfFreeze, frozenFen: pfFreeze.requestedFen + 1 },
      'frozenFen',
      'FROZEN_EXCEEDS_REQUESTED',
    ],
    [
      'a queued freeze holding money',
      providentFundFreezeSchema,
      { ...pfFreeze, receipt: queuedReceipt },
      'frozenFen',
      'QUEUED_FREEZE_HAS_AMOUNT',
    ],
    [
      'a fractional release',
      providentFundReleaseSchema,
      { ...pfRelease, releasedFen: 0.5 },
      'releasedFen',
      'NOT_INTEGER',
    ],
    [
      'deducted above requested',
      providentFundDeductSchema,
      { ...pfDeduct, deductedFen: pfDeduct.requestedFen + 1 },
      'deductedFen',
      'DEDUCTED_EXCEEDS_REQUESTED',
    ],
  ])('%s', (_, schema, input, path, code) => {
    expect(issuesOf(schema, input)).toEqual([{ path, code }]);
  });
});
