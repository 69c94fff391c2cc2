/**
 * A person's housing provident fund account (住房公积金个人账户) at one centre, derived from
 * (seed, centre, person). Only people whose household is in the centre's city have one there, most of
 * working age. Account numbers are unique per centre: eight of their twelve digits permute the index.
 */
import { dayBetween } from './dates.js';
import { permute } from './permutation.js';
import { cityOfInstitution } from './regions.js';
import { hash32, Rng } from './rng.js';
import { affluence, homeCityOf, type Subject } from './subjects.js';

export type FundStatus = 'active' | 'sealed' | 'closed';

export interface FundAccountSeed {
  accountNo: string;
  balanceFen: number;
  /** 正常 / 封存 (dormant, e.g. between jobs) / 销户. */
  status: FundStatus;
  monthlyDepositFen: number;
  lastDepositAt?: string;
}

const STATUSES: readonly (readonly [FundStatus, number])[] = [
  ['active', 85],
  ['sealed', 12],
  ['closed', 3],
];

export function providentFundOf(seed: number, centre: string, subject: Subject): FundAccountSeed | undefined {
  const city = cityOfInstitution(centre);
  if (!city || !centre.startsWith('PF-') || subject.kind !== 'person' || homeCityOf(subject) !== city) {
    return undefined;
  }
  const rng = Rng.of(seed, 'provident-fund', centre, subject.index);
  const born = Number(subject.birthDate.slice(0, 4));
  if (!rng.chance(born >= 1960 && born <= 2002 ? 0.65 : 0.25)) return undefined;
  const status = rng.weighted(STATUSES);
  const unique = String(permute(hash32('fund-account', seed, centre), 100_000_000, subject.index)).padStart(
    8,
    '0',
  );
  const topYuan = affluence(seed, subject) >= 0.97 ? 1_000_000 : 300_000;
  return {
    accountNo: `${city.code.slice(0, 2)}${unique}${rng.digits(2)}`,
    balanceFen: status === 'closed' ? 0 : rng.logUniform(100_000, topYuan * 100),
    status,
    monthlyDepositFen: status === 'active' ? rng.between(200, 6000) * 100 : 0,
    ...(status === 'closed'
      ? {}
      : { lastDepositAt: status === 'active' ? dayBetween(rng, 2024, 2024) : dayBetween(rng, 2015, 2023) }),
  };
}
