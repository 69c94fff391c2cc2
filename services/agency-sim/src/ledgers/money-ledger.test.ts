import { describe, expect, it } from 'vitest';
import { BankLedger } from './bank-ledger.js';

const day = (d: string, hour = 10) => new Date(`${d}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const A = { court: '川0104', caseNo: '(2025)川0104执100号' };
const B = { court: '川0105', caseNo: '(2025)川0105执200号' };
const C = { court: '京0105', caseNo: '(2025)京0105执300号' };

function ledger(balanceFen = 10_000) {
  const l = new BankLedger('ICBC');
  l.open('debtor', {
    accountNo: '6222020000000000001',
    balanceFen,
    meta: { accountType: 'demand', currency: 'CNY', openedAt: '2010-01-01' },
  });
  return l;
}
const acct = '6222020000000000001';
const freeze = (l: BankLedger, id: string, who: typeof A, amountFen: number, at: Date, termDays = 365) =>
  l.freeze({ requestId: id, accountNo: acct, ...who, amountFen, termDays, at });

describe('bank ledger: freezes', () => {
  it('freezes the requested amount when it is available, for the term from the day of service', () => {
    const r = freeze(ledger(), 'r1', A, 4000, day('2025-03-01'));
    expect(r).toEqual({
      ok: true,
      value: {
        accountNo: acct,
        requestedFen: 4000,
        frozenFen: 4000,
        receipt: {
          effective: true,
          queuePosition: 0,
          from: '2025-03-01',
          until: '2026-02-28',
          registrationNo: 'ICBC-20250301-000001',
        },
      },
    });
  });

  it('freezes only what is available, never more', () => {
    const l = ledger(10_000);
    freeze(l, 'r1', A, 7000, day('2025-03-01'));
    const r = freeze(l, 'r2', B, 5000, day('2025-03-02'));
    expect(r.ok && r.value.frozenFen).toBe(3000);
    expect(r.ok && r.value.receipt.effective).toBe(true);
  });

  it('queues (轮候) a freeze when nothing is available, in order of service', () => {
    const l = ledger(10_000);
    freeze(l, 'r1', A, 10_000, day('2025-03-01'));
    const b = freeze(l, 'r2', B, 4000, day('2025-03-02'));
    const c = freeze(l, 'r3', C, 4000, day('2025-03-03'));
    expect(b.ok && b.value).toMatchObject({ frozenFen: 0, receipt: { effective: false, queuePosition: 1 } });
    expect(c.ok && c.value).toMatchObject({ frozenFen: 0, receipt: { effective: false, queuePosition: 2 } });
    expect(
      l.accountsOf('debtor', day('2025-03-03'))[0]!.holds.map((h) => [h.court, h.queuePosition]),
    ).toEqual([
      ['川0104', 0],
      ['川0105', 1],
      ['京0105', 2],
    ]);
  });

  it('lets the earliest queued freeze take effect by itself on release, up to what became free', () => {
    const l = ledger(10_000);
    freeze(l, 'r1', A, 10_000, day('2025-03-01'));
    freeze(l, 'r2', B, 6000, day('2025-03-02'));
    freeze(l, 'r3', C, 6000, day('2025-03-03'));
    const released = l.release({ requestId: 'r4', accountNo: acct, ...A, at: day('2025-04-01') });
    expect(released.ok && released.value.releasedFen).toBe(10_000);
    const holds = l.accountsOf('debtor', day('2025-04-01'))[0]!.holds;
    expect(holds).toEqual([
      { ...B, amountFen: 6000, from: '2025-04-01', until: '2026-03-31', queuePosition: 0 },
      { ...C, amountFen: 4000, from: '2025-04-01', until: '2026-03-31', queuePosition: 0 },
    ]);
  });

  it('lapses a freeze not renewed after its last day and promotes the next one from the day after', () => {
    const l = ledger(10_000);
    freeze(l, 'r1', A, 10_000, day('2025-03-01'), 30);
    freeze(l, 'r2', B, 10_000, day('2025-03-02'));
    const [account] = l.accountsOf('debtor', day('2025-04-15'));
    expect(account!.holds).toEqual([
      { ...B, amountFen: 10_000, from: '2025-03-31', until: '2026-03-30', queuePosition: 0 },
    ]);
  });

  it('renews a running freeze for another term after its last day; a lapsed one cannot be renewed', () => {
    const l = ledger();
    freeze(l, 'r1', A, 1000, day('2025-03-01'), 30);
    const r = l.renew({ requestId: 'r2', accountNo: acct, ...A, termDays: 365, at: day('2025-03-30') });
    expect(r.ok && r.value.receipt).toMatchObject({
      effective: true,
      from: '2025-03-31',
      until: '2026-03-30',
    });
    freeze(l, 'r3', B, 1000, day('2025-03-30'), 10); // last day 2025-04-08
    expect(l.renew({ requestId: 'r4', accountNo: acct, ...B, termDays: 30, at: day('2025-04-09') })).toEqual({
      ok: false,
      code: 'NO_SUCH_HOLD',
    });
  });
});

describe('bank ledger: deductions', () => {
  it('deducts only from the court’s own frozen amount and transfers it out', () => {
    const l = ledger(10_000);
    freeze(l, 'r1', A, 3000, day('2025-03-01'));
    freeze(l, 'r2', B, 2000, day('2025-03-01'));
    const r = l.deduct({ requestId: 'r3', accountNo: acct, ...A, amountFen: 5000, at: day('2025-03-05') });
    expect(r).toEqual({
      ok: true,
      value: {
        accountNo: acct,
        requestedFen: 5000,
        deductedFen: 3000,
        transferRef: 'ICBC-TR20250305-000003',
        balanceAfterFen: 7000,
      },
    });
    expect(l.transfers).toEqual([
      { requestId: 'r3', accountNo: acct, ...A, amountFen: 3000, transferRef: 'ICBC-TR20250305-000003' },
    ]);
    expect(l.availableOn(acct)).toBe(5000);
  });

  it('refuses to deduct unfrozen funds or another court’s frozen funds', () => {
    const l = ledger(10_000);
    freeze(l, 'r1', A, 10_000, day('2025-03-01'));
    freeze(l, 'r2', B, 1000, day('2025-03-02')); // queued
    expect(l.deduct({ requestId: 'r3', accountNo: acct, ...B, amountFen: 1, at: day('2025-03-03') })).toEqual(
      { ok: false, code: 'NOTHING_FROZEN' },
    );
    expect(l.deduct({ requestId: 'r4', accountNo: acct, ...C, amountFen: 1, at: day('2025-03-03') })).toEqual(
      { ok: false, code: 'NO_SUCH_HOLD' },
    );
  });

  it('partially released money goes to the next in line, not back to the releasing court', () => {
    const l = ledger(10_000);
    freeze(l, 'r1', A, 10_000, day('2025-03-01'));
    freeze(l, 'r2', B, 3000, day('2025-03-02'));
    const r = l.release({ requestId: 'r3', accountNo: acct, ...A, amountFen: 4000, at: day('2025-03-03') });
    expect(r.ok && r.value.releasedFen).toBe(4000);
    expect(l.accountsOf('debtor', day('2025-03-03'))[0]!.holds.map((h) => [h.court, h.amountFen])).toEqual([
      ['川0104', 6000],
      ['川0105', 3000],
    ]);
    expect(l.availableOn(acct)).toBe(1000);
  });
});

describe('bank ledger: idempotency and errors', () => {
  it('returns the same receipt for a redelivered request and changes nothing', () => {
    const l = ledger(10_000);
    const first = freeze(l, 'r1', A, 4000, day('2025-03-01'));
    const again = freeze(l, 'r1', A, 4000, day('2025-03-09'));
    expect(again).toBe(first);
    expect(l.accountsOf('debtor', day('2025-03-09'))[0]!.frozenFen).toBe(4000);
  });

  it('names the problem with a stable code', () => {
    const l = ledger();
    expect(
      l.freeze({
        requestId: 'x1',
        accountNo: '1234567890',
        ...A,
        amountFen: 1,
        termDays: 1,
        at: day('2025-01-01'),
      }),
    ).toEqual({ ok: false, code: 'NO_SUCH_ACCOUNT' });
    expect(freeze(l, 'x2', A, 0, day('2025-01-01'))).toEqual({ ok: false, code: 'INVALID_AMOUNT' });
    expect(freeze(l, 'x3', A, 1.5, day('2025-01-01'))).toEqual({ ok: false, code: 'INVALID_AMOUNT' });
    expect(freeze(l, 'x4', A, 1, day('2025-01-01'), 0)).toEqual({ ok: false, code: 'INVALID_TERM' });
    expect(l.release({ requestId: 'x5', accountNo: acct, ...A, at: day('2025-01-01') })).toEqual({
      ok: false,
      code: 'NO_SUCH_HOLD',
    });
  });
});
