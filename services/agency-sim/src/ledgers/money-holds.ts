/**
 * The freezes on one money account and how funds flow between them. Rules (DESIGN §4):
 *   - Holds rank by the time their notice was served (then by arrival); 轮候冻结 take effect by themselves,
 *     in that order, when money ahead of them is released or lapses.
 *   - A hold claims what it asked for less what was already deducted under it. Whenever money is free,
 *     it goes to the earliest-ranked holds still short of their claim: a freeze that found only part of its
 *     amount keeps its rank for the rest. So money is never idle while a hold waits, and a queued hold's
 *     term starts the day it takes effect (a queued hold has no running term).
 *   - A freeze not renewed lapses after its last day, which frees its money for the next in line.
 */
import { addDaysToDay, termLastDay } from '@hub/domain';
import type { HoldSnapshot } from './hold-changes.js';
import type { Hold } from './types.js';

export interface MoneyHold {
  id: string;
  court: string;
  caseNo: string;
  requestedFen: number;
  frozenFen: number;
  deductedFen: number;
  servedAt: number;
  seq: number;
  termDays: number;
  /** Day of service (registration of the hold, queued or not). */
  registeredOn: string;
  /** Set once the hold takes effect. */
  from?: string;
  until?: string;
  registrationNo: string;
}

export interface MoneyAccount {
  accountNo: string;
  owner: string;
  balanceFen: number;
  /** Ordered by (servedAt, seq). */
  holds: MoneyHold[];
  /** The latest day this account has been brought up to (lapses processed). */
  day: string;
}

export const isEffective = (h: MoneyHold): boolean => h.from !== undefined;
const shortfall = (h: MoneyHold): number => h.requestedFen - h.deductedFen - h.frozenFen;

export function frozenFen(account: MoneyAccount): number {
  let sum = 0;
  for (const h of account.holds) sum += h.frozenFen;
  return sum;
}

export function availableFen(account: MoneyAccount): number {
  return account.balanceFen - frozenFen(account);
}

export function insertHold(account: MoneyAccount, hold: MoneyHold): void {
  const at = account.holds.findIndex(
    (h) => h.servedAt > hold.servedAt || (h.servedAt === hold.servedAt && h.seq > hold.seq),
  );
  account.holds.splice(at < 0 ? account.holds.length : at, 0, hold);
}

/** Gives free money to the holds short of their claim, in rank order; a queued one takes effect on `day`. */
export function allocate(account: MoneyAccount, day: string): void {
  let free = availableFen(account);
  for (const h of account.holds) {
    if (free <= 0) return;
    const take = Math.min(shortfall(h), free);
    if (take <= 0) continue;
    h.frozenFen += take;
    free -= take;
    if (!isEffective(h)) {
      h.from = day;
      h.until = termLastDay(day, h.termDays);
    }
  }
}

/**
 * Lapses every hold whose last day is before `today`, in the order they ran out, promoting behind them;
 * returns the holds that lapsed.
 */
export function lapseUntil(account: MoneyAccount, today: string): MoneyHold[] {
  const lapsed: MoneyHold[] = [];
  if (today <= account.day) return lapsed;
  for (;;) {
    let first: string | undefined;
    for (const h of account.holds)
      if (h.until !== undefined && h.until < today && (!first || h.until < first)) first = h.until;
    if (first === undefined) break;
    const ended = first;
    lapsed.push(...account.holds.filter((h) => h.until === ended));
    account.holds = account.holds.filter((h) => h.until !== ended);
    allocate(account, addDaysToDay(ended, 1));
  }
  account.day = today;
  return lapsed;
}

/** The holds on an account as a hold-change report sees them (ledgers/hold-changes.ts). */
export function snapshotOf(account: MoneyAccount): HoldSnapshot[] {
  return account.holds.map((h) => ({
    id: h.id,
    queuePosition: queuePosition(account, h),
    from: h.from,
    until: h.until,
    registrationNo: h.registrationNo,
    frozenFen: h.frozenFen,
  }));
}

export function queuePosition(account: MoneyAccount, hold: MoneyHold): number {
  if (isEffective(hold)) return 0;
  let ahead = 0;
  for (const h of account.holds) {
    if (h === hold) break;
    if (!isEffective(h)) ahead += 1;
  }
  return ahead + 1;
}

export function holdView(account: MoneyAccount, h: MoneyHold): Hold {
  const from = h.from ?? h.registeredOn;
  return {
    court: h.court,
    caseNo: h.caseNo,
    amountFen: isEffective(h) ? h.frozenFen : h.requestedFen - h.deductedFen,
    from,
    until: h.until ?? termLastDay(from, h.termDays),
    queuePosition: queuePosition(account, h),
  };
}

export function holdsOf(account: MoneyAccount, court: string, caseNo: string): MoneyHold[] {
  return account.holds.filter((h) => h.court === court && h.caseNo === caseNo);
}
