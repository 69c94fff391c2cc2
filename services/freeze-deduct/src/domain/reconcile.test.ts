import { parseAnswerResult } from '@hub/contracts/answers';
import { describe, expect, it } from 'vitest';
import { type AgencyBooks, booksOf, type HubHold, reconcile } from './reconcile.js';

const CASE = { courtCode: '川0104', caseNo: '(2025)川0104执1号' };
const OTHER = { court: '京0105', caseNo: '(2025)京0105执3号' };
const ACCOUNT = '6222020200112233445';
const ACCOUNT_2 = '6222020200112233452';

const hubHold = (patch: Partial<HubHold> = {}): HubHold => ({
  ...CASE,
  institution: 'ICBC',
  assetKind: 'account',
  assetKey: ACCOUNT,
  measure: 'freeze',
  state: 'effective',
  queuePosition: 0,
  requestedFen: 10_000,
  frozenFen: 10_000,
  deductedFen: 0,
  termFrom: '2026-03-01',
  termUntil: '2027-02-28',
  registrationNo: 'ICBC-20260301-000001',
  ...patch,
});
const bookHold = (patch: object = {}) => ({
  court: CASE.courtCode,
  caseNo: CASE.caseNo,
  amountFen: 10_000,
  from: '2026-03-01',
  until: '2027-02-28',
  queuePosition: 0,
  ...patch,
});
const icbc = (holds: object[] | undefined, assetKey = ACCOUNT): AgencyBooks => ({
  institution: 'ICBC',
  assets: [{ assetKind: 'account', assetKey, holds: holds as never }],
});
const kinds = (r: ReturnType<typeof reconcile>) => r.discrepancies.map((d) => d.kind);

describe('reconcile', () => {
  it('finds nothing when the books agree, whatever other courts hold on the same account', () => {
    const r = reconcile(
      CASE,
      [hubHold()],
      [icbc([bookHold(), { ...bookHold({ queuePosition: 1, amountFen: 5_000 }), ...OTHER }])],
    );
    expect(r).toEqual({ checked: 1, discrepancies: [], unchecked: [] });
  });

  it('agrees on a queued hold: same place in line, waiting for what it asked less what was deducted', () => {
    const queued = hubHold({ state: 'queued', queuePosition: 2, frozenFen: 0, deductedFen: 1_000 });
    expect(
      kinds(reconcile(CASE, [queued], [icbc([bookHold({ queuePosition: 2, amountFen: 9_000 })])])),
    ).toEqual([]);
    expect(
      kinds(reconcile(CASE, [queued], [icbc([bookHold({ queuePosition: 1, amountFen: 9_000 })])])),
    ).toEqual(['queue-position']);
  });

  it('a live hub hold the agency does not have is missing at the agency', () => {
    const r = reconcile(CASE, [hubHold()], [icbc([{ ...bookHold(), ...OTHER }])]);
    expect(r.discrepancies).toEqual([
      expect.objectContaining({
        kind: 'missing-at-agency',
        institution: 'ICBC',
        assetKey: ACCOUNT,
        agency: [],
      }),
    ]);
  });

  it('an ended hub hold with nothing at the agency agrees; one still held there is missing at the hub', () => {
    const ended = hubHold({ state: 'released', frozenFen: 0 });
    expect(kinds(reconcile(CASE, [ended], [icbc([])]))).toEqual([]);
    expect(kinds(reconcile(CASE, [hubHold({ state: 'lapsed' })], [icbc([bookHold()])]))).toEqual([
      'missing-at-hub',
    ]);
  });

  it('a hold on the books of an account the hub never froze is missing at the hub', () => {
    const r = reconcile(
      CASE,
      [hubHold()],
      [
        {
          institution: 'ICBC',
          assets: [...icbc([bookHold()]).assets, ...icbc([bookHold()], ACCOUNT_2).assets],
        },
      ],
    );
    expect(r.discrepancies).toEqual([
      {
        kind: 'missing-at-hub',
        institution: 'ICBC',
        assetKind: 'account',
        assetKey: ACCOUNT_2,
        agency: [{ queuePosition: 0, amountFen: 10_000, until: '2027-02-28' }],
      },
    ]);
    expect(r.checked).toBe(2);
  });

  it('tells state, amount and term apart', () => {
    expect(kinds(reconcile(CASE, [hubHold()], [icbc([bookHold({ queuePosition: 1 })])]))).toEqual(['state']);
    expect(kinds(reconcile(CASE, [hubHold()], [icbc([bookHold({ amountFen: 9_999 })])]))).toEqual(['amount']);
    expect(kinds(reconcile(CASE, [hubHold()], [icbc([bookHold({ until: '2027-03-01' })])]))).toEqual([
      'term',
    ]);
    expect(
      kinds(
        reconcile(
          CASE,
          [hubHold({ state: 'renewed' })],
          [icbc([bookHold({ amountFen: 1, until: '2028-01-01' })])],
        ),
      ),
    ).toEqual(['amount', 'term']);
  });

  it('two holds of the case on one account at the agency cannot be one hub hold', () => {
    expect(kinds(reconcile(CASE, [hubHold()], [icbc([bookHold(), bookHold({ queuePosition: 1 })])]))).toEqual(
      ['several-at-agency'],
    );
  });

  it('leaves unjudged what no answer shows: an institution not queried, holds not reported', () => {
    const r = reconcile(CASE, [hubHold(), hubHold({ institution: 'CCB' })], [icbc(undefined)]);
    expect(r).toEqual({
      checked: 0,
      discrepancies: [],
      unchecked: [
        { institution: 'CCB', assetKind: 'account', assetKey: ACCOUNT, reason: 'institution-not-queried' },
        { institution: 'ICBC', assetKind: 'account', assetKey: ACCOUNT, reason: 'holds-not-reported' },
      ],
    });
  });

  it('compares seals without amounts, and only this court’s case', () => {
    const unit = '510104001002GB00001F00010101';
    const seal = hubHold({
      institution: 'REC-510100',
      assetKind: 'unit',
      assetKey: unit,
      measure: 'seal',
      requestedFen: null,
      frozenFen: 0,
      termUntil: '2029-02-28',
    });
    const books = (holds: object[]): AgencyBooks => ({
      institution: 'REC-510100',
      assets: [{ assetKind: 'unit', assetKey: unit, holds: holds as never }],
    });
    const theirs = { court: CASE.courtCode, caseNo: CASE.caseNo, from: '2026-03-01', until: '2029-02-28' };
    expect(kinds(reconcile(CASE, [seal], [books([{ ...theirs, queuePosition: 0 }])]))).toEqual([]);
    // Another case of the same court sees neither the hub's seal nor the agency's.
    expect(
      reconcile({ ...CASE, caseNo: '(2025)川0104执2号' }, [seal], [books([{ ...theirs, queuePosition: 0 }])]),
    ).toEqual({ checked: 0, discrepancies: [], unchecked: [] });
  });
});

describe('booksOf', () => {
  it('reads the holds of every asset off each kind of query answer', () => {
    const hold = bookHold();
    const bank = parseAnswerResult('bank', 'query', {
      accounts: [
        { accountNo: ACCOUNT, accountType: 'demand', currency: 'CNY', balanceFen: 1, holds: [hold] },
      ],
    });
    expect(booksOf('ICBC', bank)).toEqual(icbc([hold]));
    const fund = parseAnswerResult('provident-fund', 'query', {
      account: {
        accountNo: 'PF-1',
        balanceFen: 1,
        frozenFen: 0,
        status: 'active',
        monthlyDepositFen: 0,
        holds: [],
      },
    });
    expect(booksOf('PF-510100', fund)).toEqual({
      institution: 'PF-510100',
      assets: [{ assetKind: 'account', assetKey: 'PF-1', holds: [] }],
    });
    expect(booksOf('PF-510100', parseAnswerResult('provident-fund', 'query', {}))).toEqual({
      institution: 'PF-510100',
      assets: [],
    });
    // A bank answer without holds cannot confirm any hold; a result of another measure is no books at all.
    const older = parseAnswerResult('bank', 'query', {
      accounts: [{ accountNo: ACCOUNT, accountType: 'demand', currency: 'CNY', balanceFen: 1 }],
    });
    expect(booksOf('ICBC', older)?.assets[0]?.holds).toBeUndefined();
    expect(
      booksOf(
        'ICBC',
        parseAnswerResult('bank', 'release', {
          accountNo: ACCOUNT,
          releasedFen: 1,
          receipt: { effective: true, queuePosition: 0, registrationNo: 'R' },
        }),
      ),
    ).toBeUndefined();
  });
});
