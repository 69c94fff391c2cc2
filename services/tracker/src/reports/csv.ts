/**
 * CSV for spreadsheets (RFC 4180: CRLF, fields quoted when needed). UTF-8 with a byte-order mark, because
 * Excel reads BOM-less CSV in the system code page and garbles the Chinese headers and institution names.
 */

export type CsvCell = string | number | null;

const BOM = '\uFEFF';
// A text cell starting with one of these is a formula to Excel (CSV injection): institution names come
// from partners, so such a cell is prefixed with an apostrophe and shown as text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
