/**
 * A money ledger (银行 or 住房公积金中心): accounts with balances and the freezes on them. Every operation is
 * idempotent per request id, ranks by service time, and keeps the books whole: money leaves an account only
 * by a deduction, transferred to the court (执行款专户), and only out of that court's own frozen amount.
 * Accounts come from a lazy source, keyed by owner (the debtor's ID), loaded the first time the owner is
 * touched; `open` adds one directly.
 */
import { addDaysToDay, isTermDays, splitDeduction } from '@hub/domain';
import { dayOf } from './days.js';
import { HoldChangeLog, holdChanges } from './hold-changes.js';
import {
  allocate,
  availableFen,
  frozenFen,
  holdsOf,
  holdView,
  insertHold,
  isEffective,
  lapseUntil,
  type MoneyAccount,
  type MoneyHold,
  queuePosition,
  snapshotOf,
} from './money-holds.js';
import type {
  AccountView,
  DeductCommand,
  DeductReceipt,
  FreezeCommand,
  FreezeReceipt,
  OpeningAccount,
  ReleaseCommand,
  ReleaseReceipt,
  RenewCommand,
  Transfer,
} from './money-types.js';
import { Numbering, ReceiptLog } from './receipt-log.js';
import { type CourtCommand, failure, type LedgerResult, type MeasureReceipt } from './types.js';

export type * from './money-types.js';

const isAmount = (fen: number) => Number.isSafeInteger(fen) && fen > 0;

export class MoneyLedger<M> {
  private readonly accounts = new Map<string, MoneyAccount & { meta: M }>();
  private readonly owners = new Map<string, string[]>();
  private readonly log = new ReceiptLog<LedgerResult<unknown>>();
  private readonly numbers: Numbering;
  private readonly moved: Transfer[] = [];
  /** What happened to holds besides what their own courts asked: reported to the hub by the agency. */
  readonly holdChanges = new HoldChangeLog();
  private seq = 0;

  constructor(
    readonly institution: string,
    private readonly source: (owner: string) => readonly OpeningAccount<M>[] = () => [],
  ) {
    this.numbers = new Numbering(institution);
  }

  /** Adds an account (once; opening it again changes nothing). */
  open(owner: string, opening: OpeningAccount<M>): void {
    const known = this.accounts.get(opening.accountNo);
    if (known) {
      if (known.owner !== owner)
        throw new Error(`account ${opening.accountNo} already belongs to another owner`);
      return;
    }
    if (!Number.isSafeInteger(opening.balanceFen) || opening.balanceFen < 0) {
      throw new RangeError(`opening balance of ${opening.accountNo} is not a non-negative integer of fen`);
    }
    this.accounts.set(opening.accountNo, { ...opening, owner, holds: [], day: '' });
    this.owners.set(owner, [...(this.owners.get(owner) ?? []), opening.accountNo]);
  }

  private load(owner: string): string[] {
    if (!this.owners.has(owner)) {
      this.owners.set(owner, []);
      for (const opening of this.source(owner)) this.open(owner, opening);
    }
    return this.owners.get(owner)!;
  }

  /** The owner's accounts, brought up to `at` (lapsed holds gone, queued ones promoted). */
  accountsOf(owner: string, at: Date): AccountView<M>[] {
    return this.load(owner).map((no) => this.view(this.touch(this.accounts.get(no)!, at)));
  }

  account(accountNo: string, at: Date): AccountView<M> | undefined {
    const account = this.accounts.get(accountNo);
    return account && this.view(this.touch(account, at));
  }

  /** Every deduction so far, in order. */
  get transfers(): readonly Transfer[] {
    return this.moved;
  }

  freeze(cmd: FreezeCommand): LedgerResult<FreezeReceipt> {
    return this.once(cmd, (account, day) => {
      if (!isAmount(cmd.amountFen)) return failure('INVALID_AMOUNT');
      if (!isTermDays(cmd.termDays)) return failure('INVALID_TERM');
      const hold: MoneyHold = {
        id: cmd.requestId,
        court: cmd.court,
        caseNo: cmd.caseNo,
        requestedFen: cmd.amountFen,
        frozenFen: 0,
        deductedFen: 0,
        servedAt: cmd.at.getTime(),
        seq: this.seq++,
        termDays: cmd.termDays,
        registeredOn: day,
        registrationNo: this.numbers.take(day),
      };
      insertHold(account, hold);
      allocate(account, day);
      const receipt = {
        effective: isEffective(hold),
        queuePosition: queuePosition(account, hold),
        registrationNo: hold.registrationNo,
      };
      return {
        ok: true,
        value: {
          accountNo: account.accountNo,
          requestedFen: cmd.amountFen,
          frozenFen: hold.frozenFen,
          receipt: isEffective(hold) ? { ...receipt, from: hold.from, until: hold.until } : receipt,
        },
      };
    });
  }

  /** 续冻: each running hold of the court and case runs `termDays` more after its last day (DESIGN §4). */
  renew(cmd: RenewCommand): LedgerResult<FreezeReceipt> {
    return this.once(cmd, (account, day) => {
      if (!isTermDays(cmd.termDays)) return failure('INVALID_TERM');
      const mine = holdsOf(account, cmd.court, cmd.caseNo);
      if (mine.length === 0) return failure('NO_SUCH_HOLD');
      let renewed: MeasureReceipt | undefined;
      for (const h of mine) {
        if (!isEffective(h)) continue; // a queued hold's term has not started
        const from = addDaysToDay(h.until!, 1);
        h.until = addDaysToDay(h.until!, cmd.termDays);
        renewed ??= {
          effective: true,
          queuePosition: 0,
          from,
          until: h.until,
          registrationNo: this.numbers.take(day),
        };
      }
      const first = mine[0]!;
      return {
        ok: true,
        value: {
          accountNo: account.accountNo,
          // What the renewed holds are for: still owed to them, frozen or awaited.
          requestedFen: mine.reduce((s, h) => s + h.requestedFen - h.deductedFen, 0),
          frozenFen: mine.reduce((s, h) => s + h.frozenFen, 0),
          receipt: renewed ?? {
            effective: false,
            queuePosition: queuePosition(account, first),
            registrationNo: this.numbers.take(day),
          },
        },
      };
    });
  }

  /** 解冻: lifts the court's holds for the case (or `amountFen` of them, latest-served first). */
  release(cmd: ReleaseCommand): LedgerResult<ReleaseReceipt> {
    return this.once(cmd, (account, day) => {
      if (cmd.amountFen !== undefined && !isAmount(cmd.amountFen)) return failure('INVALID_AMOUNT');
      const mine = holdsOf(account, cmd.court, cmd.caseNo);
      if (mine.length === 0) return failure('NO_SUCH_HOLD');
      let releasedFen = 0;
      if (cmd.amountFen === undefined) {
        for (const h of mine) releasedFen += h.frozenFen;
        account.holds = account.holds.filter((h) => !mine.includes(h));
      } else {
        // A partial release means the court holds more than it needs: each hold it touches also gives up
        // the part it was still waiting for, so the released money cannot flow straight back to it.
        let left = cmd.amountFen;
        for (const h of [...mine].reverse()) {
          const lift = Math.min(left, h.frozenFen);
          if (lift === 0) continue;
          h.frozenFen -= lift;
          h.requestedFen = h.deductedFen + h.frozenFen;
          releasedFen += lift;
          left -= lift;
        }
        account.holds = account.holds.filter((h) => h.requestedFen > h.deductedFen || h.frozenFen > 0);
      }
      allocate(account, day);
      return {
        ok: true,
        value: {
          accountNo: account.accountNo,
          releasedFen,
          receipt: { effective: true, queuePosition: 0, registrationNo: this.numbers.take(day) },
        },
      };
    });
  }

  /** 扣划: only out of this court's frozen amount for this case on this account, never more. */
  deduct(cmd: DeductCommand): LedgerResult<DeductReceipt> {
    return this.once(cmd, (account, day) => {
      if (!isAmount(cmd.amountFen)) return failure('INVALID_AMOUNT');
      const mine = holdsOf(account, cmd.court, cmd.caseNo);
      if (mine.length === 0) return failure('NO_SUCH_HOLD');
      // Never more than this court froze for the case on this account (domain splitDeduction).
      const taken = splitDeduction(
        cmd.amountFen,
        mine.map((h) => h.frozenFen),
      );
      mine.forEach((h, i) => {
        h.frozenFen -= taken[i] ?? 0;
        h.deductedFen += taken[i] ?? 0;
      });
      const deductedFen = taken.reduce((a, b) => a + b, 0);
      if (deductedFen === 0) return failure('NOTHING_FROZEN');
      account.balanceFen -= deductedFen;
      // A hold whose whole claim has been paid is spent.
      account.holds = account.holds.filter((h) => h.requestedFen > h.deductedFen || h.frozenFen > 0);
      const transferRef = this.numbers.take(day, 'TR');
      this.moved.push({
        requestId: cmd.requestId,
        accountNo: account.accountNo,
        court: cmd.court,
        caseNo: cmd.caseNo,
        amountFen: deductedFen,
        transferRef,
      });
      return {
        ok: true,
        value: {
          accountNo: account.accountNo,
          requestedFen: cmd.amountFen,
          deductedFen,
          transferRef,
          balanceAfterFen: account.balanceFen,
        },
      };
    });
  }

  private once<T>(
    cmd: CourtCommand & { accountNo: string },
    apply: (account: MoneyAccount, day: string) => LedgerResult<T>,
  ): LedgerResult<T> {
    return this.log.once(cmd.requestId, () => {
      const account = this.accounts.get(cmd.accountNo);
      if (!account) return failure('NO_SUCH_ACCOUNT');
      this.touch(account, cmd.at);
      const before = snapshotOf(account);
      const result = apply(account, account.day);
      // Other courts' holds moved by this command (a release or deduction ahead of them).
      this.holdChanges.note(holdChanges(account.accountNo, before, snapshotOf(account)), cmd.at);
      return result;
    }) as LedgerResult<T>;
  }

  private touch<A extends MoneyAccount>(account: A, at: Date): A {
    const before = snapshotOf(account);
    const lapsed = lapseUntil(account, dayOf(at));
    if (lapsed.length > 0) {
      const ended = before.filter((h) => lapsed.some((l) => l.id === h.id));
      this.holdChanges.note(
        holdChanges(account.accountNo, before, snapshotOf(account), { lapsed: ended }),
        at,
      );
    }
    return account;
  }

  private view(account: MoneyAccount & { meta: M }): AccountView<M> {
    return {
      accountNo: account.accountNo,
      owner: account.owner,
      balanceFen: account.balanceFen,
      frozenFen: frozenFen(account),
      holds: account.holds.map((h) => holdView(account, h)),
      meta: account.meta,
    };
  }

  /** Free money on an account (balance less everything frozen), as last brought up to date. */
  availableOn(accountNo: string): number {
    const account = this.accounts.get(accountNo);
    return account ? availableFen(account) : 0;
  }

  /** The holds on an account with their ranking data, as last brought up to date (tests, diagnostics). */
  inspect(accountNo: string): readonly Readonly<MoneyHold>[] {
    return (this.accounts.get(accountNo)?.holds ?? []).map((h) => ({ ...h }));
  }

  /** Every account loaded or opened so far. */
  accountNos(): string[] {
    return [...this.accounts.keys()];
  }
}
