import { isBankAccountNo, isRealEstateUnitNo, isVehiclePlate } from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BANKS, bankAccountsOf } from './bank-accounts.js';
import { providentFundOf } from './provident-fund.js';
import { exitEntryOf, householdOf, whereaboutsOf } from './public-records.js';
import { realEstateOf } from './real-estate.js';
import { CITIES, cityByCode } from './regions.js';
import { DEFAULT_POPULATION, homeCityOf, organisationAt, personAt, type Subject } from './subjects.js';
import { vehiclesOf } from './vehicles.js';

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const subject = fc.oneof(
  fc.nat(DEFAULT_POPULATION.people - 1).map(
    (i) =>
      (s: number): Subject =>
        personAt(s, i),
  ),
  fc.nat(DEFAULT_POPULATION.organisations - 1).map(
    (j) =>
      (s: number): Subject =>
        organisationAt(s, j),
  ),
);
const CENTRES = ['REC-510100', 'REC-110000', 'REC-440300'];
const chengdu = cityByCode('510100')!;

function sample(n: number, s = 2026): Subject[] {
  return Array.from({ length: n }, (_, i) =>
    i % 10 === 9 ? organisationAt(s, Math.floor(i / 10)) : personAt(s, i),
  );
}

describe('assets of the synthetic population', () => {
  it('are the same for the same seed, institution and subject', () => {
    fc.assert(
      fc.property(seed, subject, fc.constantFrom(...BANKS), (s, at, bank) => {
        const who = at(s);
        expect(bankAccountsOf(s, bank, who)).toEqual(bankAccountsOf(s, bank, who));
        expect(realEstateOf(s, 'REC-510100', who)).toEqual(realEstateOf(s, 'REC-510100', who));
        expect(vehiclesOf(s, chengdu, who)).toEqual(vehiclesOf(s, chengdu, who));
        expect(providentFundOf(s, 'PF-510100', who)).toEqual(providentFundOf(s, 'PF-510100', who));
      }),
    );
  });

  it('carry valid account numbers, unit numbers and plates, and integer non-negative money', () => {
    fc.assert(
      fc.property(seed, subject, (s, at) => {
        const who = at(s);
        for (const bank of BANKS) {
          for (const a of bankAccountsOf(s, bank, who)) {
            expect(isBankAccountNo(a.accountNo)).toBe(true);
            expect(Number.isSafeInteger(a.balanceFen) && a.balanceFen >= 0).toBe(true);
          }
        }
        for (const centre of CENTRES) {
          for (const u of realEstateOf(s, centre, who)) {
            expect(isRealEstateUnitNo(u.unitNo)).toBe(true);
            const districts = cityByCode(centre.slice(4))!.districts.map(([code]) => code);
            expect(districts).toContain(u.unitNo.slice(0, 6));
            expect(Math.round(u.areaM2 * 100) / 100).toBe(u.areaM2);
          }
        }
        for (const city of CITIES)
          for (const v of vehiclesOf(s, city, who)) expect(isVehiclePlate(v.plate)).toBe(true);
        const fund = providentFundOf(s, 'PF-510100', who);
        if (fund) expect(fund.accountNo).toMatch(/^\d{12}$/);
      }),
    );
  });

  it('never gives two subjects the same account number at a bank', () => {
    const seen = new Map<string, string>();
    for (const who of sample(20_000)) {
      for (const a of bankAccountsOf(2026, 'ICBC', who)) {
        expect(seen.has(a.accountNo)).toBe(false);
        seen.set(a.accountNo, `${who.kind}:${who.index}`);
      }
    }
    expect(seen.size).toBeGreaterThan(5000);
  });

  it('is skewed: most hold little, a few hold many accounts, large balances and several properties', () => {
    const people = Array.from({ length: 20_000 }, (_, i) => personAt(2026, i));
    const counts = people.map((p) => bankAccountsOf(2026, 'CCB', p).length);
    const none = counts.filter((c) => c === 0).length / counts.length;
    expect(none).toBeGreaterThan(0.5);
    expect(none).toBeLessThan(0.75);
    expect(counts.filter((c) => c >= 4).length).toBeGreaterThan(100);

    const balances = people
      .flatMap((p) => bankAccountsOf(2026, 'ICBC', p).map((a) => a.balanceFen))
      .sort((a, b) => a - b);
    const median = balances[balances.length >> 1]!;
    expect(median).toBeLessThan((1_000_000 * 100) / 100); // under 10,000 yuan
    expect(balances[balances.length - 1]!).toBeGreaterThan(100 * median);

    const chengduPeople = people.filter((p) => homeCityOf(p) === chengdu);
    const units = chengduPeople.map((p) => realEstateOf(2026, 'REC-510100', p).length);
    expect(units.filter((n) => n === 0).length / units.length).toBeGreaterThan(0.5);
    expect(units.some((n) => n >= 4)).toBe(true);
  });

  it('puts a person’s provident fund, vehicles and household where the person lives', () => {
    for (const p of Array.from({ length: 2000 }, (_, i) => personAt(9, i))) {
      const home = homeCityOf(p) === chengdu;
      if (!home) {
        expect(providentFundOf(9, 'PF-510100', p)).toBeUndefined();
        expect(vehiclesOf(9, chengdu, p)).toEqual([]);
      }
      expect(householdOf(9, p).address).toBe(p.householdAddress);
      for (const r of exitEntryOf(9, p)) expect(r.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+08:00$/);
    }
  });

  it('places sightings before the given now, without reading the clock', () => {
    const now = new Date('2026-03-01T08:00:00+08:00');
    const p = Array.from({ length: 50 }, (_, i) => personAt(4, i)).find(
      (q) => whereaboutsOf(4, q, now).found,
    )!;
    const seen = whereaboutsOf(4, p, now);
    expect(Date.parse(seen.lastSeenAt!)).toBeLessThan(now.getTime());
    expect(whereaboutsOf(4, p, now)).toEqual(seen);
  });
});
