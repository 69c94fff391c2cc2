import { describe, expect, it } from 'vitest';
import {
  type AdmissionFacts,
  admitControl,
  admitControls,
  type CaseFacts,
  type ControlNotice,
  caseKey,
  type HoldFact,
} from './admission.js';

const ACCOUNT = '6222020200112233445';
const COURT = '川0104';
const CASE = '(2026)川0104执1号';
const TODAY = '2026-12-01';

const notice = (measure: ControlNotice['measure'], extra: Partial<ControlNotice> = {}): ControlNotice => ({
  courtCode: COURT,
  caseNo: CASE,
  measure,
  targets: [{ agency: 'bank', institution: 'ICBC' }],
  accountNo: ACCOUNT,
  ...extra,
});
const hold = (extra: Partial<HoldFact> = {}): HoldFact => ({
  courtCode: COURT,
  caseNo: CASE,
  agency: 'bank',
  institution: 'ICBC',
  assetKind: 'account',
  assetKey: ACCOUNT,
  state: 'effective',
  frozenFen: 10_000,
  termUntil: '2027-06-30',
  ...extra,
});
const facts = (holds: HoldFact[], c: Partial<CaseFacts> = {}): AdmissionFacts => ({
  today: TODAY,
  holds,
  cases: new Map([
    [
      caseKey(COURT, CASE),
      { frozenFen: 0, deductedFen: 0, pendingFreezeFen: 0, pendingDeductFen: new Map(), ...c },
    ],
  ]),
});
const codeOf = (n: ControlNotice, f: AdmissionFacts) => {
  const a = admitControl(n, f);
  return a.ok ? 'ok' : a.code;
};

describe('admitControl', () => {
  it.each([
    ['a deduction within the hold', notice('deduct', { amountFen: 10_000 }), facts([hold()]), 'ok'],
    ['a deduction without any hold', notice('deduct', { amountFen: 1 }), facts([]), 'DEDUCT_WITHOUT_FREEZE'],
    [
      'a deduction from a queued hold (nothing frozen yet)',
      notice('deduct', { amountFen: 1 }),
      facts([hold({ state: 'queued', frozenFen: 0, termUntil: null })]),
      'DEDUCT_WITHOUT_FREEZE',
    ],
    [
      'a deduction from a hold past its last day',
      notice('deduct', { amountFen: 1 }),
      facts([hold({ termUntil: '2026-11-30' })]),
      'DEDUCT_WITHOUT_FREEZE',
    ],
    [
      'a deduction from another court’s hold',
      notice('deduct', { amountFen: 1 }),
      facts([hold({ courtCode: '川0105', caseNo: '(2026)川0105执1号' })]),
      'DEDUCT_WITHOUT_FREEZE',
    ],
    [
      'a deduction above the frozen amount',
      notice('deduct', { amountFen: 10_001 }),
      facts([hold()]),
      'DEDUCT_EXCEEDS_FROZEN',
    ],
    [
      'a deduction above what is still owed',
      notice('deduct', { amountFen: 6_000 }),
      facts([hold()], { owedFen: 10_000, deductedFen: 5_000 }),
      'DEDUCT_EXCEEDS_OWED',
    ],
    [
      'a deduction that fits only without one in flight on the account',
      notice('deduct', { amountFen: 6_000 }),
      facts([hold()], { pendingDeductFen: new Map([[ACCOUNT, 5_000]]) }),
      'DEDUCT_EXCEEDS_FROZEN',
    ],
    ['a freeze with nothing owed stated', notice('freeze', { amountFen: 9e9 }), facts([]), 'ok'],
    [
      'a freeze up to what is still owed',
      notice('freeze', { amountFen: 5_000 }),
      facts([hold()], { owedFen: 20_000, frozenFen: 10_000, deductedFen: 5_000 }),
      'ok',
    ],
    [
      'a freeze beyond what is still owed',
      notice('freeze', { amountFen: 5_001 }),
      facts([hold()], { owedFen: 20_000, frozenFen: 10_000, deductedFen: 5_000 }),
      'FREEZE_EXCEEDS_OWED',
    ],
    [
      'a freeze beyond owed with another in flight',
      notice('freeze', { amountFen: 600 }),
      facts([], { owedFen: 1_000, pendingFreezeFen: 500 }),
      'FREEZE_EXCEEDS_OWED',
    ],
    [
      'a freeze the notice’s own owedFen allows',
      notice('freeze', { amountFen: 600, owedFen: 2_000 }),
      facts([], { owedFen: 1_000, pendingFreezeFen: 500 }),
      'ok',
    ],
    ['a release of a hold in force', notice('release'), facts([hold()]), 'ok'],
    ['a renewal of a queued hold', notice('renew-freeze'), facts([hold({ state: 'queued' })]), 'ok'],
    ['a release with no hold', notice('release'), facts([]), 'NO_HOLD'],
    [
      'a release of another court’s hold',
      notice('release'),
      facts([hold({ courtCode: '川0105', caseNo: '(2026)川0105执1号' })]),
      'HOLD_OF_ANOTHER_COURT',
    ],
    [
      'a release of a hold at another bank',
      notice('release'),
      facts([hold({ institution: 'CCB' })]),
      'NO_HOLD',
    ],
    [
      'a renewal of a lapsed hold',
      notice('renew-freeze'),
      facts([hold({ state: 'lapsed' })]),
      'HOLD_NOT_LIVE',
    ],
    [
      'a renewal of a hold past its last day',
      notice('renew-freeze'),
      facts([hold({ termUntil: '2026-11-30' })]),
      'HOLD_NOT_LIVE',
    ],
    [
      'a release of a released hold',
      notice('release'),
      facts([hold({ state: 'released' })]),
      'HOLD_NOT_LIVE',
    ],
    [
      'an unseal of another court’s seal',
      notice('unseal', {
        targets: [{ agency: 'real-estate' }],
        accountNo: undefined,
        unitNo: '510104001001GB00001F00010001',
      }),
      facts([
        hold({
          courtCode: '川0105',
          caseNo: '(2026)川0105执1号',
          agency: 'real-estate',
          institution: 'REC-510100',
          assetKind: 'unit',
          assetKey: '510104001001GB00001F00010001',
        }),
      ]),
      'HOLD_OF_ANOTHER_COURT',
    ],
    ['a seal', notice('seal', { unitNo: 'x' }), facts([]), 'ok'],
  ] as const)('%s: %s', (_what, n, f, code) => {
    expect(codeOf(n, f)).toBe(code);
  });

  it('names the field and the limit', () => {
    expect(admitControl(notice('deduct', { amountFen: 10_001 }), facts([hold()]))).toEqual({
      ok: false,
      code: 'DEDUCT_EXCEEDS_FROZEN',
      details: [{ path: 'params.amountFen', code: 'DEDUCT_EXCEEDS_FROZEN', limitFen: 10_000 }],
    });
    expect(admitControl(notice('renew-freeze'), facts([hold({ state: 'deducted' })]))).toEqual({
      ok: false,
      code: 'HOLD_NOT_LIVE',
      details: [{ path: 'params.accountNo', code: 'HOLD_NOT_LIVE', state: 'deducted' }],
    });
  });
});

describe('renewals (续冻)', () => {
  it('name no more than the hold has frozen (RENEWAL_EXCEEDS_HOLD), or nothing, which renews what is frozen', () => {
    expect(admitControl(notice('renew-freeze', { amountFen: 5_000_000 }), facts([hold()]))).toEqual({
      ok: false,
      code: 'RENEWAL_EXCEEDS_HOLD',
      details: [{ path: 'params.amountFen', code: 'RENEWAL_EXCEEDS_HOLD', limitFen: 10_000 }],
    });
    expect(admitControl(notice('renew-freeze', { amountFen: 10_000 }), facts([hold()]))).toEqual({
      ok: true,
    });
    expect(admitControl(notice('renew-freeze', { amountFen: 4_000 }), facts([hold()]))).toEqual({ ok: true });
    expect(admitControl(notice('renew-freeze', { amountFen: undefined }), facts([hold()]))).toEqual({
      ok: true,
    });
  });
});

describe('what is owed', () => {
  it('may not be stated below what the case had deducted (OWED_BELOW_DEDUCTED), whatever the measure', () => {
    const f = facts([hold()], { owedFen: 50_000, deductedFen: 20_000 });
    for (const measure of ['freeze', 'deduct', 'renew-freeze'] as const)
      expect(admitControl(notice(measure, { amountFen: 1, owedFen: 19_999 }), f)).toEqual({
        ok: false,
        code: 'OWED_BELOW_DEDUCTED',
        details: [{ path: 'params.owedFen', code: 'OWED_BELOW_DEDUCTED', limitFen: 20_000 }],
      });
    expect(admitControl(notice('renew-freeze', { amountFen: 1, owedFen: 20_000 }), f)).toEqual({ ok: true });
  });
});

describe('admitControls', () => {
  it('judges each notice of a batch with the ones admitted before it in flight', () => {
    const f = facts([hold()], { owedFen: 50_000 });
    const two = [notice('deduct', { amountFen: 6_000 }), notice('deduct', { amountFen: 6_000 })];
    expect(admitControls(two, f).map((a) => (a.ok ? 'ok' : a.code))).toEqual(['ok', 'DEDUCT_EXCEEDS_FROZEN']);
    const freezes = [notice('freeze', { amountFen: 30_000 }), notice('freeze', { amountFen: 30_000 })];
    expect(admitControls(freezes, facts([], { owedFen: 50_000 })).map((a) => a.ok)).toEqual([true, false]);
    // A refused notice puts nothing in flight.
    const refusedFirst = [notice('deduct', { amountFen: 20_000 }), notice('deduct', { amountFen: 10_000 })];
    expect(admitControls(refusedFirst, f).map((a) => a.ok)).toEqual([false, true]);
  });
});
