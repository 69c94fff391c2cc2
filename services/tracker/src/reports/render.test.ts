import { describe, expect, it } from 'vitest';
import { type AgencyReport, emptyConfirmations, emptyFigures } from './agency-report.js';
import { agencyReportCsv, agencyReportHtml } from './agency-report.render.js';
import { toCsv } from './csv.js';
import { escapeHtml, formatDuration } from './html.js';
import type { YearlyStats } from './yearly-stats.js';
import { yearlyStatsCsv, yearlyStatsHtml } from './yearly-stats.render.js';

describe('CSV', () => {
  it('starts with a byte-order mark and ends lines with CRLF', () => {
    expect(toCsv(['单位 Institution', 'n'], [['工商银行', 3]])).toBe(
      '\uFEFF单位 Institution,n\r\n工商银行,3\r\n',
    );
  });

  it('quotes commas, quotes and newlines, leaves nulls empty', () => {
    expect(toCsv(['a', 'b', 'c'], [['x,y', 'say "hi"', null]])).toBe(
      '\uFEFFa,b,c\r\n"x,y","say ""hi""",\r\n',
    );
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    expect(toCsv(['a', 'b'], [['=HYPERLINK("x")', -5]])).toBe('\uFEFFa,b\r\n"\'=HYPERLINK(""x"")",-5\r\n');
  });
});

describe('HTML', () => {
  it('escapes everything it prints', () => {
    expect(escapeHtml(`<script>alert('x&y')</script>"`)).toBe(
      '&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;',
    );
  });

  it.each([
    [null, '—'],
    [42.4, '42 s'],
    [750, '12.5 min'],
    [3 * 3600 + 720, '3.2 h'],
    [2.5 * 86_400, '2.5 d'],
  ])('prints %s seconds as %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});

const report: AgencyReport = {
  period: { from: '2026-01-01', to: '2026-03-31' },
  generatedAt: '2026-04-10T04:00:00.000Z',
  rows: [
    { agency: 'bank', institution: '<ICBC>', ...emptyFigures(), received: 2, medianAnswerSeconds: 1.5 },
    { agency: 'bank', institution: '=CCB', ...emptyFigures(), received: 1 },
  ],
  agencies: [{ agency: 'bank', ...emptyFigures(), received: 3 }],
  totals: { ...emptyFigures(), received: 3 },
  punishmentConfirmations: {
    rows: [
      {
        agency: 'bank',
        institution: '<ICBC>',
        ...emptyConfirmations(),
        received: 2,
        confirmedLate: 1,
        missing: 1,
      },
    ],
    agencies: [{ agency: 'bank', ...emptyConfirmations(), received: 2, confirmedLate: 1, missing: 1 }],
    totals: { ...emptyConfirmations(), received: 2, confirmedLate: 1, missing: 1 },
  },
  interceptions: {
    rows: [{ agency: 'bank', institution: '<ICBC>', measure: 'dishonest-list', count: 4 }],
    agencies: [{ agency: 'bank', measure: 'dishonest-list', count: 4 }],
    total: 4,
  },
};

describe('agency report rendering', () => {
  it('lists institutions, then the kind’s subtotal, then the total', () => {
    const lines = agencyReportCsv(report).split('\r\n');
    expect(lines[0]!.startsWith('\uFEFF单位类别 Agency kind,单位 Institution,收到 Received')).toBe(true);
    expect(lines.slice(1, 5).map((l) => l.split(',').slice(0, 5))).toEqual([
      ['bank', '<ICBC>', '2', '0', '0'],
      ['bank', "'=CCB", '1', '0', '0'],
      ['bank', '小计 Subtotal', '3', '0', '0'],
      ['合计 Total', '', '3', '0', '0'],
    ]);
    expect(lines[1]!.split(',')[6]).toBe('1.5');
    // Punishment notices confirmed late and missing past the deadline close each line.
    expect(lines.slice(1, 5).map((l) => l.split(',').slice(13))).toEqual([
      ['1', '1'],
      ['0', '0'],
      ['1', '1'],
      ['1', '1'],
    ]);
  });

  it('prints a titled, escaped page', () => {
    const html = agencyReportHtml(report);
    expect(html).toContain('<title>协助执行单位通报 Agency report 2026-01-01–2026-03-31</title>');
    expect(html).toContain('&lt;ICBC&gt;');
    expect(html).not.toContain('<ICBC>');
    expect(html).toContain('生成于 Generated 2026-04-10 12:00');
  });

  it('prints who confirmed punishment notices late or not at all, and the interceptions, per institution', () => {
    const html = agencyReportHtml(report);
    expect(html).toContain('<th>逾期确认 Confirmed late</th><th>逾期未确认 Missing past deadline</th>');
    expect(html).toContain(
      '<tr><td>银行 Bank</td><td>&lt;ICBC&gt;</td><td>2</td><td>0</td><td>1</td><td>1</td><td>0</td></tr>',
    );
    expect(html).toContain(
      '<tr><td>银行 Bank</td><td>&lt;ICBC&gt;</td><td>纳入失信名单 Dishonest list</td><td>4</td></tr>',
    );
    expect(html).toContain('<tr class="sum"><td>合计 Total</td><td></td><td></td><td>4</td></tr>');
  });
});

describe('yearly statistics rendering', () => {
  const outcomes = {
    dispatched: 4,
    done: 2,
    partial: 0,
    cannotAssist: 1,
    refused: 0,
    failed: 0,
    open: 1,
    answered: 3,
    averageAnswerSeconds: 7200,
  };
  const stats: YearlyStats = {
    year: 2026,
    court: '川0104',
    generatedAt: '2026-04-10T04:00:00.000Z',
    notices: {
      total: 2,
      byMeasure: [{ measure: 'freeze', count: 2 }],
      byAgency: [{ agency: 'bank', count: 2 }],
    },
    requests: { ...outcomes, byAgency: [{ agency: 'bank', ...outcomes }] },
    money: { frozenFen: 123_456_789, renewedFen: 100, deductedFen: 5, unreadableAnswers: 0 },
    holds: [
      { measure: 'freeze', placed: 2, renewals: 1 },
      { measure: 'seal', placed: 0, renewals: 0 },
    ],
    listings: [
      { measure: 'dishonest-list', requests: 0, notices: 0 },
      { measure: 'restrict-consumption', requests: 0, notices: 0 },
    ],
    interceptions: {
      total: 3,
      byMeasureAndAgency: [
        { measure: 'dishonest-list', agency: 'bank', count: 2 },
        { measure: 'restrict-exit', agency: 'public-security', count: 1 },
      ],
    },
  };

  it('keeps money in fen in CSV, one value per line', () => {
    const csv = yearlyStatsCsv(stats);
    expect(csv.startsWith('\uFEFF类别 Section,项目 Item,数值 Value\r\n')).toBe(true);
    expect(csv).toContain('\r\nmoney,frozenFen,123456789\r\n');
    expect(csv).toContain('\r\nrequests.byAgency.bank,cannotAssist,1\r\n');
    expect(csv).toContain('\r\nmoney,renewedFen,100\r\n');
    expect(csv).toContain('\r\nholds.freeze,placed,2\r\nholds.freeze,renewals,1\r\n');
    expect(csv).toContain(
      '\r\ninterceptions,total,3\r\ninterceptions.dishonest-list,bank,2\r\ninterceptions.restrict-exit,public-security,1\r\n',
    );
  });

  it('prints money in yuan for people', () => {
    const html = yearlyStatsHtml(stats);
    expect(html).toContain('执行联动年度统计 Yearly linkage statistics 2026 — 川0104');
    expect(html).toContain('<td>1,234,567.89</td>');
    expect(html).toContain('<td>0.05</td>');
    expect(html).toContain('<td>2.0 h</td>');
    expect(html).toContain('<th>续行 Renewals</th>');
    expect(html).toContain('<tr><td>冻结 Freeze</td><td>2</td><td>1</td></tr>');
    expect(html).toContain('<tr><td>限制出境 Restrict exit</td><td>公安 Public security</td><td>1</td></tr>');
  });
});
