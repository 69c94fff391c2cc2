/** Finding population members with given holdings, for the agencies' tests. */
import { type BankCode, bankAccountsOf } from '../population/bank-accounts.js';
import { providentFundOf } from '../population/provident-fund.js';
import { realEstateOf } from '../population/real-estate.js';
import { cityByCode } from '../population/regions.js';
import { organisationAt, type Person, personAt, type Subject } from '../population/subjects.js';
import { vehiclesOf } from '../population/vehicles.js';
import type { AgencyRequest } from './types.js';

export const SEED = 2026;
export const CHENGDU = cityByCode('510100')!;

export function firstPerson(test: (p: Person) => boolean, limit = 20_000): Person {
  for (let i = 0; i < limit; i++) {
    const p = personAt(SEED, i);
    if (test(p)) return p;
  }
  throw new Error('no such person in the first indices');
}

export const withAccounts = (bank: BankCode, n: number) =>
  firstPerson((p) => bankAccountsOf(SEED, bank, p).filter((a) => a.balanceFen > 0).length >= n);
export const withUnits = (n: number) => firstPerson((p) => realEstateOf(SEED, 'REC-510100', p).length >= n);
export const withVehicles = (n: number) => firstPerson((p) => vehiclesOf(SEED, CHENGDU, p).length >= n);
export const withFund = () =>
  firstPerson((p) => (providentFundOf(SEED, 'PF-510100', p)?.balanceFen ?? 0) > 0);
export const anOrganisation = (): Subject => organisationAt(SEED, 7);

export function debtorOf(s: Subject): AgencyRequest['debtor'] {
  return s.kind === 'person'
    ? { kind: 'person', idNumber: s.idNumber }
    : { kind: 'organisation', creditCode: s.creditCode };
}

let next = 0;
/** A request as an adapter inbox delivers it. */
export function request(
  measure: string,
  who: Subject | AgencyRequest['debtor'],
  params: AgencyRequest['params'] = {},
  court = '川0104',
  caseNo = '(2025)川0104执100号',
): AgencyRequest {
  next += 1;
  const debtor =
    'kind' in who && (who.kind === 'person' || who.kind === 'organisation') && 'index' in who
      ? debtorOf(who as Subject)
      : (who as AgencyRequest['debtor']);
  return {
    id: `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
    measure,
    caseNo,
    court: { code: court },
    debtor,
    params,
  };
}
