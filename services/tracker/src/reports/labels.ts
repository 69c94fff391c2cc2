/** Chinese and English names for printed reports (the glossary's words, @hub/domain glossary.ts). */

const AGENCY_LABELS: Readonly<Record<string, string>> = {
  bank: '银行 Bank',
  'real-estate': '不动产登记中心 Real estate',
  'public-security': '公安 Public security',
  'provident-fund': '住房公积金管理中心 Provident fund',
};

const MEASURE_LABELS: Readonly<Record<string, string>> = {
  query: '查询 Query',
  freeze: '冻结 Freeze',
  'renew-freeze': '续冻 Renew freeze',
  release: '解冻 Release',
  deduct: '扣划 Deduct',
  seal: '查封 Seal',
  'renew-seal': '续封 Renew seal',
  unseal: '解封 Unseal',
  'dishonest-list': '纳入失信名单 Dishonest list',
  'dishonest-list-removal': '删除失信信息 Dishonest-list removal',
  'restrict-consumption': '限制高消费 Restrict consumption',
  'restrict-exit': '限制出境 Restrict exit',
  'restrict-consumption-lift': '解除限制高消费 Lift consumption restriction',
  'restrict-exit-lift': '解除限制出境 Lift exit restriction',
  locate: '协查下落 Locate',
};

/** An unknown code (a newer build's word) is shown as itself rather than dropped. */
export const agencyLabel = (agency: string) => AGENCY_LABELS[agency] ?? agency;
export const measureLabel = (measure: string) => MEASURE_LABELS[measure] ?? measure;
