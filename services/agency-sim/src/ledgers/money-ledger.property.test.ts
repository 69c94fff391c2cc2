/**
 * Property tests of the money ledger under random interleavings of freeze / queue / release / deduct /
 * renew / redelivery by several courts on shared accounts, with time moving on (so freezes also lapse).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BankLedger } from './bank-ledger.js';
import { dayOf } from './days.js';
import type { LedgerResult } from './types.js';

const ACCOUNTS = ['6222020000000000001', '6222020000000000002', '6222020000000000003'];
const PARTIES = [
  { court: '川0104', caseNo: '(2025)川0104执1号' },
  { court: '川0104', caseNo: '(2025)川0104执2号' },
  { court: '川0105', caseNo: '(2025)川0105执3号' },
  { court: '京0105', caseNo: '(2025)京0105执4号' },
];
const T0 = Date.parse('2025-01-01T09:00:00+08:00');

/** Release, deduct and renew usually `target` an existing hold (its account, court and case), so they meet. */
type Op =
  | { kind: 'freeze'; account: number; party: number; amountFen: number; termDays: number }
  | { kind: 'release'; account: number; party: number; target?: number; amountFen?: number }
  | { kind: 'deduct'; account: number; party: number; target?: number; amountFen: number }
  | { kind: 'renew'; account: number; party: number; target?: number; termDays: number }
  | { kind: 'redeliver'; pick: number };
type Step = { op: Op; advanceMs: number };

const account = fc.nat(ACCOUNTS.length - 1);
const party = fc.nat(PARTIES.length - 1);
const amount = fc.integer({ min: 1, max: 6000 });
const target = fc.option(fc.nat(), { nil: undefined, freq: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('freeze' as const),
      account,
      party,
      amountFen: amount,
      termDays: fc.integer({ min: 1, max: 365 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('release' as const),
      account,
      party,
      amountFen: fc.option(amount, { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('deduct' as const), account, party, target, amountFen: amount }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('renew' as const),
      account,
      party,
      termDays: fc.integer({ min: 1, max: 365 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }) },
);
// Time moves on between notices: mostly hours, sometimes months (freezes lapse).
const step: fc.Arbitrary<Step> = fc.record({
  op,
  advanceMs: fc.oneof(
    fc.integer({ min: 0, max: 12 * 3_600_000 }),
    fc.integer({ min: 0, max: 200 * 86_400_000 }),
  ),
});
const balances = fc.array(fc.integer({ min: 0, max: 10_000 }), {
  minLength: ACCOUNTS.length,
  maxLength: ACCOUNTS.length,
});

function world(initial: number[]) {
  const ledger = new BankLedger('ICBC');
  for (const [k, accountNo] of ACCOUNTS.entries()) {
    ledger.open('debtor', {
      accountNo,
      balanceFen: initial[k]!,
      meta: { accountType: 'demand', currency: 'CNY' },
    });
  }
  return ledger;
}

function snapshot(ledger: BankLedger) {
  return {
    accounts: ACCOUNTS.map((no) => ({ holds: ledger.inspect(no), available: ledger.availableOn(no) })),
    transfers: ledger.transfers.length,
  };
}

type Sent = { requestId: string; apply: () => LedgerResult<unknown>; result: LedgerResult<unknown> };

/** Runs the steps, checking every invariant after each; `check` sees the ledger and the op just applied. */
function run(initial: number[], steps: Step[]) {
  const ledger = world(initial);
  const sent: Sent[] = [];
  let now = T0;
  for (const { op, advanceMs } of steps) {
    now += advanceMs;
    const at = new Date(now);
    const requestId = `req-${sent.length}`;
    if (op.kind === 'redeliver') {
      if (sent.length === 0) continue;
      const earlier = sent[op.pick % sent.length]!;
      const before = snapshot(ledger);
      // (f) the same request applied twice changes nothing and returns the same receipt.
      expect(earlier.apply()).toBe(earlier.result);
      expect(snapshot(ledger)).toEqual(before);
      continue;
    }
    const existing = ACCOUNTS.flatMap((no) =>
      ledger.inspect(no).map((h) => ({ no, court: h.court, caseNo: h.caseNo })),
    );
    const aimed =
      op.kind !== 'freeze' && op.target !== undefined && existing.length > 0
        ? existing[op.target % existing.length]
        : undefined;
    const accountNo = aimed?.no ?? ACCOUNTS[op.account]!;
    const who = aimed ? { court: aimed.court, caseNo: aimed.caseNo } : PARTIES[op.party]!;
    // Bring the account up to now first, so "before" is what the operation itself sees.
    ledger.account(accountNo, at);
    const before = ledger.inspect(accountNo);
    const balanceBefore = ledger.account(accountNo, at)!.balanceFen;
    const mine = before.filter((h) => h.court === who.court && h.caseNo === who.caseNo);
    const apply = (): LedgerResult<unknown> => {
      const base = { requestId, accountNo, ...who, at };
      switch (op.kind) {
        case 'freeze':
          return ledger.freeze({ ...base, amountFen: op.amountFen, termDays: op.termDays });
        case 'release':
          return ledger.release({ ...base, amountFen: op.amountFen });
        case 'deduct':
          return ledger.deduct({ ...base, amountFen: op.amountFen });
        case 'renew':
          return ledger.renew({ ...base, termDays: op.termDays });
      }
    };
    const result = apply();
    sent.push({ requestId, apply, result });
    if (op.kind === 'deduct' && result.ok) {
      // (e) never more than this court's frozen amount for the case on this account, nor than asked.
      const { deductedFen, balanceAfterFen } = result.value as {
        deductedFen: number;
        balanceAfterFen: number;
      };
      const frozenByMe = mine.reduce((s, h) => s + h.frozenFen, 0);
      expect(deductedFen).toBeLessThanOrEqual(frozenByMe);
      expect(deductedFen).toBeLessThanOrEqual(op.amountFen);
      expect(balanceAfterFen).toBe(balanceBefore - deductedFen);
    }
    if (op.kind === 'freeze' && result.ok) {
      const { frozenFen } = result.value as { frozenFen: number };
      expect(frozenFen).toBeLessThanOrEqual(
        Math.min(op.amountFen, ledger.availableOn(accountNo) + frozenFen),
      );
    }
    checkInvariants(ledger, initial, at);
  }
  return ledger;
}

function checkInvariants(ledger: BankLedger, initial: number[], at: Date) {
  let total = 0;
  for (const accountNo of ACCOUNTS) {
    const view = ledger.account(accountNo, at)!;
    const holds = ledger.inspect(accountNo);
    total += view.balanceFen;
    // (a) no balance ever goes negative; (c) what is frozen never exceeds the balance.
    expect(view.balanceFen).toBeGreaterThanOrEqual(0);
    expect(view.frozenFen).toBeLessThanOrEqual(view.balanceFen);
    for (const h of holds) {
      expect(h.frozenFen).toBeGreaterThanOrEqual(0);
      expect(h.frozenFen).toBeLessThanOrEqual(h.requestedFen - h.deductedFen);
    }
    // (d) queue order: holds take effect in order of service — no queued hold was served before one in
    // effect, money is never left free while a hold still waits for some, and positions count 1, 2, ….
    const waiting = holds.filter((h) => h.from === undefined);
    for (const q of waiting) {
      for (const e of holds.filter((h) => h.from !== undefined))
        expect(e.servedAt).toBeLessThanOrEqual(q.servedAt);
    }
    if (holds.some((h) => h.frozenFen < h.requestedFen - h.deductedFen)) {
      expect(ledger.availableOn(accountNo)).toBe(0);
    }
    expect(view.holds.filter((h) => h.queuePosition > 0).map((h) => h.queuePosition)).toEqual(
      waiting.map((_, k) => k + 1),
    );
    // A freeze not renewed lapses: nothing still on the books has passed its last day.
    for (const h of holds) if (h.until !== undefined) expect(h.until >= dayOf(at)).toBe(true);
  }
  // (b) money is conserved: balances plus what was transferred to the courts equal what there was.
  const transferred = ledger.transfers.reduce((s, t) => s + t.amountFen, 0);
  expect(total + transferred).toBe(initial.reduce((s, b) => s + b, 0));
}

describe('bank ledger properties', () => {
  it('keeps balances non-negative, money conserved, frozen ≤ balance, queue order, deduct ≤ frozen, idempotency', () => {
    fc.assert(
      fc.property(
        balances,
        fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }),
        (initial, steps) => {
          run(initial, steps);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ends the same whatever the redeliveries: replaying every request changes nothing', () => {
    fc.assert(
      fc.property(
        balances,
        fc.array(step, { minLength: 5, maxLength: 40, size: 'max' }),
        (initial, steps) => {
          const once = snapshot(
            run(
              initial,
              steps.filter((s) => s.op.kind !== 'redeliver'),
            ),
          );
          const withReplays = snapshot(
            run(
              initial,
              steps.flatMap((s) =>
                s.op.kind === 'redeliver'
                  ? []
                  : [s, { op: { kind: 'redeliver' as const, pick: Number.MAX_SAFE_INTEGER }, advanceMs: 0 }],
              ),
            ),
          );
          expect(withReplays).toEqual(once);
        },
      ),
      { numRuns: 100 },
    );
  });
});
