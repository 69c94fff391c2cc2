import { describe, expect, it } from 'vitest';
import { BankLedger } from './bank-ledger.js';
import { RealEstateRegister } from './real-estate-register.js';

const day = (d: string, hour = 10) => new Date(`${d}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const A = { court: '川0104', caseNo: '(2025)川0104执100号' };
const B = { court: '川0105', caseNo: '(2025)川0105执200号' };
const C = { court: '京0105', caseNo: '(2025)京0105执300号' };
const acct = '6222020000000000001';

function ledger(balanceFen = 10_000) {
  const l = new BankLedger('ICBC');
  l.open('debtor', { accountNo: acct, balanceFen, meta: { accountType: 'demand', currency: 'CNY' } });
  return l;
}
const freeze = (l: BankLedger, id: string, who: typeof A, amountFen: number, at: Date, termDays = 365) =>
  l.freeze({ requestId: id, accountNo: acct, ...who, amountFen, termDays, at });
const strip = <T extends { at: Date }>(changes: T[]) => changes.map(({ at: _, ...c }) => c);

describe('hold changes an agency reports (money ledger)', () => {
  it('a release ahead promotes the next queued freeze and moves the one behind it up; nothing else is noted', () => {
    const l = ledger();
    freeze(l, 'a', A, 10_000, day('2025-03-01'));
    freeze(l, 'b', B, 6_000, day('2025-03-02'));
    freeze(l, 'c', C, 6_000, day('2025-03-03'));
    expect(l.holdChanges.take()).toEqual([]); // placements are answers, not reports
    l.release({ requestId: 'ra', accountNo: acct, ...A, at: day('2025-03-10') });
    const changes = l.holdChanges.take();
    expect(strip(changes)).toEqual([
      {
        holdId: 'b',
        asset: acct,
        change: 'promoted',
        from: '2025-03-10',
        until: '2026-03-09',
        registrationNo: 'ICBC-20250302-000002',
        frozenFen: 6_000,
      },
      // c took the 4,000 left: in effect too, for part of its amount.
      {
        holdId: 'c',
        asset: acct,
        change: 'promoted',
        from: '2025-03-10',
        until: '2026-03-09',
        registrationNo: 'ICBC-20250303-000003',
        frozenFen: 4_000,
      },
    ]);
    expect(changes[0]!.at).toEqual(day('2025-03-10'));
    expect(l.holdChanges.take()).toEqual([]); // taken once
  });

  it('a hold ahead released moves a still-waiting freeze up the queue (released-by-other-court)', () => {
    const l = ledger();
    freeze(l, 'a', A, 10_000, day('2025-03-01'));
    freeze(l, 'b', B, 10_000, day('2025-03-02'));
    freeze(l, 'c', C, 10_000, day('2025-03-03'));
    l.release({ requestId: 'rb', accountNo: acct, ...B, at: day('2025-03-05') });
    expect(strip(l.holdChanges.take())).toEqual([
      { holdId: 'c', asset: acct, change: 'released-by-other-court', queuePosition: 1 },
    ]);
  });

  it('a freeze that runs out unrenewed is noted as lapsed, and the one it promoted as promoted', () => {
    const l = ledger();
    freeze(l, 'a', A, 10_000, day('2025-03-01'), 10);
    freeze(l, 'b', B, 10_000, day('2025-03-02'));
    l.account(acct, day('2025-03-20'));
    expect(strip(l.holdChanges.take())).toEqual([
      { holdId: 'a', asset: acct, change: 'lapsed', lastDay: '2025-03-10' },
      expect.objectContaining({ holdId: 'b', change: 'promoted', from: '2025-03-11', frozenFen: 10_000 }),
    ]);
  });
});

describe('hold changes an agency reports (seal register)', () => {
  const UNIT = '510104001002GB00001F00010101';
  const register = () =>
    new RealEstateRegister('REC-510100', (owner) =>
      owner === 'debtor'
        ? [
            {
              unitNo: UNIT,
              address: '成都市锦江区春熙路1号1栋101室',
              areaM2: 89.5,
              use: 'residential',
              share: '全部',
              certificateNo: '川（2020）成都市不动产权第0000001号',
              mortgages: [],
            },
          ]
        : [],
    );
  const seal = (r: RealEstateRegister, id: string, who: typeof A, at: Date) =>
    r.seal({ requestId: id, owner: 'debtor', assetNo: UNIT, ...who, termDays: 1095, at });

  it('an unseal ahead promotes the next seal; a disposal of the asset lapses the queued ones', () => {
    const r = register();
    seal(r, 's1', A, day('2025-03-01'));
    seal(r, 's2', B, day('2025-03-02'));
    seal(r, 's3', C, day('2025-03-03'));
    r.unseal({ requestId: 'u1', owner: 'debtor', assetNo: UNIT, ...A, at: day('2025-04-01') });
    expect(strip(r.holdChanges.take())).toEqual([
      expect.objectContaining({ holdId: 's2', change: 'promoted', from: '2025-04-01', until: '2028-03-30' }),
      { holdId: 's3', asset: UNIT, change: 'released-by-other-court', queuePosition: 1 },
    ]);
    expect(r.dispose('debtor', UNIT, day('2025-05-01'))).toBe(true);
    expect(strip(r.holdChanges.take())).toEqual([{ holdId: 's3', asset: UNIT, change: 'disposed' }]);
    expect(r.assetsOf('debtor', day('2025-05-02'))[0]!.holds).toEqual([]);
  });
});
