import type { PropertyReport } from '@hub/contracts';
import { parseAnswerResult } from '@hub/contracts/answers';
import {
  bankQuery,
  providentFundQuery,
  publicSecurityQuery,
  realEstateQuery,
} from '@hub/contracts/answers/test-support';
import type { AgencyKind } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { answersOfReport, queryResultOf } from './reconciliation.js';

type AgencyReport = PropertyReport['debtors'][number]['agencies'][number];
type Fact = AgencyReport['facts'][number];

const AT = new Date('2026-01-05T02:00:00Z');
const EARLIER = new Date('2025-12-01T02:00:00Z');

/** A fact as the query service stores one: the asset's number as key, an amount, the rest as detail. */
function fact(
  kind: string,
  asset: Record<string, unknown>,
  key: string,
  amount?: string,
  reportedAt = AT,
): Fact {
  const { [key]: k, ...rest } = asset;
  const detail = { ...rest };
  if (amount) delete detail[amount];
  return {
    kind,
    key: String(k),
    amountFen: amount ? (asset[amount] as number) : undefined,
    detailJson: JSON.stringify(detail),
    reportedAt,
  };
}

const agency = (a: AgencyKind, facts: Fact[], patch: Partial<AgencyReport> = {}): AgencyReport => ({
  agency: a,
  institution: `${a}-1`,
  status: 'answered',
  breached: false,
  reportedAt: AT,
  reused: false,
  facts,
  ...patch,
});

const parsed = (a: AgencyKind, result: unknown) => {
  const r = parseAnswerResult(a, 'query', JSON.stringify(result));
  expect(r.ok).toBe(true);
  return r.ok ? r.value : undefined;
};

describe('queryResultOf: an institution’s query result rebuilt from its facts', () => {
  it('gives back each agency kind’s answer, holds included, as the schema reads it', () => {
    const bank = agency(
      'bank',
      bankQuery.accounts.map((a) => fact('deposit', a, 'accountNo', 'balanceFen')),
    );
    expect(parsed('bank', queryResultOf(bank))).toEqual(parsed('bank', bankQuery));

    const pf = agency('provident-fund', [
      fact('provident-fund', providentFundQuery.account, 'accountNo', 'balanceFen'),
    ]);
    expect(parsed('provident-fund', queryResultOf(pf))).toEqual(parsed('provident-fund', providentFundQuery));

    const re = agency(
      'real-estate',
      realEstateQuery.units.map((u) => fact('real-estate', u, 'unitNo')),
    );
    expect(parsed('real-estate', queryResultOf(re))).toEqual(parsed('real-estate', realEstateQuery));

    // Household and trips are not books of holds: the vehicles come back, with their holds.
    const ps = agency('public-security', [
      ...publicSecurityQuery.vehicles.map((v) => fact('vehicle', v, 'plate')),
      fact('household', { key: 'household', ...publicSecurityQuery.household }, 'key'),
    ]);
    expect(parsed('public-security', queryResultOf(ps))).toEqual(
      parsed('public-security', { vehicles: publicSecurityQuery.vehicles, exitEntry: [] }),
    );
  });

  it('keeps only the latest answer’s facts: an account an earlier answer showed is not in today’s books', () => {
    const [now, gone] = bankQuery.accounts;
    const bank = agency('bank', [
      fact('deposit', now!, 'accountNo', 'balanceFen'),
      fact('deposit', gone!, 'accountNo', 'balanceFen', EARLIER),
    ]);
    const result = queryResultOf(bank) as { accounts: { accountNo: string }[] };
    expect(result.accounts.map((a) => a.accountNo)).toEqual([now!.accountNo]);
  });

  it('an institution that answered with nothing has empty books; one that has not answered has none', () => {
    expect(queryResultOf(agency('bank', []))).toEqual({ accounts: [] });
    expect(queryResultOf(agency('provident-fund', []))).toEqual({});
    expect(
      queryResultOf(agency('bank', [], { reportedAt: undefined, status: 'dispatched' })),
    ).toBeUndefined();
  });
});

describe('answersOfReport', () => {
  it('one answer per debtor and institution that answered, dated when it answered', () => {
    const report: PropertyReport = {
      caseNo: '(2026)川0104执1号',
      generatedAt: AT,
      debtors: [
        {
          kind: 'person',
          nameMasked: '张*',
          idMasked: '5101**********1234',
          depositsFen: 0,
          providentFundFen: 0,
          realEstateUnits: 0,
          vehicles: 0,
          unrepresentableTotals: [],
          agencies: [
            agency('bank', [fact('deposit', bankQuery.accounts[0]!, 'accountNo', 'balanceFen')]),
            agency('real-estate', [], { reportedAt: undefined, status: 'dispatched' }),
          ],
        },
      ],
    };
    const answers = answersOfReport(report);
    expect(answers.map((a) => [a.agency, a.institution, a.reportedAt])).toEqual([['bank', 'bank-1', AT]]);
    expect(parsed('bank', JSON.parse(answers[0]!.resultJson))).toBeDefined();
  });
});
