/**
 * The mock banks' ledgers, derived deterministically from (seed, bank, subject id): the same debtor at
 * the same bank always has the same accounts. The skew is realistic: most debtors hold nothing or little
 * at a given bank, a few hold several accounts and large balances.
 */
export interface Account {
  accountNo: string;
  accountType: 'demand' | 'time';
  currency: 'CNY';
  balanceFen: number;
  frozenFen: number;
}

/** FNV-1a, 32 bit. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(s, 'utf8')) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a tiny deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BANK_PREFIX: Record<string, string> = {
  ICBC: '622202',
  CCB: '621700',
  ABC: '622848',
  BOC: '621661',
  BOCOM: '622260',
  CMB: '621483',
};

export function accountsOf(seed: number, bank: string, subjectId: string): Account[] {
  const rand = prng(hash(`${seed}|${bank}|${subjectId}`));
  const r = rand();
  const count = r < 0.55 ? 0 : r < 0.85 ? 1 : r < 0.96 ? 2 : 3 + Math.floor(rand() * 3);
  const prefix = BANK_PREFIX[bank] ?? '620000';
  return Array.from({ length: count }, () => {
    const digits = Array.from({ length: 13 }, () => Math.floor(rand() * 10)).join('');
    // Balance in fen: log-uniform between 1 yuan and ~10 million yuan, so most are small.
    const balanceFen = Math.floor(100 * 10 ** (rand() * 7));
    return {
      accountNo: prefix + digits,
      accountType: rand() < 0.8 ? 'demand' : 'time',
      currency: 'CNY',
      balanceFen,
      frozenFen: 0,
    };
  });
}
