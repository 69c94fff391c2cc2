import { describe, expect, it } from 'vitest';
import {
  AGENCY_KINDS,
  ANSWER_OUTCOMES,
  agencySupports,
  isMoneyMeasure,
  isRenewal,
  MEASURES,
  MONEY_MEASURES,
  measureService,
  REQUEST_STATUSES,
} from './glossary.ts';

describe('glossary', () => {
  it.each([
    ['query', 'query'],
    ['locate', 'query'],
    ['freeze', 'freeze-deduct'],
    ['renew-freeze', 'freeze-deduct'],
    ['release', 'freeze-deduct'],
    ['deduct', 'freeze-deduct'],
    ['seal', 'freeze-deduct'],
    ['renew-seal', 'freeze-deduct'],
    ['unseal', 'freeze-deduct'],
    ['dishonest-list', 'punishment'],
    ['dishonest-list-removal', 'punishment'],
    ['restrict-consumption', 'punishment'],
    ['restrict-exit', 'punishment'],
  ] as const)('%s belongs to the %s service', (measure, service) => {
    expect(measureService(measure)).toBe(service);
  });

  it('routes every measure to a service', () => {
    for (const m of MEASURES) expect(['query', 'freeze-deduct', 'punishment']).toContain(measureService(m));
  });

  it('money measures are exactly freeze, renew-freeze and deduct', () => {
    expect(MEASURES.filter(isMoneyMeasure)).toEqual([...MONEY_MEASURES]);
    expect([...MONEY_MEASURES]).toEqual(['freeze', 'renew-freeze', 'deduct']);
  });

  it('renewals are renew-freeze and renew-seal, each renewing a hold that is itself a measure', () => {
    expect(MEASURES.filter(isRenewal)).toEqual(['renew-freeze', 'renew-seal']);
    expect(isRenewal('freeze')).toBe(false);
    expect(isRenewal('toString')).toBe(false);
  });

  it('every answer outcome is a request status', () => {
    for (const o of ANSWER_OUTCOMES) expect(REQUEST_STATUSES).toContain(o);
  });

  it('every agency kind takes queries and the punishment measures; only public security locates', () => {
    for (const a of AGENCY_KINDS) {
      expect(agencySupports(a, 'query')).toBe(true);
      expect(agencySupports(a, 'dishonest-list')).toBe(true);
      expect(agencySupports(a, 'locate')).toBe(a === 'public-security');
    }
    expect(agencySupports('bank', 'seal')).toBe(false);
    expect(agencySupports('real-estate', 'deduct')).toBe(false);
  });
});
