/** Real-shaped answer results for tests (`@hub/contracts/answers/test-support`, never for production code), and an issue helper. */
import { type AgencyKind, type Measure, toValidationIssues } from '@hub/domain';
import type { z } from 'zod';
import { ANSWER_ISSUE_TEXT } from './shared.js';

/** The `{ path, code }` of every issue, or a thrown error if the input parsed. */
export function issuesOf(schema: z.ZodType, input: unknown): { path: string; code: string }[] {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return toValidationIssues(r.error.issues, input, ANSWER_ISSUE_TEXT).map(({ path, code }) => ({
    path,
    code,
  }));
}

export const hold = {
  court: '川0104',
  caseNo: '(2025)川0104执1234号',
  from: '2025-03-01',
  until: '2026-02-28',
  queuePosition: 0,
};

export const receipt = {
  effective: true,
  queuePosition: 0,
  from: '2026-01-05',
  until: '2027-01-04',
  registrationNo: 'DJ2026010500123',
};

export const queuedReceipt = { effective: false, queuePosition: 2, registrationNo: 'DJ2026010500124' };

export const punishment = {
  applied: true,
  registrationNo: 'SX2026-510104-000321',
  effectiveAt: '2026-01-05T10:30:00+08:00',
};

export const BANK_ACCOUNT = '6222020200112233445';
export const UNIT_NO = '510104001001GB00001F00010001';
export const PF_ACCOUNT = '510100123456789';

export const bankQuery = {
  accounts: [
    {
      accountNo: BANK_ACCOUNT,
      accountType: 'demand',
      currency: 'CNY',
      balanceFen: 1_234_567,
      frozenFen: 500_000,
      holds: [{ ...hold, amountFen: 500_000 }],
      openedAt: '2016-08-12',
    },
    { accountNo: '6217000010012345678', accountType: 'time', currency: 'CNY', balanceFen: 0, frozenFen: 0 },
  ],
};

export const bankFreeze = {
  accountNo: BANK_ACCOUNT,
  requestedFen: 12_345_600,
  frozenFen: 1_234_567,
  receipt,
};
export const bankQueuedFreeze = { ...bankFreeze, frozenFen: 0, receipt: queuedReceipt };
export const bankRelease = { accountNo: BANK_ACCOUNT, releasedFen: 1_234_567, receipt };
export const bankDeduct = {
  accountNo: BANK_ACCOUNT,
  requestedFen: 1_000_000,
  deductedFen: 1_000_000,
  transferRef: 'HK20260105000987',
  balanceAfterFen: 234_567,
};

export const realEstateQuery = {
  units: [
    {
      unitNo: UNIT_NO,
      address: '四川省成都市锦江区红星路三段1号1栋1单元1201号',
      areaM2: 89.57,
      use: 'residential',
      share: '1/2',
      certificateNo: '川(2021)成都市不动产权第0123456号',
      mortgages: [
        { mortgagee: '中国建设银行股份有限公司成都第一支行', amountFen: 80_000_000, until: '2041-06-30' },
      ],
      holds: [hold, { ...hold, court: '川0105', caseNo: '(2025)川0105执889号', queuePosition: 1 }],
    },
    {
      unitNo: '510104001001JC00012F00020003',
      address: '四川省成都市锦江区三圣街道某村3组12号',
      areaM2: 210,
      use: 'other',
      share: '全部',
      certificateNo: '川(2019)成都市不动产权第0004567号',
      mortgages: [],
      holds: [],
    },
  ],
};
export const realEstateSeal = { unitNo: UNIT_NO, receipt };

export const publicSecurityQuery = {
  household: {
    address: '四川省成都市锦江区春熙路街道总府路2号',
    registeredAt: '2008-09-01',
    householdHead: true,
  },
  vehicles: [
    {
      plate: '川A12345',
      brand: '大众牌FV7152FADBG',
      vin: 'LFV2A21K8D3123456',
      registeredAt: '2013-05-20',
      holds: [],
    },
    {
      plate: '川AD12345',
      brand: '比亚迪牌BYD7150WTHEV3',
      vin: 'LGXCE4CB5N0123456',
      registeredAt: '2022-11-02',
      holds: [hold],
    },
  ],
  exitEntry: [
    {
      at: '2025-07-01T08:15:00+08:00',
      port: '成都天府国际机场',
      direction: 'exit',
      document: '护照 E12345678',
    },
    {
      at: '2025-07-10T21:40:00+08:00',
      port: '成都天府国际机场',
      direction: 'entry',
      document: '护照 E12345678',
    },
  ],
};
export const vehicleSeal = { plate: '川A12345', receipt };
export const restrictExit = { restricted: true, until: '2027-01-04', registrationNo: 'XZCJ2026000456' };
export const located = {
  found: true,
  lastSeenAt: '2026-01-03T22:10:00+08:00',
  place: '四川省成都市武侯区某酒店',
  source: 'hotel',
};

export const providentFundQuery = {
  account: {
    accountNo: PF_ACCOUNT,
    balanceFen: 8_765_432,
    frozenFen: 0,
    status: 'active',
    monthlyDepositFen: 246_000,
    lastDepositAt: '2025-12-15',
    holds: [],
  },
};
export const pfFreeze = { ...bankFreeze, accountNo: PF_ACCOUNT };
export const pfRelease = { ...bankRelease, accountNo: PF_ACCOUNT };
export const pfDeduct = { ...bankDeduct, accountNo: PF_ACCOUNT };

/** One valid result for every measure each agency kind supports. */
export const EXAMPLES: Readonly<Record<AgencyKind, Partial<Record<Measure, unknown>>>> = {
  bank: {
    query: bankQuery,
    freeze: bankFreeze,
    'renew-freeze': bankQueuedFreeze,
    release: bankRelease,
    deduct: bankDeduct,
  },
  'real-estate': {
    query: realEstateQuery,
    seal: realEstateSeal,
    'renew-seal': realEstateSeal,
    unseal: realEstateSeal,
  },
  'public-security': {
    query: publicSecurityQuery,
    seal: vehicleSeal,
    'renew-seal': vehicleSeal,
    unseal: vehicleSeal,
    'restrict-exit': restrictExit,
    'restrict-exit-lift': punishment,
    locate: located,
  },
  'provident-fund': {
    query: providentFundQuery,
    freeze: pfFreeze,
    'renew-freeze': pfFreeze,
    release: pfRelease,
    deduct: pfDeduct,
  },
};
