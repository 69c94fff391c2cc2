import { describe, expect, it } from 'vitest';
import { factsOf } from './facts.js';

describe('factsOf', () => {
  it('reads accounts with balances in fen, keyed by account number', () => {
    const facts = factsOf('bank', 'query', {
      accounts: [
        {
          accountNo: '6222020200112233445',
          accountType: 'demand',
          currency: 'CNY',
          balanceFen: 150_00,
          frozenFen: 0,
        },
        {
          accountNo: '6222020200112233446',
          accountType: 'time',
          currency: 'CNY',
          balanceFen: 99,
          frozenFen: 0,
        },
      ],
    });
    expect(facts.map((f) => [f.kind, f.key, f.amountFen])).toEqual([
      ['deposit', '6222020200112233445', 15000],
      ['deposit', '6222020200112233446', 99],
    ]);
  });

  it('reads units, vehicles, household and exit records, and a fund account', () => {
    expect(factsOf('real-estate', 'query', { units: [{ unitNo: 'U1', address: '锦江区' }] })).toEqual([
      { kind: 'real-estate', key: 'U1', detail: { address: '锦江区' } },
    ]);
    const ps = factsOf('public-security', 'query', {
      household: { address: 'x', registeredAt: '2000-01-01', householdHead: true },
      vehicles: [{ plate: '川A12345', brand: 'b' }],
      exitEntry: [{ at: '2026-01-01T00:00:00+08:00', port: '双流', direction: 'exit', document: 'E1' }],
    });
    expect(ps.map((f) => f.kind).sort()).toEqual(['exit-entry', 'household', 'vehicle']);
    expect(
      factsOf('provident-fund', 'query', { account: { accountNo: 'PF1', balanceFen: 5 } })[0],
    ).toMatchObject({
      kind: 'provident-fund',
      amountFen: 5,
    });
    expect(factsOf('provident-fund', 'query', {})).toEqual([]);
  });

  it('treats a non-object result as no facts', () => {
    expect(factsOf('bank', 'query', null)).toEqual([]);
    expect(factsOf('bank', 'query', { accounts: 'x' })).toEqual([]);
  });
});
