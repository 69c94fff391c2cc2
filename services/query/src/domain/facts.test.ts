import { parseAnswerResult } from '@hub/contracts/answers';
import {
  bankFreeze,
  bankQuery,
  located,
  providentFundQuery,
  publicSecurityQuery,
  punishment,
  realEstateQuery,
} from '@hub/contracts/answers/test-support';
import type { AgencyKind, Measure } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { factsOf } from './facts.js';

/** The facts of a result as the measure kit hands it over: parsed, from its JSON text. */
function factsIn(agency: AgencyKind, measure: Measure, result: unknown) {
  const parsed = parseAnswerResult(agency, measure, JSON.stringify(result));
  if (!parsed.ok) throw new Error(`example does not parse: ${JSON.stringify(parsed.issues)}`);
  return factsOf(parsed);
}

describe('factsOf', () => {
  it('reads accounts with balances in fen, keyed by account number', () => {
    expect(factsIn('bank', 'query', bankQuery).map((f) => [f.kind, f.key, f.amountFen])).toEqual([
      ['deposit', '6222020200112233445', 1_234_567],
      ['deposit', '6217000010012345678', 0],
    ]);
    expect(factsIn('bank', 'query', bankQuery)[0]!.detail).toEqual({
      accountType: 'demand',
      currency: 'CNY',
      frozenFen: 500_000,
      holds: bankQuery.accounts[0]!.holds,
      openedAt: '2016-08-12',
    });
    expect(factsIn('bank', 'query', { accounts: [] })).toEqual([]);
  });

  it('reads units, vehicles, household and exit records, and a fund account', () => {
    const [unit] = factsIn('real-estate', 'query', realEstateQuery);
    const { unitNo, ...unitDetail } = realEstateQuery.units[0]!;
    expect(unit).toEqual({ kind: 'real-estate', key: unitNo, detail: unitDetail });
    const ps = factsIn('public-security', 'query', publicSecurityQuery);
    expect(ps.map((f) => [f.kind, f.key])).toEqual([
      ['vehicle', '川A12345'],
      ['vehicle', '川AD12345'],
      ['household', 'household'],
      ['exit-entry', '2025-07-01T08:15:00+08:00|成都天府国际机场'],
      ['exit-entry', '2025-07-10T21:40:00+08:00|成都天府国际机场'],
    ]);
    expect(factsIn('provident-fund', 'query', providentFundQuery)).toEqual([
      expect.objectContaining({ kind: 'provident-fund', key: '510100123456789', amountFen: 8_765_432 }),
    ]);
    expect(factsIn('provident-fund', 'query', {})).toEqual([]);
  });

  it('reads whereabouts only when the debtor was found', () => {
    expect(factsIn('public-security', 'locate', located)).toEqual([
      { kind: 'whereabouts', key: located.lastSeenAt, detail: located },
    ]);
    expect(factsIn('public-security', 'locate', { found: false })).toEqual([]);
  });

  it('finds no property in a receipt or a listing', () => {
    expect(factsIn('bank', 'freeze', bankFreeze)).toEqual([]);
    expect(factsIn('real-estate', 'dishonest-list', punishment)).toEqual([]);
  });
});
