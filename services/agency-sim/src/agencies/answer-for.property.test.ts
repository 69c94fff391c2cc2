/**
 * Random sequences of requests from several courts to one agency of each kind, redeliveries mixed in:
 * every answer has the documented shape, a redelivery gets the first answer, and the bank's books stay whole.
 */
import { answerSchema, resultSchemaFor } from '@hub/agency-kit';
import type { AgencyKind, Measure } from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bankAccountsOf } from '../population/bank-accounts.js';
import { providentFundOf } from '../population/provident-fund.js';
import { realEstateOf } from '../population/real-estate.js';
import { vehiclesOf } from '../population/vehicles.js';
import { AgencyLedgers } from './agency-ledgers.js';
import { answerFor } from './answer-for.js';
import { CHENGDU, request, SEED, withAccounts, withFund, withUnits, withVehicles } from './test-support.js';
import type { AgencyAnswer, AgencyRequest } from './types.js';

const debtors = [withAccounts('ICBC', 3), withUnits(2), withVehicles(2), withFund()];
/** The same person may hold several of these; the books count each account once. */
const distinct = [...new Map(debtors.map((d) => [d.idNumber, d])).values()];
const COURTS = [
  ['川0104', '(2025)川0104执1号'],
  ['京0105', '(2025)京0105执3号'],
] as const;
const AGENCIES: readonly (readonly [AgencyKind, string, readonly Measure[]])[] = [
  [
    'bank',
    'ICBC',
    [
      'query',
      'freeze',
      'renew-freeze',
      'release',
      'deduct',
      'dishonest-list',
      'restrict-consumption',
      'restrict-consumption-lift',
    ],
  ],
  ['real-estate', 'REC-510100', ['query', 'seal', 'renew-seal', 'unseal']],
  [
    'public-security',
    'PSB-510100',
    ['query', 'seal', 'renew-seal', 'unseal', 'restrict-exit', 'restrict-exit-lift', 'locate'],
  ],
  ['provident-fund', 'PF-510100', ['query', 'freeze', 'release', 'deduct']],
];

function assetOf(kind: AgencyKind, d: (typeof debtors)[number], pick: number): AgencyRequest['params'] {
  if (kind === 'bank') {
    const accounts = bankAccountsOf(SEED, 'ICBC', d);
    return accounts.length > 0 ? { accountNo: accounts[pick % accounts.length]!.accountNo } : {};
  }
  if (kind === 'real-estate') {
    const units = realEstateOf(SEED, 'REC-510100', d);
    return units.length > 0 ? { unitNo: units[pick % units.length]!.unitNo } : {};
  }
  if (kind === 'public-security') {
    const vehicles = vehiclesOf(SEED, CHENGDU, d);
    return vehicles.length > 0 ? { plate: vehicles[pick % vehicles.length]!.plate } : {};
  }
  return {};
}

const step = fc.record({
  agency: fc.nat(AGENCIES.length - 1),
  measure: fc.nat(),
  // Mostly the debtor who holds something at the chosen agency (debtors[k] for AGENCIES[k]).
  debtor: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.nat(debtors.length - 1) },
  ),
  court: fc.nat(COURTS.length - 1),
  named: fc.boolean(),
  pick: fc.nat(),
  amountFen: fc.oneof(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 5_000_000 })),
  termDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined, freq: 3 }),
  advanceDays: fc.oneof(fc.nat(3), fc.nat(200)),
  // One step in five redelivers an earlier request.
  redeliver: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() }),
});

describe('agency answers under random request sequences', () => {
  it('keep the documented shapes, answer redeliveries alike, and keep the bank’s money whole', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 40, size: 'max' }), (steps) => {
        const ledgers = new AgencyLedgers({ seed: SEED });
        const given: { kind: AgencyKind; institution: string; r: AgencyRequest; answer: AgencyAnswer }[] = [];
        let now = Date.parse('2025-03-01T09:00:00+08:00');
        for (const s of steps) {
          now += s.advanceDays * 86_400_000;
          if (s.redeliver !== undefined && given.length > 0) {
            const g = given[s.redeliver % given.length]!;
            expect(answerFor(g.kind, g.institution, g.r, ledgers, new Date(now))).toBe(g.answer);
            continue;
          }
          const [kind, institution, measures] = AGENCIES[s.agency]!;
          const measure = measures[s.measure % measures.length]!;
          const d = debtors[s.debtor ?? s.agency]!;
          const [court, caseNo] = COURTS[s.court]!;
          const params = {
            ...(s.named ? assetOf(kind, d, s.pick) : {}),
            amountFen: s.amountFen,
            ...(s.termDays ? { termDays: s.termDays } : {}),
          };
          const r = request(measure, d, params, court, caseNo);
          const answer = answerFor(kind, institution, r, ledgers, new Date(now));
          given.push({ kind, institution, r, answer });
          // Results in the documented shape; reasons present and at most 500 characters.
          expect(answerSchema(resultSchemaFor(kind, measure)).safeParse(answer).error?.issues ?? []).toEqual(
            [],
          );
        }
        // The bank's books: balances plus transfers to the courts equal what the population held.
        const bank = ledgers.bank('ICBC');
        const initial = distinct
          .flatMap((d) => bankAccountsOf(SEED, 'ICBC', d))
          .reduce((t, a) => t + a.balanceFen, 0);
        const held = distinct.flatMap((d) => bank.accountsOf(d.idNumber, new Date(now)));
        for (const a of held) expect(a.frozenFen).toBeLessThanOrEqual(a.balanceFen);
        const moved = bank.transfers.reduce((t, x) => t + x.amountFen, 0);
        expect(held.reduce((t, a) => t + a.balanceFen, 0) + moved).toBe(initial);
        const fund = ledgers.providentFund('PF-510100');
        const fundInitial = distinct.reduce(
          (t, d) => t + (providentFundOf(SEED, 'PF-510100', d)?.balanceFen ?? 0),
          0,
        );
        const fundHeld = distinct
          .flatMap((d) => fund.accountsOf(d.idNumber, new Date(now)))
          .reduce((t, a) => t + a.balanceFen, 0);
        expect(fundHeld + fund.transfers.reduce((t, x) => t + x.amountFen, 0)).toBe(fundInitial);
      }),
      { numRuns: 150 },
    );
  });
});
