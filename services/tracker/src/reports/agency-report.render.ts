/** The agency report (通报) as CSV for spreadsheets and as a printable HTML page. */
import type { AgencyFigures, AgencyReport, PunishmentConfirmations } from './agency-report.js';
import { type CsvCell, toCsv } from './csv.js';
import { formatDuration, type HtmlTable, htmlDocument } from './html.js';
import { agencyLabel, measureLabel } from './labels.js';
import { formatShanghaiTime } from './period.js';

const HEADER = [
  '单位类别 Agency kind',
  '单位 Institution',
  '收到 Received',
  '按时签收 Acknowledged on time',
  '已答复 Answered',
  '按时答复 Answered on time',
  '答复用时中位数(秒) Median answer time (s)',
  '答复用时P95(秒) P95 answer time (s)',
  '拒绝协助 Refused',
  '无法协助 Cannot assist',
  '超时 Breaches',
  '未办结 Still open',
  '其中续冻续封 Of which renewals',
] as const;
// On paper the answer times are printed as durations (`3.2 h`), not seconds.
const HTML_HEADER = HEADER.map((h, i) =>
  i === 6 ? '答复用时中位数 Median answer time' : i === 7 ? '答复用时P95 P95 answer time' : h,
);

const SUBTOTAL = '小计 Subtotal';
const TOTAL = '合计 Total';

export const agencyReportTitle = (r: AgencyReport) =>
  `协助执行单位通报 Agency report ${r.period.from}–${r.period.to}`;

type Line = { agency: string; institution: string; figures: AgencyFigures; sum: boolean };

/** Institution rows of each agency kind, then that kind's subtotal; the total last. */
function lines(r: AgencyReport): Line[] {
  const out: Line[] = [];
  for (const kind of r.agencies) {
    for (const row of r.rows.filter((x) => x.agency === kind.agency)) {
      out.push({ agency: row.agency, institution: row.institution, figures: row, sum: false });
    }
    out.push({ agency: kind.agency, institution: SUBTOTAL, figures: kind, sum: true });
  }
  out.push({ agency: TOTAL, institution: '', figures: r.totals, sum: true });
  return out;
}

function cells(f: AgencyFigures, seconds: (s: number | null) => CsvCell) {
  return [
    f.received,
    f.acknowledgedOnTime,
    f.answered,
    f.answeredOnTime,
    seconds(f.medianAnswerSeconds),
    seconds(f.p95AnswerSeconds),
    f.refused,
    f.cannotAssist,
    f.breached,
    f.open,
    f.renewals,
  ];
}

// Punishment notices are among the requests received, so every institution with one has a row to carry it.
const CSV_HEADER = [
  ...HEADER,
  '惩戒通知逾期确认 Punishment notices confirmed late',
  '惩戒通知逾期未确认 Punishment notices missing past deadline',
] as const;

/** Each line's punishment confirmations: the institution's, the kind's subtotal, the total. */
function confirmationsOf(r: AgencyReport, l: Line): PunishmentConfirmations | undefined {
  const p = r.punishmentConfirmations;
  if (l.agency === TOTAL) return p.totals;
  if (l.institution === SUBTOTAL && l.sum) return p.agencies.find((a) => a.agency === l.agency);
  return p.rows.find((x) => x.agency === l.agency && x.institution === l.institution);
}

export function agencyReportCsv(r: AgencyReport): string {
  return toCsv(
    CSV_HEADER,
    lines(r).map((l) => {
      const c = confirmationsOf(r, l);
      return [l.agency, l.institution, ...cells(l.figures, (s) => s), c?.confirmedLate ?? 0, c?.missing ?? 0];
    }),
  );
}

/** Punishment notices' confirmations per institution, each kind's subtotal, the total: as the main table. */
function punishmentTable(r: AgencyReport): HtmlTable {
  const p = r.punishmentConfirmations;
  const rows: string[][] = [];
  const sums = new Set<number>();
  const cells = (c: PunishmentConfirmations) =>
    [c.received, c.confirmedOnTime, c.confirmedLate, c.missing, c.notYetDue].map(String);
  for (const kind of p.agencies) {
    for (const row of p.rows.filter((x) => x.agency === kind.agency)) {
      rows.push([agencyLabel(row.agency), row.institution, ...cells(row)]);
    }
    sums.add(rows.length);
    rows.push([agencyLabel(kind.agency), SUBTOTAL, ...cells(kind)]);
  }
  sums.add(rows.length);
  rows.push([TOTAL, '', ...cells(p.totals)]);
  return {
    heading: '失信、限制消费及限制出境通知的确认情况 Confirmations of punishment notices',
    header: [
      '单位类别 Agency kind',
      '单位 Institution',
      '收到 Received',
      '按时确认 Confirmed on time',
      '逾期确认 Confirmed late',
      '逾期未确认 Missing past deadline',
      '未到期 Not yet due',
    ],
    rows,
    emphasise: sums,
  };
}

/** Interceptions per institution and measure, then per agency kind and measure, then the total. */
function interceptionTable(r: AgencyReport): HtmlTable {
  const i = r.interceptions;
  const rows = [
    ...i.rows.map((x) => [agencyLabel(x.agency), x.institution, measureLabel(x.measure), String(x.count)]),
    ...i.agencies.map((x) => [agencyLabel(x.agency), SUBTOTAL, measureLabel(x.measure), String(x.count)]),
    [TOTAL, '', '', String(i.total)],
  ];
  return {
    heading: '联合惩戒拦截 Interceptions reported',
    header: ['单位类别 Agency kind', '单位 Institution', '措施 Measure', '拦截次数 Interceptions'],
    rows,
    emphasise: new Set(rows.flatMap((_row, n) => (n >= i.rows.length ? [n] : []))),
  };
}

export function agencyReportHtml(r: AgencyReport): string {
  const all = lines(r);
  return htmlDocument({
    title: agencyReportTitle(r),
    subtitle: `生成于 Generated ${formatShanghaiTime(new Date(r.generatedAt))} (北京时间 Beijing time)`,
    tables: [
      {
        header: HTML_HEADER,
        rows: all.map((l) => [
          l.agency === TOTAL ? TOTAL : agencyLabel(l.agency),
          l.institution,
          ...cells(l.figures, formatDuration).map(String),
        ]),
        emphasise: new Set(all.flatMap((l, i) => (l.sum ? [i] : []))),
      },
      punishmentTable(r),
      interceptionTable(r),
    ],
    notes: [
      '统计范围：期间内发出的协助请求（北京时间，首尾两日均含）。 Requests dispatched in the period (Shanghai days, both ends included).',
      '按时签收：签收期限内签收或答复。 Acknowledged on time: acknowledged, or answered, by the acknowledgement deadline.',
      '答复用时：自发出至答复。 Answer time: from dispatch to the agency’s answer.',
      '超时：逾期未答复或逾期答复。 Breaches: unanswered past the answer deadline, or answered after it.',
      '惩戒通知（纳入失信名单、限制高消费、限制出境及其删除、解除）以答复为确认；删除、解除的期限由惩戒服务按法定3个工作日核定。 Punishment notices (listings, restrictions, their removal and lifting) are confirmed by the answer; a removal’s deadline is stamped by the punishment service within the 3-working-day legal limit.',
      '拦截：协助单位据拦截查询阻止的行为，按拦截日期统计。 Interceptions: acts partners blocked after an interception check, by the day blocked.',
      '续冻、续封是原冻结、查封的续行，计入收到，单列为续行，不视为新的冻结、查封。 Renewals (renew-freeze, renew-seal) are received requests, shown apart: a renewal, not another freeze or seal.',
    ],
  });
}
