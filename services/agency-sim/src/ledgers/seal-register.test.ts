import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RealEstateUnit } from '../population/real-estate.js';
import { dayOf } from './days.js';
import { RealEstateRegister } from './real-estate-register.js';
import type { LedgerResult } from './types.js';

const day = (d: string) => new Date(`${d}T10:00:00+08:00`);
// Terms count a year as 365 days (rules.ts), so three years from 2025-03-01 end on 2028-02-28, not 02-29.
const UNITS = ['510104001002GB00001F00010101', '510104001002GB00002F00010102'];
const unit = (unitNo: string): RealEstateUnit => ({
  unitNo,
  address: '成都市锦江区春熙路1号1栋101室',
  areaM2: 89.5,
  use: 'residential',
  share: '全部',
  certificateNo: '川（2020）成都市不动产权第0000001号',
  mortgages: [],
});
const A = { court: '川0104', caseNo: '(2025)川0104执1号' };
const B = { court: '川0105', caseNo: '(2025)川0105执2号' };
const C = { court: '京0105', caseNo: '(2025)京0105执3号' };

function register() {
  return new RealEstateRegister('REC-510100', (owner) => (owner === 'debtor' ? UNITS.map(unit) : []));
}
const seal = (r: RealEstateRegister, id: string, who: typeof A, at: Date, termDays = 1095) =>
  r.seal({ requestId: id, owner: 'debtor', assetNo: UNITS[0]!, ...who, termDays, at });

describe('real-estate register: seals', () => {
  it('puts the first seal in effect and queues later ones (轮候查封) in order of service', () => {
    const r = register();
    expect(seal(r, 's1', A, day('2025-03-01'))).toEqual({
      ok: true,
      value: {
        assetNo: UNITS[0],
        receipt: {
          effective: true,
          queuePosition: 0,
          from: '2025-03-01',
          until: '2028-02-28',
          registrationNo: 'REC-510100-20250301-000001',
        },
      },
    });
    expect(seal(r, 's2', B, day('2025-03-02'))).toMatchObject({
      ok: true,
      value: { receipt: { effective: false, queuePosition: 1 } },
    });
    expect(seal(r, 's3', C, day('2025-03-03'))).toMatchObject({
      ok: true,
      value: { receipt: { effective: false, queuePosition: 2 } },
    });
  });

  it('promotes the earliest queued seal when the one in effect is lifted; its term runs from that day', () => {
    const r = register();
    seal(r, 's1', A, day('2025-03-01'));
    seal(r, 's2', B, day('2025-03-02'));
    seal(r, 's3', C, day('2025-03-03'));
    expect(
      r.unseal({ requestId: 's4', owner: 'debtor', assetNo: UNITS[0]!, ...A, at: day('2025-06-01') }).ok,
    ).toBe(true);
    const [u] = r.query('debtor', day('2025-06-01')).units;
    expect(u!.holds).toEqual([
      { ...B, from: '2025-06-01', until: '2028-05-30', queuePosition: 0 },
      { ...C, from: '2025-03-03', until: '2028-03-01', queuePosition: 1 },
    ]);
  });

  it('lapses an unrenewed seal and promotes the next from the day after its last day', () => {
    const r = register();
    seal(r, 's1', A, day('2025-03-01'), 10);
    seal(r, 's2', B, day('2025-03-02'));
    const [u] = r.query('debtor', day('2025-05-01')).units;
    expect(u!.holds).toEqual([{ ...B, from: '2025-03-11', until: '2028-03-09', queuePosition: 0 }]);
  });

  it('renews the court’s running seal; treats a second seal by the same court and case as the same seal', () => {
    const r = register();
    const first = seal(r, 's1', A, day('2025-03-01'), 100);
    expect(seal(r, 's2', A, day('2025-03-05'))).toEqual(first);
    const renewed = r.renew({
      requestId: 's3',
      owner: 'debtor',
      assetNo: UNITS[0]!,
      ...A,
      termDays: 1095,
      at: day('2025-06-01'),
    });
    expect(renewed.ok && renewed.value.receipt).toMatchObject({ from: '2025-06-09', until: '2028-06-07' });
  });

  it('reaches only the debtor’s own units', () => {
    const r = register();
    expect(
      r.seal({
        requestId: 'x',
        owner: 'someone else',
        assetNo: UNITS[0]!,
        ...A,
        termDays: 30,
        at: day('2025-01-01'),
      }),
    ).toEqual({
      ok: false,
      code: 'NO_SUCH_ASSET',
    });
    expect(
      r.unseal({ requestId: 'y', owner: 'debtor', assetNo: UNITS[0]!, ...A, at: day('2025-01-01') }),
    ).toEqual({ ok: false, code: 'NO_SUCH_HOLD' });
  });
});

const PARTIES = [A, B, C, { court: '川0104', caseNo: '(2025)川0104执9号' }];
type Op = {
  kind: 'seal' | 'renew' | 'unseal' | 'redeliver';
  unit: number;
  party: number;
  termDays: number;
  pick: number;
};
const op = fc.record({
  kind: fc.constantFrom('seal', 'seal', 'seal', 'unseal', 'unseal', 'renew', 'redeliver') as fc.Arbitrary<
    Op['kind']
  >,
  unit: fc.nat(UNITS.length - 1),
  party: fc.nat(PARTIES.length - 1),
  termDays: fc.integer({ min: 1, max: 1095 }),
  pick: fc.nat(),
});
const steps = fc.array(fc.record({ op, advanceMs: fc.oneof(fc.nat(86_400_000), fc.nat(400 * 86_400_000)) }), {
  minLength: 5,
  maxLength: 60,
  size: 'max',
});

describe('real-estate register properties', () => {
  it('keeps one seal in effect, the rest queued in service order, nothing lapsed, and is idempotent', () => {
    fc.assert(
      fc.property(steps, (script) => {
        const r = register();
        const sent: { apply: () => LedgerResult<unknown>; result: LedgerResult<unknown> }[] = [];
        let now = Date.parse('2025-01-01T09:00:00+08:00');
        const snapshot = () => UNITS.map((u) => r.inspect('debtor', u));
        for (const { op, advanceMs } of script) {
          now += advanceMs;
          const at = new Date(now);
          if (op.kind === 'redeliver') {
            if (sent.length === 0) continue;
            const earlier = sent[op.pick % sent.length]!;
            const before = snapshot();
            expect(earlier.apply()).toBe(earlier.result);
            expect(snapshot()).toEqual(before);
            continue;
          }
          const cmd = {
            requestId: `q-${sent.length}`,
            owner: 'debtor',
            assetNo: UNITS[op.unit]!,
            ...PARTIES[op.party]!,
            at,
          };
          const apply = () =>
            op.kind === 'unseal'
              ? r.unseal(cmd)
              : op.kind === 'renew'
                ? r.renew({ ...cmd, termDays: op.termDays })
                : r.seal({ ...cmd, termDays: op.termDays });
          sent.push({ apply, result: apply() });

          for (const u of r.query('debtor', at).units) {
            const holds = r.inspect('debtor', u.unitNo);
            const inEffect = holds.filter((h) => h.from !== undefined);
            // Exactly one seal in effect whenever there is any; it was served no later than any queued one.
            expect(inEffect.length).toBe(holds.length === 0 ? 0 : 1);
            for (const q of holds.slice(1)) expect(q.servedAt).toBeGreaterThanOrEqual(inEffect[0]!.servedAt);
            // Queued in order of service, positions 1, 2, …
            const queued = holds.slice(1).map((h) => h.servedAt);
            expect(queued).toEqual([...queued].sort((x, y) => x - y));
            expect(u.holds.map((h) => h.queuePosition)).toEqual(holds.map((_, k) => k));
            // One seal per court and case; nothing past its last day.
            expect(new Set(holds.map((h) => `${h.court}|${h.caseNo}`)).size).toBe(holds.length);
            if (inEffect[0]) expect(inEffect[0].until! >= dayOf(at)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
