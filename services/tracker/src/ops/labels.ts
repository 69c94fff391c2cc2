import type { AgencyKind, BoundRole, Measure, NoticeStatus, RequestStatus } from '@hub/domain';

/** One label in both console languages. */
export interface Label {
  zh: string;
  en: string;
}

const ui = {
  title: { zh: '执行联动 · 运维控制台', en: 'Enforcement linkage hub · Ops console' },
  live: { zh: '实时', en: 'Live' },
  connecting: { zh: '连接中…', en: 'Connecting…' },
  down: { zh: '已断开，稍后重连', en: 'Disconnected, retrying' },
  breaches: { zh: '实时超期', en: 'Live SLA breaches' },
  breachesHint: {
    zh: '未在期限内答复的请求（最新在上），含近 7 日的逾期答复',
    en: 'Requests not answered in time (newest first), with late answers of the last 7 days',
  },
  noBreaches: { zh: '暂无超期', en: 'No breaches' },
  escalated: { zh: '已升级', en: 'Escalated' },
  lateAnswer: { zh: '逾期答复', en: 'Answered late' },
  due: { zh: '答复期限', en: 'Due' },
  breachedAt: { zh: '超期于', en: 'Breached' },
  escalatedAt: { zh: '升级于', en: 'Escalated' },
  answeredAt: { zh: '答复于', en: 'Answered' },
  agencies: { zh: '协助单位积压与办理时长', en: 'Backlog and answer time per agency' },
  agenciesHint: {
    zh: '积压与超期为当前数；答复、时长与拒绝为近 {days} 日（中位数 / 95 分位）',
    en: 'Backlog and breaches now; answers, time and refusals over {days} days (median / 95th percentile)',
  },
  agency: { zh: '单位类别', en: 'Agency' },
  institution: { zh: '协助单位', en: 'Institution' },
  backlog: { zh: '积压', en: 'Backlog' },
  openBreaches: { zh: '超期', en: 'Breaches' },
  answered: { zh: '已答复', en: 'Answered' },
  answerTime: { zh: '答复时长 p50 / p95', en: 'Answer time p50 / p95' },
  refusals: { zh: '拒绝协助', en: 'Refusals' },
  noAgencies: { zh: '暂无请求', en: 'No requests yet' },
  search: { zh: '通知书查询', en: 'Find a notice' },
  searchPlaceholder: {
    zh: '案号 / 通知书文号 / 被执行人 / 证件号码',
    en: 'Case no. / notice no. / debtor / ID number',
  },
  searchButton: { zh: '查询', en: 'Search' },
  noResults: { zh: '未找到通知书', en: 'No notice found' },
  notice: { zh: '通知书详情', en: 'Notice' },
  noticeRef: { zh: '通知书', en: 'Notice' },
  close: { zh: '关闭', en: 'Close' },
  noticeNo: { zh: '通知书文号', en: 'Notice no.' },
  caseNo: { zh: '案号', en: 'Case no.' },
  court: { zh: '法院', en: 'Court' },
  measure: { zh: '措施', en: 'Measure' },
  status: { zh: '状态', en: 'Status' },
  issuedAt: { zh: '签发时间', en: 'Issued' },
  completedAt: { zh: '办结时间', en: 'Completed' },
  debtor: { zh: '被执行人', en: 'Debtor' },
  breached: { zh: '超期', en: 'Breached' },
  requests: { zh: '协助请求', en: 'Requests' },
  outcome: { zh: '结果 / 理由', en: 'Outcome / reason' },
  timeline: { zh: '时间线', en: 'Timeline' },
  deadLetters: { zh: '死信消息', en: 'Dead-lettered messages' },
  deadLettersHint: {
    zh: '各服务放弃处理的全部消息（最新在上），无法解码的也在内',
    en: 'Every message a service gave up on (newest first), undecodable ones included',
  },
  noDeadLetters: { zh: '暂无死信', en: 'No dead letters' },
  olderDeadLetters: { zh: '更早的死信', en: 'Older dead letters' },
  receivedAt: { zh: '接收时间', en: 'Received' },
  source: { zh: '来源（主题 [分区] @位点）', en: 'Source (topic [partition] @offset)' },
  consumer: { zh: '消费组', en: 'Consumer group' },
  eventType: { zh: '事件', en: 'Event' },
  reason: { zh: '原因', en: 'Reason' },
  message: { zh: '消息', en: 'Message' },
  key: { zh: '键', en: 'Key' },
  deadLetterAt: { zh: '死信位置', en: 'Dead letter at' },
  noValue: { zh: '空消息（无内容）', en: 'Empty message (no value)' },
  valueBytes: { zh: '{n} 字节', en: '{n} bytes' },
  valueTruncated: { zh: '共 {n} 字节，仅显示前 {shown} 字节', en: '{n} bytes, the first {shown} shown' },
  download: { zh: '下载原始字节', en: 'Download the raw bytes' },
  notFound: { zh: '未找到该通知书', en: 'No such notice' },
  holds: { zh: '即将到期的控制措施', en: 'Holds running out' },
  holdsHint: {
    zh: '已发出续行提醒、尚未续冻续封的冻结与查封（各法院，最早到期在上），含近 7 日已失效的',
    en: 'Freezes and seals reminded of and not yet renewed, all courts (soonest first), with those lapsed in the last 7 days',
  },
  noHolds: { zh: '暂无即将到期的控制措施', en: 'No hold running out' },
  asset: { zh: '财产', en: 'Asset' },
  termUntil: { zh: '期限至', en: 'Term until' },
  daysLeft: { zh: '剩余天数', en: 'Days left' },
  holdLapsed: { zh: '已失效', en: 'Lapsed' },
  holdExpiring: { zh: '待续行', en: 'Renew' },
  latePunishments: { zh: '惩戒通知逾期确认', en: 'Punishment notices confirmed late' },
  latePunishmentsHint: {
    zh: '失信名单、限制消费、限制出境及其删除、解除：逾期确认或逾期仍未确认的协助单位（各法院，最近期限在上）',
    en: 'Listings, restrictions and their removal or lifting confirmed after the deadline or still unconfirmed past it, per institution, all courts (latest deadline first)',
  },
  noLatePunishments: { zh: '暂无逾期确认', en: 'No late confirmations' },
  moreLatePunishments: { zh: '更多', en: 'More' },
  confirmationMissing: { zh: '逾期未确认', en: 'Missing' },
  confirmedLate: { zh: '逾期确认', en: 'Confirmed late' },
  confirmation: { zh: '确认情况', en: 'Confirmation' },
  restrictions: { zh: '本案现行惩戒措施', en: 'Restrictions in force for this case' },
  boundRole: { zh: '约束对象', en: 'Bound' },
  since: { zh: '生效时间', en: 'Since' },
  endsAt: { zh: '届满', en: 'Ends' },
  noTerm: { zh: '无固定期限', en: 'No fixed term' },
  loadFailed: { zh: '加载失败', en: 'Could not load' },
  footer: {
    zh: '时间均为北京时间（中枢时钟）。证件号码只以哈希比对，从不显示。',
    en: 'Times in Beijing time (hub clock). ID numbers are matched by hash only and never shown.',
  },
} satisfies Record<string, Label>;

const agency: Record<AgencyKind, Label> = {
  bank: { zh: '银行', en: 'Bank' },
  'real-estate': { zh: '不动产登记', en: 'Real estate' },
  'public-security': { zh: '公安', en: 'Public security' },
  'provident-fund': { zh: '住房公积金', en: 'Provident fund' },
};

const measure: Record<Measure, Label> = {
  query: { zh: '查询', en: 'Query' },
  freeze: { zh: '冻结', en: 'Freeze' },
  'renew-freeze': { zh: '续冻', en: 'Renew freeze' },
  release: { zh: '解冻', en: 'Release' },
  deduct: { zh: '扣划', en: 'Deduct' },
  seal: { zh: '查封', en: 'Seal' },
  'renew-seal': { zh: '续封', en: 'Renew seal' },
  unseal: { zh: '解封', en: 'Unseal' },
  'dishonest-list': { zh: '纳入失信名单', en: 'Dishonest list' },
  'dishonest-list-removal': { zh: '删除失信信息', en: 'Dishonest-list removal' },
  'restrict-consumption': { zh: '限制高消费', en: 'Restrict consumption' },
  'restrict-exit': { zh: '限制出境', en: 'Restrict exit' },
  'restrict-consumption-lift': { zh: '解除限制高消费', en: 'Lift consumption restriction' },
  'restrict-exit-lift': { zh: '解除限制出境', en: 'Lift exit restriction' },
  locate: { zh: '协查下落', en: 'Locate' },
};

const noticeStatus: Record<NoticeStatus, Label> = {
  issued: { zh: '已签发', en: 'Issued' },
  'in-progress': { zh: '办理中', en: 'In progress' },
  completed: { zh: '已办结', en: 'Completed' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

const requestStatus: Record<RequestStatus, Label> = {
  pending: { zh: '待送达', en: 'Pending' },
  delivered: { zh: '已送达', en: 'Delivered' },
  acknowledged: { zh: '已签收', en: 'Acknowledged' },
  done: { zh: '已办结', en: 'Done' },
  partial: { zh: '部分办结', en: 'Partial' },
  'cannot-assist': { zh: '无法协助', en: 'Cannot assist' },
  refused: { zh: '拒绝协助', en: 'Refused' },
  failed: { zh: '失败', en: 'Failed' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

// 法释〔2015〕17号 art. 3: whom an organisation's restriction binds besides itself (BOUND_ROLE_ZH in @hub/domain).
const role: Record<BoundRole, Label> = {
  debtor: { zh: '被执行人', en: 'Debtor' },
  'legal-representative': { zh: '法定代表人', en: 'Legal representative' },
  principal: { zh: '主要负责人', en: 'Principal' },
  'directly-responsible': { zh: '直接责任人员', en: 'Directly responsible' },
  'actual-controller': { zh: '实际控制人', en: 'Actual controller' },
};

/** Timeline event names (the envelope `type`); an unknown one is shown as it is. */
const event: Record<string, Label> = {
  NoticeIssued: { zh: '通知书签发', en: 'Notice issued' },
  RequestDispatched: { zh: '请求分派', en: 'Request dispatched' },
  RequestDelivered: { zh: '已送达', en: 'Delivered' },
  RequestAcknowledged: { zh: '已签收', en: 'Acknowledged' },
  RequestAnswered: { zh: '已答复', en: 'Answered' },
  RequestFailed: { zh: '投递失败', en: 'Failed' },
  RequestBreached: { zh: '超期未答复', en: 'SLA breached' },
  RequestEscalated: { zh: '超期升级', en: 'Escalated' },
  NoticeCompleted: { zh: '通知书办结', en: 'Notice completed' },
  HoldExpiring: { zh: '即将到期，提醒续行', en: 'Renewal reminder' },
  HoldLapsed: { zh: '未续行，已失效', en: 'Lapsed unrenewed' },
  InterceptionReported: { zh: '协助单位报告拦截', en: 'Interception reported' },
};

/** Every word the console shows, in 中文 and English; embedded in the page as JSON. */
export const CONSOLE_LABELS = { ui, agency, measure, noticeStatus, requestStatus, role, event } as const;
