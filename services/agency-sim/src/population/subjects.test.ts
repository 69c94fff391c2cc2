import { checkCreditCode, validateResidentId } from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REGIONS, regionIndexOf, regionLabel } from './regions.js';
import {
  DEFAULT_POPULATION,
  findSubject,
  organisationAt,
  PERSON_ID_SPACE,
  personAt,
  subjectIdOf,
} from './subjects.js';

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const personIndex = fc.integer({ min: 0, max: DEFAULT_POPULATION.people - 1 });
const orgIndex = fc.integer({ min: 0, max: DEFAULT_POPULATION.organisations - 1 });

describe('synthetic population', () => {
  it('generates the same person and organisation for the same seed and index', () => {
    fc.assert(
      fc.property(seed, personIndex, orgIndex, (s, i, j) => {
        expect(personAt(s, i)).toEqual(personAt(s, i));
        expect(organisationAt(s, j)).toEqual(organisationAt(s, j));
      }),
    );
  });

  it('gives every person a valid GB 11643 ID born 1950–2004 whose sex matches the sequence', () => {
    fc.assert(
      fc.property(seed, personIndex, (s, i) => {
        const p = personAt(s, i);
        const check = validateResidentId(p.idNumber);
        expect(check).toEqual({ ok: true, birthDate: p.birthDate, sex: p.sex });
        expect(p.birthDate >= '1950-01-01' && p.birthDate <= '2004-12-31').toBe(true);
        expect(p.idNumber.slice(0, 6)).toBe(p.regionCode);
        expect(p.name).toMatch(/^\p{Script=Han}{2,4}$/u);
        const region = REGIONS[regionIndexOf(p.regionCode)!]!;
        expect(p.householdAddress.startsWith(regionLabel(region))).toBe(true);
      }),
    );
  });

  it('gives every organisation a valid GB 32100 code and a legal representative in the population', () => {
    fc.assert(
      fc.property(seed, orgIndex, (s, j) => {
        const o = organisationAt(s, j);
        expect(checkCreditCode(o.creditCode)).toBe('valid');
        expect(o.creditCode.slice(2, 8)).toBe(o.regionCode);
        expect(o.legalRepresentative).toBeGreaterThanOrEqual(0);
        expect(o.legalRepresentative).toBeLessThan(DEFAULT_POPULATION.people);
        expect(o.name).toMatch(/公司$/);
      }),
    );
  });

  it('finds every member again by ID (findSubject round-trips)', () => {
    fc.assert(
      fc.property(seed, personIndex, orgIndex, (s, i, j) => {
        const p = personAt(s, i);
        const o = organisationAt(s, j);
        expect(findSubject(s, p.idNumber)).toEqual(p);
        expect(findSubject(s, o.creditCode)).toEqual(o);
        expect(subjectIdOf(findSubject(s, o.creditCode)!)).toBe(o.creditCode);
      }),
    );
  });

  it('finds nobody outside the population', () => {
    fc.assert(
      fc.property(seed, personIndex, (s, i) => {
        const p = personAt(s, i);
        // The same ID with another check digit; a population too small to hold index i.
        const wrongCheck = p.idNumber.slice(0, 17) + (p.idNumber[17] === '0' ? '1' : '0');
        expect(findSubject(s, wrongCheck)).toBeUndefined();
        expect(findSubject(s, p.idNumber, { people: i, organisations: 0 })).toBeUndefined();
      }),
    );
    expect(findSubject(1, '440524188001010014')).toBeUndefined(); // GB 11643's own sample, born 1880
    expect(findSubject(1, '91350100M000100Y43')).toBeUndefined(); // a real-shaped code, not generated
    expect(findSubject(1, 'not an id')).toBeUndefined();
  });

  it('treats a person beyond the population as outside it, and growing the population keeps everyone', () => {
    const beyond = personAt(3, DEFAULT_POPULATION.people + 5);
    expect(findSubject(3, beyond.idNumber)).toBeUndefined();
    expect(findSubject(3, beyond.idNumber, { people: 200_000, organisations: 0 })).toEqual(beyond);
    expect(() => personAt(3, PERSON_ID_SPACE)).toThrow(RangeError);
  });

  it('hands out distinct IDs', () => {
    const ids = new Set(Array.from({ length: 20_000 }, (_, i) => personAt(11, i).idNumber));
    expect(ids.size).toBe(20_000);
    const codes = new Set(Array.from({ length: 10_000 }, (_, j) => organisationAt(11, j).creditCode));
    expect(codes.size).toBe(10_000);
  });

  it('spreads people over regions, birth years and both sexes', () => {
    const people = Array.from({ length: 5000 }, (_, i) => personAt(5, i));
    const regions = new Set(people.map((p) => p.regionCode));
    expect(regions.size).toBeGreaterThan(40);
    const men = people.filter((p) => p.sex === 'M').length / people.length;
    expect(men).toBeGreaterThan(0.45);
    expect(men).toBeLessThan(0.55);
    const decades = new Set(people.map((p) => p.birthDate.slice(0, 3)));
    expect([...decades].sort()).toEqual(['195', '196', '197', '198', '199', '200']);
  });
});
