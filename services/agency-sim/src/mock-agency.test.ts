import { createLogger } from '@hub/service-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AgencyAnswer, type InboxItem, MockAgency } from './mock-agency.js';

const item = (id: string): InboxItem => ({
  id,
  measure: 'deduct',
  caseNo: '(2026)川0104执1号',
  court: { code: '川0104' },
  debtor: { kind: 'person', idNumber: '11010519491231002X' },
  params: { accountNo: '6222020200112233445', amountFen: 100 },
});

function agency(refusalRate: number) {
  let backOffice = 0;
  const sim = new MockAgency({
    agency: { kind: 'bank', institution: 'ICBC', secret: 's', adapterUrl: 'http://127.0.0.1:1' },
    answer: (): AgencyAnswer => {
      backOffice += 1;
      return { outcome: 'done', result: { deductedFen: 100, transferRef: `TR-${backOffice}` } };
    },
    pollMs: 10,
    leaseWaitS: 0,
    batch: 10,
    latencyMs: 0,
    jitterMs: 0,
    refusalRate,
    errorRate: 0,
    silent: false,
    down: false,
    logger: createLogger({ service: 'mock-agency-test', level: 'fatal' }),
  });
  return { sim, backOffice: () => backOffice };
}

afterEach(() => vi.restoreAllMocks());

describe('a mock agency answering a request that comes back', () => {
  it('asks its back office once: a redelivered deduct request moves no money again', () => {
    const { sim, backOffice } = agency(0);
    const first = sim.answerFor(item('r1'));
    expect(sim.answerFor(item('r1'))).toEqual(first);
    expect(backOffice()).toBe(1);
    expect(sim.answerFor(item('r2'))).not.toEqual(first);
    expect(backOffice()).toBe(2);
  });

  it('never reports refused what it carried out the first time (a simulated refusal is decided once too)', () => {
    const { sim, backOffice } = agency(0.5);
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.9); // not refused
    const first = sim.answerFor(item('r1'));
    expect(first.outcome).toBe('done');
    random.mockReturnValue(0.1); // would be refused now
    expect(sim.answerFor(item('r1'))).toEqual(first);
    const refused = sim.answerFor(item('r2'));
    expect(refused.outcome).toBe('refused');
    random.mockReturnValue(0.9);
    expect(sim.answerFor(item('r2'))).toEqual(refused);
    expect(backOffice()).toBe(1);
  });
});
