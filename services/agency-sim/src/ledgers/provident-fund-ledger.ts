/**
 * A housing provident fund centre's ledger (住房公积金管理中心): like a bank, but one personal account per
 * person at most. Freezes, releases and deductions behave exactly as at a bank (DESIGN §4: frozen like
 * deposits, the 1-year term).
 */
import type { FundAccountSeed, FundStatus } from '../population/provident-fund.js';
import { MoneyLedger } from './money-ledger.js';
import type { Hold } from './types.js';

export type FundAccountInfo = Omit<FundAccountSeed, 'accountNo' | 'balanceFen'>;

export interface FundQueryAccount {
  accountNo: string;
  balanceFen: number;
  frozenFen: number;
  status: FundStatus;
  monthlyDepositFen: number;
  lastDepositAt?: string;
  holds: Hold[];
}

export class ProvidentFundLedger extends MoneyLedger<FundAccountInfo> {
  constructor(centre: string, source: (owner: string) => FundAccountSeed | undefined = () => undefined) {
    super(centre, (owner) => {
      const seed = source(owner);
      if (!seed) return [];
      const { accountNo, balanceFen, ...meta } = seed;
      return [{ accountNo, balanceFen, meta }];
    });
  }

  /** The owner's one account, if any. */
  accountNoOf(owner: string, at: Date): string | undefined {
    return this.accountsOf(owner, at)[0]?.accountNo;
  }

  /** 查询: the owner's account with balance, status and holds; no `account` when there is none. */
  query(owner: string, at: Date): { account?: FundQueryAccount } {
    const a = this.accountsOf(owner, at)[0];
    if (!a) return {};
    return {
      account: {
        accountNo: a.accountNo,
        balanceFen: a.balanceFen,
        frozenFen: a.frozenFen,
        status: a.meta.status,
        monthlyDepositFen: a.meta.monthlyDepositFen,
        ...(a.meta.lastDepositAt ? { lastDepositAt: a.meta.lastDepositAt } : {}),
        holds: a.holds,
      },
    };
  }
}
