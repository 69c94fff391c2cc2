import { describe, expect, it } from 'vitest';
import { assetHoldSchema, holdSchema, measureReceiptSchema, punishmentResultSchema } from './shared.js';
import { hold, issuesOf, punishment, queuedReceipt, receipt } from './test-support.js';

describe('hold', () => {
  it.each([
    ['in effect', hold],
    ['queued second', { ...hold, queuePosition: 2 }],
    ['a pre-2016 case number', { ...hold, court: '苏', caseNo: '(2015)苏执复字第00033号' }],
    ['one day long', { ...hold, until: hold.from }],
  ])('accepts %s', (_, input) => {
    expect(holdSchema.parse(input)).toEqual(input);
    expect(assetHoldSchema.parse(input)).toEqual(input);
  });

  it('states an amount only on money', () => {
    expect(holdSchema.safeParse({ ...hold, amountFen: 100 }).success).toBe(true);
    expect(issuesOf(assetHoldSchema, { ...hold, amountFen: 100 })).toEqual([
      { path: 'amountFen', code: 'UNKNOWN_FIELD' },
    ]);
  });

  it.each([
    [
      'a court name instead of a code',
      { ...hold, court: '成都市锦江区人民法院' },
      'court',
      'INVALID_COURT_CODE',
    ],
    ['a malformed case number', { ...hold, caseNo: '川0104执1234' }, 'caseNo', 'INVALID_CASE_NO'],
    ['a timestamp as a day', { ...hold, from: '2025-03-01T00:00:00+08:00' }, 'from', 'INVALID_FORMAT'],
    ['a term ending before it starts', { ...hold, until: '2025-02-28' }, 'until', 'TERM_ENDS_BEFORE_START'],
    ['a negative queue position', { ...hold, queuePosition: -1 }, 'queuePosition', 'TOO_SMALL'],
    ['a fractional amount', { ...hold, amountFen: 10.5 }, 'amountFen', 'NOT_INTEGER'],
    ['a missing until', { ...hold, until: undefined }, 'until', 'REQUIRED'],
  ])('rejects %s', (_, input, path, code) => {
    expect(issuesOf(holdSchema, input)).toEqual([{ path, code }]);
  });
});

describe('measure receipt', () => {
  it.each([
    ['in effect with its term', receipt],
    ['queued without a term', queuedReceipt],
  ])('accepts %s', (_, input) => {
    expect(measureReceiptSchema.parse(input)).toEqual(input);
  });

  it.each([
    ['effective yet queued', { ...receipt, queuePosition: 1 }],
    ['not effective at position 0', { ...queuedReceipt, queuePosition: 0 }],
  ])('is effective exactly when at queue position 0: rejects %s', (_, input) => {
    expect(issuesOf(measureReceiptSchema, input)).toEqual([
      { path: 'queuePosition', code: 'QUEUE_POSITION_MISMATCH' },
    ]);
  });

  it.each([
    ['an empty registration number', { ...receipt, registrationNo: '  ' }, 'registrationNo', 'TOO_SHORT'],
    [
      'a term ending before it starts',
      { ...receipt, until: '2026-01-04' },
      'until',
      'TERM_ENDS_BEFORE_START',
    ],
    ['an unknown field', { ...receipt, note: '已轮候' }, 'note', 'UNKNOWN_FIELD'],
  ])('rejects %s', (_, input, path, code) => {
    expect(issuesOf(measureReceiptSchema, input)).toEqual([{ path, code }]);
  });
});

describe('punishment result', () => {
  it('accepts an applied listing with its instant', () => {
    expect(punishmentResultSchema.parse(punishment)).toEqual(punishment);
  });

  it.each([
    ['applied false', { ...punishment, applied: false }, 'applied', 'INVALID_VALUE'],
    [
      'a day where an instant is due',
      { ...punishment, effectiveAt: '2026-01-05' },
      'effectiveAt',
      'INVALID_FORMAT',
    ],
    [
      'an instant without offset',
      { ...punishment, effectiveAt: '2026-01-05T10:30:00' },
      'effectiveAt',
      'INVALID_FORMAT',
    ],
    ['no registration number', { ...punishment, registrationNo: undefined }, 'registrationNo', 'REQUIRED'],
  ])('rejects %s', (_, input, path, code) => {
    expect(issuesOf(punishmentResultSchema, input)).toEqual([{ path, code }]);
  });
});
