/** Yearly linkage statistics as CSV (one value per line, pivot-ready) and as a printable HTML page. */
import { formatYuan } from '@hub/domain';
import { type CsvCell, toCsv } from './csv.js';
import { formatDuration, type HtmlTable, htmlDocument } from './html.js';
import { agencyLabel, measureLabel } from './labels.js';
import { formatShanghaiTime } from './period.js';
import type { RequestOutcomes, YearlyStats } from './yearly-stats.js';

export const yearlyStatsTitle = (s: YearlyStats) =>
  `执行联动年度统计 Yearly linkage statistics ${s.year} — ${s.court ?? '全部法院 All courts'}`;

const OUTCOME_KEYS = [
  'dispatched',
  'done',
  'partial',
  'cannotAssist',
  'refused',
  'failed',
  'open',
  'answered',
  'averageAnswerSeconds',
] as const satisfies readonly (keyof RequestOutcomes)[];

/** Section and item keys are the JSON's field names, so a CSV line and a JSON figure are found alike. */
export function yearlyStatsCsv(s: YearlyStats): string {
  const rows: CsvCell[][] = [['notices', 'total', s.notices.total]];
  for (const m of s.notices.byMeasure) rows.push(['notices.byMeasure', m.measure, m.count]);
  for (const a of s.notices.byAgency) rows.push(['notices.byAgency', a.agency, a.count]);
  for (const k of OUTCOME_KEYS) rows.push(['requests', k, s.requests[k]]);
  for (const a of s.requests.byAgency) {
    for (const k of OUTCOME_KEYS) rows.push([`requests.byAgency.${a.agency}`, k, a[k]]);
  }
  rows.push(
    ['money', 'frozenFen', s.money.frozenFen],
    ['money', 'renewedFen', s.money.renewedFen],
    ['money', 'deductedFen', s.money.deductedFen],
    ['money', 'unreadableAnswers', s.money.unreadableAnswers],
  );
  for (const h of s.holds) {
    rows.push([`holds.${h.measure}`, 'placed', h.placed], [`holds.${h.measure}`, 'renewals', h.renewals]);
  }
  for (const l of s.listings) {
    rows.push(
      [`listings.${l.measure}`, 'requests', l.requests],
      [`listings.${l.measure}`, 'notices', l.notices],
    );
  }
  rows.push(['interceptions', 'total', s.interceptions.total]);
  for (const i of s.interceptions.byMeasureAndAgency)
    rows.push([`interceptions.${i.measure}`, i.agency, i.count]);
  return toCsv(['类别 Section', '项目 Item', '数值 Value'], rows);
}

const TOTAL = '合计 Total';
const lastRow = (rows: readonly unknown[]) => new Set([rows.length - 1]);

export function yearlyStatsHtml(s: YearlyStats): string {
  const outcomeRow = (label: string, o: RequestOutcomes) => [
    label,
    ...[o.dispatched, o.done, o.partial, o.cannotAssist, o.refused, o.failed, o.open].map(String),
    formatDuration(o.averageAnswerSeconds),
  ];
  const byMeasure = [
    ...s.notices.byMeasure.map((m) => [measureLabel(m.measure), String(m.count)]),
    [TOTAL, String(s.notices.total)],
  ];
  const requests = [
    ...s.requests.byAgency.map((a) => outcomeRow(agencyLabel(a.agency), a)),
    outcomeRow(TOTAL, s.requests),
  ];
  const interceptionRows = [
    ...s.interceptions.byMeasureAndAgency.map((i) => [
      measureLabel(i.measure),
      agencyLabel(i.agency),
      String(i.count),
    ]),
    [TOTAL, '', String(s.interceptions.total)],
  ];
  const tables: HtmlTable[] = [
    {
      heading: '通知书（按措施） Notices by measure',
      header: ['措施 Measure', '通知书 Notices'],
      rows: byMeasure,
      emphasise: lastRow(byMeasure),
    },
    {
      heading: '通知书（按单位类别） Notices by agency kind',
      header: ['单位类别 Agency kind', '通知书 Notices'],
      rows: s.notices.byAgency.map((a) => [agencyLabel(a.agency), String(a.count)]),
    },
    {
      heading: '协助请求办理情况 Requests and their outcomes',
      header: [
        '单位类别 Agency kind',
        '发出 Dispatched',
        '已办结 Done',
        '部分办结 Partial',
        '无法协助 Cannot assist',
        '拒绝协助 Refused',
        '未送达 Failed',
        '未办结 Still open',
        '平均答复用时 Average answer time',
      ],
      rows: requests,
      emphasise: lastRow(requests),
    },
    {
      heading: '冻结与扣划金额 Amounts frozen and deducted',
      header: ['项目 Item', '金额（元） Amount (yuan)'],
      rows: [
        ['冻结 Frozen', formatYuan(s.money.frozenFen)],
        ['续冻（不重复计入冻结） Kept frozen by renewal (not frozen again)', formatYuan(s.money.renewedFen)],
        ['扣划 Deducted', formatYuan(s.money.deductedFen)],
        ...(s.money.unreadableAnswers > 0
          ? [
              [
                '结果无法解析的答复（未计入） Answers with an unreadable result (not counted)',
                String(s.money.unreadableAnswers),
              ],
            ]
          : []),
      ],
    },
    {
      heading: '冻结、查封与续行 Freezes, seals and their renewals',
      header: ['措施 Measure', '已办结 Carried out', '续行 Renewals'],
      rows: s.holds.map((h) => [measureLabel(h.measure), String(h.placed), String(h.renewals)]),
    },
    {
      heading: '失信与限制消费 Listings carried out',
      header: ['措施 Measure', '已办结请求 Requests done', '通知书 Notices'],
      rows: s.listings.map((l) => [measureLabel(l.measure), String(l.requests), String(l.notices)]),
    },
    {
      heading: '联合惩戒拦截 Interceptions reported by partners',
      header: ['措施 Measure', '单位类别 Agency kind', '拦截次数 Interceptions'],
      rows: interceptionRows,
      emphasise: lastRow(interceptionRows),
    },
  ];
  return htmlDocument({
    title: yearlyStatsTitle(s),
    subtitle: `生成于 Generated ${formatShanghaiTime(new Date(s.generatedAt))} (北京时间 Beijing time)`,
    tables,
    notes: [
      '通知书按签发年度统计；请求、金额、名单按发出年度统计，办理结果截至生成时。 Notices count in the year issued; requests, amounts and listings in the year dispatched, with outcomes as of generation.',
      '拦截按协助单位报告的拦截时间计入年度。 Interceptions count in the year the partner blocked the act.',
      '金额取自已办结、部分办结的冻结、续冻、扣划答复；续冻是原冻结的延续，单列，不计入冻结金额与冻结次数。 Amounts come from done and partial freeze, renew-freeze and deduct answers; a renewal continues its freeze, so it is shown apart and counted neither as money frozen nor as another freeze.',
    ],
  });
}
