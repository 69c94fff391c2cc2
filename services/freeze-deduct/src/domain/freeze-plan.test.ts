import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FoundAsset, type HeldAsset, planFreeze } from './freeze-plan.js';

const account = (institution: string, assetKey: string, availableFen: number): FoundAsset => ({
  debtorRef: 'd1',
  agency: 'bank',
  institution,
  assetKind: 'account',
  assetKey,
  availableFen,
});
const unit: FoundAsset = {
  debtorRef: 'd1',
  agency: 'real-estate',
  institution: 'RE-510104',
  assetKind: 'unit',
  assetKey: '510104001001GB00001F00010001',
};
const plate: FoundAsset = {
  debtorRef: 'd1',
  agency: 'public-security',
  institution: 'PSB-510100',
  assetKind: 'plate',
  assetKey: '川A12345',
};

describe('planFreeze (查冻扣一体)', () => {
  it('freezes the largest free balances first, up to what is owed, one notice per account', () => {
    const plan = planFreeze({
      owedFen: 1_000,
      found: [account('ICBC', 'a1', 300), account('CCB', 'c1', 800), account('ABC', 'b1', 500)],
      held: [],
      sealProperty: false,
    });
    expect(plan.items.map((i) => [i.seq, i.institution, i.assetKey, i.amountFen])).toEqual([
      [1, 'CCB', 'c1', 800],
      [2, 'ABC', 'b1', 200],
    ]);
    expect(plan).toMatchObject({ owedFen: 1_000, heldFen: 0, plannedFen: 1_000 });
    expect(plan.reason).toBeUndefined();
  });

  it('counts what the case already holds and never freezes a held account again', () => {
    const held: HeldAsset[] = [{ institution: 'CCB', assetKind: 'account', assetKey: 'c1', fen: 600 }];
    const plan = planFreeze({
      owedFen: 1_000,
      found: [account('CCB', 'c1', 800), account('ABC', 'b1', 500)],
      held,
      sealProperty: false,
    });
    expect(plan.items.map((i) => [i.assetKey, i.amountFen])).toEqual([['b1', 400]]);
    expect(plan).toMatchObject({ heldFen: 600, plannedFen: 400 });
  });

  it('plans nothing, saying why, when the case holds what it owes or nothing is free', () => {
    const held: HeldAsset[] = [{ institution: 'CCB', assetKind: 'account', assetKey: 'c1', fen: 1_000 }];
    expect(
      planFreeze({ owedFen: 1_000, found: [account('ABC', 'b1', 500)], held, sealProperty: false }),
    ).toMatchObject({ items: [], plannedFen: 0, reason: 'OWED_ALREADY_HELD' });
    expect(
      planFreeze({ owedFen: 1_000, found: [account('ABC', 'b1', 0)], held: [], sealProperty: false }),
    ).toMatchObject({ items: [], plannedFen: 0, reason: 'NOTHING_FREE_TO_FREEZE' });
  });

  it('counts money already deducted as paid: only what is still owed is frozen', () => {
    const found = [account('ICBC', 'a1', 10_000)];
    const plan = planFreeze({ owedFen: 1_000, found, held: [], deductedFen: 600, sealProperty: false });
    expect(plan.items.map((i) => i.amountFen)).toEqual([400]);
    expect(
      planFreeze({ owedFen: 1_000, found, held: [], deductedFen: 1_000, sealProperty: false }).reason,
    ).toBe('OWED_ALREADY_HELD');
  });

  it('seals every unit and vehicle found when asked, and none otherwise', () => {
    const found = [account('ICBC', 'a1', 300), unit, plate];
    expect(planFreeze({ owedFen: 100, found, held: [], sealProperty: false }).items).toHaveLength(1);
    const sealed = planFreeze({ owedFen: 100, found, held: [], sealProperty: true });
    expect(sealed.items.map((i) => [i.seq, i.measure, i.assetKind])).toEqual([
      [1, 'freeze', 'account'],
      [2, 'seal', 'unit'],
      [3, 'seal', 'plate'],
    ]);
    expect(sealed.items[1]!.amountFen).toBeUndefined();
  });

  it('plans an asset listed twice (two inquiries) once', () => {
    const plan = planFreeze({
      owedFen: 1_000,
      found: [account('ICBC', 'a1', 300), account('ICBC', 'a1', 300), unit, unit],
      held: [],
      sealProperty: true,
    });
    expect(plan.items.map((i) => i.assetKey)).toEqual(['a1', unit.assetKey]);
  });
});

const arbAccount = fc.record({
  debtorRef: fc.constantFrom('d1', 'd2'),
  agency: fc.constantFrom('bank' as const, 'provident-fund' as const),
  institution: fc.constantFrom('ICBC', 'CCB', 'ABC', 'PF-510100'),
  assetKind: fc.constant('account' as const),
  assetKey: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5'),
  availableFen: fc.integer({ min: 0, max: 2 ** 40 }),
});
const arbProperty = fc.oneof(
  fc.record({
    debtorRef: fc.constant('d1'),
    agency: fc.constant('real-estate' as const),
    institution: fc.constant('RE-510104'),
    assetKind: fc.constant('unit' as const),
    assetKey: fc.constantFrom('u1', 'u2'),
  }),
  fc.record({
    debtorRef: fc.constant('d1'),
    agency: fc.constant('public-security' as const),
    institution: fc.constant('PSB-510100'),
    assetKind: fc.constant('plate' as const),
    assetKey: fc.constantFrom('p1', 'p2'),
  }),
);
const arbHeld = fc.record({
  institution: fc.constantFrom('ICBC', 'CCB', 'RE-510104'),
  assetKind: fc.constantFrom('account' as const, 'unit' as const),
  assetKey: fc.constantFrom('a1', 'a2', 'u1'),
  fen: fc.integer({ min: 0, max: 2 ** 40 }),
});
const arbInput = fc.record({
  owedFen: fc.integer({ min: 1, max: 2 ** 42 }),
  found: fc.array(fc.oneof(arbAccount, arbProperty), { maxLength: 12 }),
  held: fc.array(arbHeld, { maxLength: 3 }),
  sealProperty: fc.boolean(),
});
const id = (a: { institution: string; assetKind: string; assetKey: string }) =>
  `${a.institution}|${a.assetKind}|${a.assetKey}`;

describe('planFreeze, for any report', () => {
  it('never plans more than owed in total, counting what is held', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const plan = planFreeze(input);
        const sum = plan.items.reduce((t, i) => t + (i.amountFen ?? 0), 0);
        expect(sum).toBe(plan.plannedFen);
        expect(plan.plannedFen).toBeLessThanOrEqual(Math.max(0, input.owedFen - plan.heldFen));
        for (const i of plan.items) if (i.measure === 'freeze') expect(i.amountFen).toBeGreaterThan(0);
      }),
    );
  });

  it('freezes no account beyond its free balance, and covers what is owed when the balances suffice', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const plan = planFreeze(input);
        const held = new Set(input.held.map(id));
        const free = new Map<string, number>();
        // An asset listed twice is planned once, as first listed.
        for (const a of input.found)
          if (a.assetKind === 'account' && !held.has(id(a)) && !free.has(id(a)))
            free.set(id(a), a.availableFen ?? 0);
        for (const i of plan.items.filter((x) => x.measure === 'freeze'))
          expect(i.amountFen).toBeLessThanOrEqual(free.get(id(i))!);
        const freeTotal = [...free.values()].reduce((t, v) => t + v, 0);
        const need = Math.max(0, input.owedFen - plan.heldFen);
        expect(plan.plannedFen).toBe(Math.min(need, freeTotal));
      }),
    );
  });

  it('takes the largest free balances first: a skipped account is never larger than a planned one', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const plan = planFreeze(input);
        const freezes = plan.items.filter((i) => i.measure === 'freeze');
        const planned = new Set(freezes.map(id));
        const held = new Set(input.held.map(id));
        const availableOf = (k: string) =>
          (input.found.find((a) => id(a) === k) as FoundAsset | undefined)?.availableFen ?? 0;
        // Every planned account but the last is frozen whole; an unplanned free account is no larger.
        for (const i of freezes.slice(0, -1)) expect(i.amountFen).toBe(availableOf(id(i)));
        const smallest = Math.min(...freezes.map((i) => availableOf(id(i))));
        for (const a of input.found)
          if (a.assetKind === 'account' && !held.has(id(a)) && !planned.has(id(a)) && freezes.length > 0)
            expect(availableOf(id(a))).toBeLessThanOrEqual(smallest);
      }),
    );
  });

  it('one notice per asset at its institution, none on a held asset, every unit and vehicle sealed when asked', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const plan = planFreeze(input);
        const ids = plan.items.map(id);
        expect(new Set(ids).size).toBe(ids.length);
        const held = new Set(input.held.map(id));
        for (const k of ids) expect(held.has(k)).toBe(false);
        const property = new Set(
          input.found.filter((a) => a.assetKind !== 'account' && !held.has(id(a))).map(id),
        );
        const sealed = new Set(plan.items.filter((i) => i.measure === 'seal').map(id));
        expect(sealed).toEqual(input.sealProperty ? property : new Set());
        expect(plan.items.map((i) => i.seq)).toEqual(plan.items.map((_, n) => n + 1));
      }),
    );
  });
});
