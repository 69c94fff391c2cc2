import { createRequire } from 'node:module';

/** pg's own preparation of one parameter (a date's text, in the time zone pg writes it). */
const pgValue = (
  createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown }
).prepareValue;

/**
 * Array parameters as PostgreSQL array literals, written the way `pg` writes them (its `arrayString`) but
 * without its two regular-expression replacements per element when an element has nothing to escape: the
 * hub's batched statements pass their rows as arrays (`unnest($1::uuid[], …)`), thousands of ids, codes,
 * timestamps and payloads a second, and `pg`'s preparation of them was 3–4 % of the one-process hub's CPU at
 * 150 agency requests/s (escapeElement alone 509–650 ms of ~40 s).
 *
 * Flat arrays of strings, finite numbers, booleans, dates, buffers and nulls are written here (dates as `pg`
 * writes a date parameter, buffers as `\\x` hex); anything else (nested arrays, objects) returns undefined
 * and is left to `pg`.
 */
export function arrayLiteral(values: readonly unknown[]): string | undefined {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'string') out += quoted(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out += quoted(String(v));
    else if (v instanceof Date) out += quoted(pgValue(v) as string);
    else if (Buffer.isBuffer(v)) out += `\\\\x${v.toString('hex')}`;
    else return undefined;
  }
  return `${out}}`;
}

function quoted(s: string): string {
  if (s.includes('\\') || s.includes('"')) return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `"${s}"`;
}

/** `values` with each array `arrayLiteral` can write replaced by its literal (a new array only if one was). */
export function withArrayLiterals(values: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Array.isArray(v)) continue;
    const literal = arrayLiteral(v);
    if (literal === undefined) continue;
    out ??= values.slice();
    out[i] = literal;
  }
  return out ?? (values as unknown[]);
}
