import { answerSchema, resultSchemaFor } from '@hub/agency-kit';
import { type AgencyKind, isMeasure, type Measure } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { bankAccountsOf } from '../population/bank-accounts.js';
import { realEstateOf } from '../population/real-estate.js';
import { vehiclesOf } from '../population/vehicles.js';
import { AgencyLedgers } from './agency-ledgers.js';
import { answerFor, replayJournal } from './answer-for.js';
import {
  anOrganisation,
  CHENGDU,
  request,
  SEED,
  withAccounts,
  withFund,
  withUnits,
  withVehicles,
} from './test-support.js';
import type { AgencyAnswer, AgencyRequest } from './types.js';

const NOW = new Date('2025-06-02T10:00:00+08:00');
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

/** Answers and checks the answer against the adapters' own schemas (docs/agency-answers.md). */
function ask(
  ledgers: AgencyLedgers,
  kind: AgencyKind,
  institution: string,
  r: AgencyRequest,
  now = NOW,
): AgencyAnswer {
  const answer = answerFor(kind, institution, r, ledgers, now);
  const schema = isMeasure(r.measure) ? resultSchemaFor(kind, r.measure) : undefined;
  if (schema && (answer.outcome === 'done' || answer.outcome === 'partial')) {
    expect(answerSchema(schema).safeParse(answer).error?.issues ?? []).toEqual([]);
  }
  return answer;
}
const result = (a: AgencyAnswer) =>
  (a.outcome === 'done' || a.outcome === 'partial'
    ? (a.result as Record<string, never>)
    : undefined) as never;

describe('bank answers', () => {
  it('answers a query with the debtor’s accounts from the population; an outsider simply has none', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withAccounts('ICBC', 2);
    const a = ask(ledgers, 'bank', 'ICBC', request('query', p));
    expect(a.outcome).toBe('done');
    expect(result(a)).toMatchObject({
      accounts: bankAccountsOf(SEED, 'ICBC', p).map(({ accountNo, balanceFen }) => ({
        accountNo,
        balanceFen,
        frozenFen: 0,
        holds: [],
      })),
    });
    const outsider = ask(
      ledgers,
      'bank',
      'ICBC',
      request('query', { kind: 'person', idNumber: '440524188001010014' }),
    );
    expect(outsider).toEqual({ outcome: 'done', result: { accounts: [] } });
  });

  it('freezes a named account, queues a second court, and promotes it when the first releases', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withAccounts('CCB', 1);
    const account = bankAccountsOf(SEED, 'CCB', p).find((x) => x.balanceFen > 0)!;
    const first = ask(
      ledgers,
      'bank',
      'CCB',
      request('freeze', p, { accountNo: account.accountNo, amountFen: account.balanceFen }),
    );
    expect(first).toMatchObject({
      outcome: 'done',
      result: { frozenFen: account.balanceFen, receipt: { effective: true, until: '2026-06-01' } },
    });
    const second = ask(
      ledgers,
      'bank',
      'CCB',
      request('freeze', p, { accountNo: account.accountNo, amountFen: 100 }, '川0105', '(2025)川0105执7号'),
      later(1),
    );
    expect(second).toMatchObject({
      outcome: 'partial',
      result: { frozenFen: 0, receipt: { effective: false, queuePosition: 1 } },
    });
    expect(
      ask(ledgers, 'bank', 'CCB', request('release', p, { accountNo: account.accountNo }), later(2)),
    ).toMatchObject({
      outcome: 'done',
      result: { releasedFen: account.balanceFen },
    });
    const q = result(ask(ledgers, 'bank', 'CCB', request('query', p), later(2))) as {
      accounts: { accountNo: string; holds: unknown[] }[];
    };
    expect(q.accounts.find((x) => x.accountNo === account.accountNo)!.holds).toEqual([
      {
        court: '川0105',
        caseNo: '(2025)川0105执7号',
        amountFen: 100,
        from: '2025-06-04',
        until: '2026-06-03',
        queuePosition: 0,
      },
    ]);
  });

  it('without an account number freezes across the debtor’s accounts and lists them', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withAccounts('ICBC', 2);
    const funded = bankAccountsOf(SEED, 'ICBC', p).filter((x) => x.balanceFen > 0);
    const total = funded.reduce((s, x) => s + x.balanceFen, 0);
    const a = ask(ledgers, 'bank', 'ICBC', request('freeze', p, { amountFen: total + 1 }));
    expect(a.outcome).toBe('partial');
    expect(result(a)).toMatchObject({
      accountNo: funded[0]!.accountNo,
      requestedFen: total + 1,
      frozenFen: funded[0]!.balanceFen,
    });
    expect(a.outcome === 'partial' && a.reason).toContain(`frozen across ${funded.length} accounts`);
    expect(a.outcome === 'partial' && a.reason).toContain(`total ${total} fen`);
  });

  it('deducts only the court’s own frozen money: partial beyond it, cannot-assist without it', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withAccounts('ABC', 1);
    const account = bankAccountsOf(SEED, 'ABC', p).find((x) => x.balanceFen > 1)!;
    const half = Math.floor(account.balanceFen / 2);
    ask(ledgers, 'bank', 'ABC', request('freeze', p, { accountNo: account.accountNo, amountFen: half }));
    const d = ask(
      ledgers,
      'bank',
      'ABC',
      request('deduct', p, { accountNo: account.accountNo, amountFen: account.balanceFen }),
    );
    expect(d).toMatchObject({
      outcome: 'partial',
      result: { deductedFen: half, balanceAfterFen: account.balanceFen - half },
    });
    expect(
      ask(ledgers, 'bank', 'ABC', request('deduct', p, { accountNo: account.accountNo, amountFen: 1 })),
    ).toEqual({
      outcome: 'cannot-assist',
      reason: 'no running freeze of this court for this case on the account (never made, released or lapsed)',
    });
    expect(
      ask(
        ledgers,
        'bank',
        'ABC',
        request('deduct', p, { accountNo: account.accountNo, amountFen: 1 }, '川0105', '(2025)川0105执7号'),
      ).outcome,
    ).toBe('cannot-assist');
  });

  it('cannot assist with an unknown account, a term beyond the legal maximum or a measure banks do not carry out', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withAccounts('BOC', 1);
    expect(
      ask(ledgers, 'bank', 'BOC', request('freeze', p, { accountNo: '1234567890123', amountFen: 1 })),
    ).toEqual({ outcome: 'cannot-assist', reason: 'no such account' });
    expect(ask(ledgers, 'bank', 'BOC', request('freeze', p, { amountFen: 1, termDays: 366 }))).toEqual({
      outcome: 'cannot-assist',
      reason: 'a term of 366 days exceeds the legal maximum of 365 days',
    });
    expect(ask(ledgers, 'bank', 'BOC', request('seal', p)).outcome).toBe('cannot-assist');
    expect(ask(ledgers, 'bank', 'BOC', request('freeze', p, {})).outcome).toBe('cannot-assist');
  });

  it('gives a redelivered request the answer it got first and changes nothing', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withAccounts('CMB', 1);
    const r = request('freeze', p, { amountFen: 1000 });
    const first = ask(ledgers, 'bank', 'CMB', r);
    const before = ask(ledgers, 'bank', 'CMB', request('query', p));
    expect(ask(ledgers, 'bank', 'CMB', r, later(3))).toBe(first);
    expect(result(ask(ledgers, 'bank', 'CMB', request('query', p)))).toEqual(result(before));
  });
});

describe('real-estate, public-security and provident-fund answers', () => {
  it('seals a unit, queues a later court’s seal and lists both in the query', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withUnits(1);
    const unitNo = realEstateOf(SEED, 'REC-510100', p)[0]!.unitNo;
    expect(ask(ledgers, 'real-estate', 'REC-510100', request('seal', p, { unitNo }))).toMatchObject({
      outcome: 'done',
      // 3 years to the corresponding date (民法典 art. 202): 1,096 days across 2028-02-29, not 3 × 365.
      result: { unitNo, receipt: { effective: true, until: '2028-06-01' } },
    });
    expect(
      ask(
        ledgers,
        'real-estate',
        'REC-510100',
        request('seal', p, { unitNo }, '京0105', '(2025)京0105执9号'),
      ),
    ).toMatchObject({
      outcome: 'partial',
      result: { unitNo, receipt: { effective: false, queuePosition: 1 } },
    });
    const q = result(ask(ledgers, 'real-estate', 'REC-510100', request('query', p))) as {
      units: { unitNo: string; holds: { court: string }[] }[];
    };
    expect(q.units.find((u) => u.unitNo === unitNo)!.holds.map((h) => h.court)).toEqual(['川0104', '京0105']);
    expect(
      ask(
        ledgers,
        'real-estate',
        'REC-510100',
        request('seal', p, { unitNo: '110105001002GB00001F00010101' }),
      ),
    ).toEqual({
      outcome: 'cannot-assist',
      reason: 'no such unit registered to the debtor',
    });
  });

  it('answers public security’s query, seals a vehicle, restricts exit and locates', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withVehicles(1);
    const plate = vehiclesOf(SEED, CHENGDU, p)[0]!.plate;
    const q = ask(ledgers, 'public-security', 'PSB-510100', request('query', p));
    expect(result(q)).toMatchObject({
      household: { address: p.householdAddress },
      vehicles: [{ plate, holds: [] }],
    });
    expect(ask(ledgers, 'public-security', 'PSB-510100', request('seal', p, { plate }))).toMatchObject({
      outcome: 'done',
      result: { plate, receipt: { effective: true } },
    });
    expect(
      ask(ledgers, 'public-security', 'PSB-510100', request('seal', p, { plate, termDays: 731 })).outcome,
    ).toBe('cannot-assist');
    expect(ask(ledgers, 'public-security', 'PSB-510100', request('restrict-exit', p))).toMatchObject({
      outcome: 'done',
      result: { restricted: true, until: '2026-06-01' },
    });
    expect(ask(ledgers, 'public-security', 'PSB-510100', request('locate', p)).outcome).toBe('done');
    // An organisation naming no person: nobody to restrict.
    expect(
      ask(ledgers, 'public-security', 'PSB-510100', request('restrict-exit', anOrganisation())).outcome,
    ).toBe('cannot-assist');
  });

  it('answers the provident fund’s query and freezes its one account', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withFund();
    const q = result(ask(ledgers, 'provident-fund', 'PF-510100', request('query', p))) as {
      account: { accountNo: string; balanceFen: number };
    };
    const f = ask(
      ledgers,
      'provident-fund',
      'PF-510100',
      request('freeze', p, { amountFen: q.account.balanceFen + 5 }),
    );
    expect(f).toMatchObject({
      outcome: 'partial',
      result: { accountNo: q.account.accountNo, frozenFen: q.account.balanceFen },
    });
    expect(ask(ledgers, 'provident-fund', 'PF-510100', request('query', anOrganisation()))).toEqual({
      outcome: 'done',
      result: {},
    });
  });

  it('applies the punishment measures at every agency kind', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withAccounts('ICBC', 1);
    for (const [kind, institution] of [
      ['bank', 'ICBC'],
      ['real-estate', 'REC-110000'],
      ['public-security', 'PSB-510100'],
      ['provident-fund', 'PF-510100'],
    ] as const) {
      for (const measure of ['dishonest-list', 'restrict-consumption', 'dishonest-list-removal']) {
        expect(ask(ledgers, kind, institution, request(measure, p))).toMatchObject({
          outcome: 'done',
          result: { applied: true, effectiveAt: '2025-06-02T10:00:00+08:00' },
        });
      }
    }
    expect(ledgers.punishments('ICBC').standingOf(p.idNumber)).toEqual({
      listed: false,
      consumptionRestricted: true,
    });
  });
});

describe('lifting a restriction (解除限制高消费, 解除限制出境)', () => {
  it('clears the standing and confirms with a punishment result, even where nothing was registered', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withVehicles(1);
    const psb = (measure: string) => ask(ledgers, 'public-security', 'PSB-510100', request(measure, p));
    const confirmed = (a: AgencyAnswer, measure: Measure, kind: AgencyKind = 'public-security') => {
      expect(a.outcome).toBe('done');
      expect(resultSchemaFor(kind, measure).safeParse(result(a)).success).toBe(true);
    };
    confirmed(psb('restrict-exit-lift'), 'restrict-exit-lift');
    psb('restrict-exit');
    psb('restrict-consumption');
    expect(ledgers.punishments('PSB-510100').restrictedSubjects()).toEqual([p.idNumber]);
    confirmed(psb('restrict-exit-lift'), 'restrict-exit-lift');
    expect(ledgers.punishments('PSB-510100').standingOf(p.idNumber)).toEqual({
      listed: false,
      consumptionRestricted: true,
    });
    confirmed(psb('restrict-consumption-lift'), 'restrict-consumption-lift');
    expect(ledgers.punishments('PSB-510100').standingOf(p.idNumber)).toEqual({
      listed: false,
      consumptionRestricted: false,
    });
    expect(ledgers.punishments('PSB-510100').restrictedSubjects()).toEqual([]);
    const atBank = ask(ledgers, 'bank', 'ICBC', request('restrict-consumption-lift', p));
    confirmed(atBank, 'restrict-consumption-lift', 'bank');
    // Exit restrictions are public security's alone.
    expect(ask(ledgers, 'bank', 'ICBC', request('restrict-exit-lift', p)).outcome).toBe('cannot-assist');
  });
});

describe('an organisation’s exit restriction binds its named persons (民事诉讼法 第二百六十六条)', () => {
  const REP = '510104198001010014';
  const PRINCIPAL = '11010519491231002X';
  const CONTROLLER = '110105194912310011';
  const org = anOrganisation();
  const firm = (persons: Partial<AgencyRequest['debtor']>): AgencyRequest['debtor'] => ({
    kind: 'organisation',
    creditCode: org.kind === 'organisation' ? org.creditCode : '',
    ...persons,
  });
  const named = firm({
    legalRepresentative: { idNumber: REP },
    responsiblePersons: [
      { role: 'principal', idNumber: PRINCIPAL },
      { role: 'actual-controller', idNumber: CONTROLLER },
      // The same person in two roles is registered once.
      { role: 'directly-responsible', idNumber: REP },
    ],
  });

  it('registers the restriction on each person, answers done with an exit-restriction result, and never on the organisation', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const register = ledgers.punishments('PSB-510100');
    const a = ask(ledgers, 'public-security', 'PSB-510100', request('restrict-exit', named));
    expect(a).toMatchObject({ outcome: 'done', result: { restricted: true, until: '2026-06-01' } });
    expect(resultSchemaFor('public-security', 'restrict-exit').safeParse(result(a)).success).toBe(true);
    expect(register.restrictedSubjects().sort()).toEqual([REP, PRINCIPAL].sort());
    for (const id of [REP, PRINCIPAL]) expect(register.standingOf(id).exitRestrictedUntil).toBe('2026-06-01');
    // The actual controller is not one the law lists for exit restriction.
    expect(register.standingOf(CONTROLLER).exitRestrictedUntil).toBeUndefined();
    expect(register.standingOf(named.creditCode!).exitRestrictedUntil).toBeUndefined();
  });

  it('a responsible person alone is enough; naming nobody is cannot-assist', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const only = firm({ responsiblePersons: [{ role: 'principal', idNumber: PRINCIPAL }] });
    expect(ask(ledgers, 'public-security', 'PSB-510100', request('restrict-exit', only)).outcome).toBe(
      'done',
    );
    expect(ledgers.punishments('PSB-510100').restrictedSubjects()).toEqual([PRINCIPAL]);
    const nobody = ask(
      ledgers,
      'public-security',
      'PSB-510100',
      request('restrict-exit', firm({ legalRepresentative: { idNumber: '' }, responsiblePersons: [] })),
    );
    expect(nobody).toMatchObject({
      outcome: 'cannot-assist',
      reason: expect.stringMatching(/legal representative/),
    });
  });

  it('the lifting lifts every person and is confirmed; a retried request registers once', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const register = ledgers.punishments('PSB-510100');
    const placing = request('restrict-exit', named);
    const first = ask(ledgers, 'public-security', 'PSB-510100', placing);
    expect(ask(ledgers, 'public-security', 'PSB-510100', placing)).toEqual(first);
    const lift = ask(ledgers, 'public-security', 'PSB-510100', request('restrict-exit-lift', named));
    expect(lift.outcome).toBe('done');
    expect(resultSchemaFor('public-security', 'restrict-exit-lift').safeParse(result(lift)).success).toBe(
      true,
    );
    expect(register.restrictedSubjects()).toEqual([]);
    // A retry of the placing after the lifting is the same answer and restricts nobody again.
    expect(ask(ledgers, 'public-security', 'PSB-510100', placing)).toEqual(first);
    expect(register.restrictedSubjects()).toEqual([]);
  });
});

describe('a deduction happens once per request id', () => {
  it('a retried deduct returns the first result and moves no more money, even with more frozen since', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withAccounts('ICBC', 2);
    const [a, b] = bankAccountsOf(SEED, 'ICBC', p).filter((x) => x.balanceFen > 1);
    const freeze = (accountNo: string, amountFen: number) =>
      ask(ledgers, 'bank', 'ICBC', request('freeze', p, { accountNo, amountFen }));
    freeze(a!.accountNo, 1);
    // Not naming an account: out of every account this court froze for the case, here only `a` so far.
    const d = request('deduct', p, { amountFen: 2 });
    const first = ask(ledgers, 'bank', 'ICBC', d);
    expect(first).toMatchObject({ outcome: 'partial', result: { deductedFen: 1 } });
    freeze(b!.accountNo, 1);
    const moved = ledgers.bank('ICBC').transfers.length;
    expect(ask(ledgers, 'bank', 'ICBC', d, later(1))).toBe(first);
    expect(ask(ledgers, 'bank', 'ICBC', { ...d, params: { amountFen: 5 } }, later(2))).toBe(first);
    expect(ledgers.bank('ICBC').transfers.length).toBe(moved);
  });

  it('books rebuilt from their journal hold the same money and still know every request answered', () => {
    const ledgers = new AgencyLedgers({ seed: SEED });
    const p = withFund();
    const d = request('deduct', p, { amountFen: 1 });
    ask(ledgers, 'provident-fund', 'PF-510100', request('freeze', p, { amountFen: 1 }));
    const first = ask(ledgers, 'provident-fund', 'PF-510100', d);
    expect(first).toMatchObject({ outcome: 'done', result: { deductedFen: 1 } });
    ask(ledgers, 'provident-fund', 'PF-510100', request('freeze', p, { amountFen: 1 }), later(1));

    const restarted = new AgencyLedgers({ seed: SEED });
    replayJournal(restarted, ledgers.journal);
    const query = request('query', p);
    expect(ask(restarted, 'provident-fund', 'PF-510100', query, later(2))).toEqual(
      ask(ledgers, 'provident-fund', 'PF-510100', query, later(2)),
    );
    expect(ask(restarted, 'provident-fund', 'PF-510100', d, later(3))).toEqual(first);
    expect(restarted.providentFund('PF-510100').transfers).toEqual(
      ledgers.providentFund('PF-510100').transfers,
    );
  });
});
