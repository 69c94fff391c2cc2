import { describe, expect, it } from 'vitest';
import { planRequests } from './request-plan.ts';

const directory = new Map([['bank', ['ICBC', 'CCB', 'CMB']]] as const);

describe('planRequests', () => {
  it('fans a bank target out to every connected bank', () => {
    const plan = planRequests([{ agency: 'bank' }], directory);
    expect(plan.map((p) => p.institution)).toEqual(['ICBC', 'CCB', 'CMB']);
    expect(plan.every((p) => p.failure === undefined)).toBe(true);
  });

  it('sends a target naming one institution only there, and collapses duplicates', () => {
    const plan = planRequests([{ agency: 'bank', institution: 'CCB' }, { agency: 'bank' }], directory);
    expect(plan.map((p) => p.institution).sort()).toEqual(['CCB', 'CMB', 'ICBC']);
  });

  it('records an unconnected agency kind or institution as a failed request, never drops it', () => {
    const plan = planRequests(
      [{ agency: 'real-estate' }, { agency: 'bank', institution: 'HSBC' }],
      directory,
    );
    expect(plan).toEqual([
      expect.objectContaining({
        agency: 'real-estate',
        institution: '*',
        failure: expect.objectContaining({ code: 'AGENCY_NOT_CONNECTED' }),
      }),
      expect.objectContaining({
        agency: 'bank',
        institution: 'HSBC',
        failure: expect.objectContaining({ code: 'INSTITUTION_NOT_CONNECTED' }),
      }),
    ]);
  });
});
