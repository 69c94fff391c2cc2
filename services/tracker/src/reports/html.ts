/** A plain, printable HTML page of tables: no scripts, no external assets, every value escaped. */

export interface HtmlTable {
  heading?: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** Rows (by index) printed bold: subtotals and totals. */
  emphasise?: ReadonlySet<number>;
}

export function htmlDocument(page: {
  title: string;
  subtitle?: string;
  tables: HtmlTable[];
  notes?: string[];
}) {
  const parts = [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(page.title)}</h1>`,
  ];
  if (page.subtitle) parts.push(`<p>${escapeHtml(page.subtitle)}</p>`);
  for (const table of page.tables) parts.push(tableHtml(table));
  if (page.notes?.length) {
    parts.push(`<ul class="notes">${page.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  }
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}

function tableHtml(t: HtmlTable): string {
  const head = `<tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows
    .map((row, i) => {
      const cls = t.emphasise?.has(i) ? ' class="sum"' : '';
      return `<tr${cls}>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const heading = t.heading ? `<h2>${escapeHtml(t.heading)}</h2>\n` : '';
  return `${heading}<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

const STYLE = [
  'body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em}',
  'table{border-collapse:collapse;margin-bottom:1.5em}',
  'th,td{border:1px solid #444;padding:.25em .5em}',
  'td{text-align:right}td:first-child,td:nth-child(2){text-align:left}',
  'tr.sum{font-weight:bold}',
  '.notes{font-size:.85em}',
  '@media print{body{margin:0}}',
].join('');

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Seconds as people read them on paper: `42 s`, `12.5 min`, `3.2 h`, `2.1 d`; a dash for none. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}
