/**
 * One bank's ledger: the debtor's deposit accounts (loaded lazily from a source, e.g. the synthetic
 * population) and the freezes on them, with the bank's query view (docs/agency-answers.md, bank query).
 */
import type { BankAccountSeed } from '../population/bank-accounts.js';
import { type AccountView, MoneyLedger } from './money-ledger.js';
import type { Hold } from './types.js';

export type BankAccountInfo = Pick<BankAccountSeed, 'accountType' | 'currency'> & { openedAt?: string };

export interface BankQueryAccount {
  accountNo: string;
  accountType: 'demand' | 'time' | 'other';
  currency: string;
  balanceFen: number;
  frozenFen: number;
  holds: Hold[];
  openedAt?: string;
}

export class BankLedger extends MoneyLedger<BankAccountInfo> {
  constructor(bank: string, source: (owner: string) => readonly BankAccountSeed[] = () => []) {
    super(bank, (owner) =>
      source(owner).map(({ accountNo, balanceFen, accountType, currency, openedAt }) => ({
        accountNo,
        balanceFen,
        meta: { accountType, currency, openedAt },
      })),
    );
  }

  /** 查询: every account of the owner at this bank, with balances, frozen amounts and holds. */
  query(owner: string, at: Date): { accounts: BankQueryAccount[] } {
    return { accounts: this.accountsOf(owner, at).map(bankView) };
  }
}

function bankView(a: AccountView<BankAccountInfo>): BankQueryAccount {
  return {
    accountNo: a.accountNo,
    accountType: a.meta.accountType,
    currency: a.meta.currency,
    balanceFen: a.balanceFen,
    frozenFen: a.frozenFen,
    holds: a.holds,
    openedAt: a.meta.openedAt,
  };
}
