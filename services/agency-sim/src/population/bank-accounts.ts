/**
 * A subject's accounts at one bank, derived from (seed, bank, subject). Counts are Pareto-ish (most people
 * hold nothing at a given bank, a few hold many) and balances log-uniform (most are small); the top 3% by
 * affluence reach millions of yuan. Account numbers are unique by construction: their middle eight digits
 * are a keyed permutation of (subject, account slot), so two subjects never share one.
 */
import { permute } from './permutation.js';
import { hash32, Rng } from './rng.js';
import { affluence, type Subject } from './subjects.js';

export const BANKS = ['ICBC', 'CCB', 'ABC', 'BOC', 'BOCOM', 'CMB'] as const;
export type BankCode = (typeof BANKS)[number];

export const BANK_NAMES: Readonly<Record<BankCode, string>> = {
  ICBC: '中国工商银行',
  CCB: '中国建设银行',
  ABC: '中国农业银行',
  BOC: '中国银行',
  BOCOM: '交通银行',
  CMB: '招商银行',
};

/** Debit-card BINs for personal accounts (19-digit cards with a Luhn digit). */
const CARD_BIN: Readonly<Record<BankCode, string>> = {
  ICBC: '622202',
  CCB: '621700',
  ABC: '622848',
  BOC: '621661',
  BOCOM: '622260',
  CMB: '621483',
};

/** Corporate settlement accounts: a bank prefix (never starting with 6, so never a card) and total length. */
const CORPORATE: Readonly<Record<BankCode, readonly [prefix: string, length: number]>> = {
  ICBC: ['44', 19],
  CCB: ['51', 20],
  ABC: ['22', 17],
  BOC: ['12', 16],
  BOCOM: ['51', 21],
  CMB: ['12', 15],
};

/** At most this many accounts per subject per bank (the slot is part of the account number). */
export const MAX_ACCOUNTS_PER_BANK = 8;
const SLOTS = 100_000_000;

export interface BankAccountSeed {
  accountNo: string;
  accountType: 'demand' | 'time';
  currency: 'CNY';
  balanceFen: number;
  openedAt: string;
}

export function isBank(code: string): code is BankCode {
  return (BANKS as readonly string[]).includes(code);
}

function luhnDigit(body: string): string {
  let sum = 0;
  for (let k = 0; k < body.length; k++) {
    let d = Number(body[body.length - 1 - k]);
    if (k % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function accountNo(seed: number, bank: BankCode, subject: Subject, slot: number, rng: Rng): string {
  const ordinal =
    (subject.index * 2 + (subject.kind === 'organisation' ? 1 : 0)) * MAX_ACCOUNTS_PER_BANK + slot;
  const unique = String(permute(hash32('account', seed, bank), SLOTS, ordinal)).padStart(8, '0');
  if (subject.kind === 'person') {
    const body = CARD_BIN[bank] + rng.digits(4) + unique;
    return body + luhnDigit(body);
  }
  const [prefix, length] = CORPORATE[bank];
  return prefix + unique + rng.digits(length - prefix.length - 8);
}

/** The accounts `subject` holds at `bank`, in opening order. */
export function bankAccountsOf(seed: number, bank: BankCode, subject: Subject): BankAccountSeed[] {
  const rng = Rng.of(seed, 'bank', bank, subject.kind, subject.index);
  const rich = affluence(seed, subject) >= 0.97;
  const isFirm = subject.kind === 'organisation';
  // A firm keeps its 基本存款账户 at one bank and may hold 一般存款账户 elsewhere.
  const basic = isFirm && BANKS[hash32(seed, 'basic-bank', subject.index) % BANKS.length] === bank ? 1 : 0;
  const count = Math.min(
    MAX_ACCOUNTS_PER_BANK,
    basic + rng.paretoCount(isFirm ? 1.2 : 1.5, MAX_ACCOUNTS_PER_BANK) + (rich ? rng.between(1, 3) : 0),
  );
  const topYuan = rich || isFirm ? 50_000_000 : 200_000;
  return Array.from({ length: count }, (_, slot) => {
    const year = rng.between(Math.max(2000, bornIn(subject) + 16), 2024);
    return {
      accountNo: accountNo(seed, bank, subject, slot, rng),
      accountType: rng.chance(0.8) ? 'demand' : 'time',
      currency: 'CNY',
      // 10% dormant at zero; the rest log-uniform between 1 yuan and the tier's top.
      balanceFen: rng.chance(0.1) ? 0 : rng.logUniform(100, topYuan * 100),
      openedAt: `${year}-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}`,
    } satisfies BankAccountSeed;
  });
}

/** A person's birth year; organisations are treated as founded before accounts were opened. */
export function bornIn(subject: Subject): number {
  return subject.kind === 'person' ? Number(subject.birthDate.slice(0, 4)) : 1980;
}
