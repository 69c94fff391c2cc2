/**
 * What every hop can carry. JSON can hold text that PostgreSQL or protobuf cannot: a NUL character (text and
 * jsonb refuse U+0000) or a lone UTF-16 surrogate (jsonb refuses the escape; text and protobuf silently turn it
 * into U+FFFD, so a stored answer no longer equals the one sent). Such input is refused at the edge, with its
 * field path, instead of failing a shared transaction or changing under the sender.
 */
import type { ValidationIssue } from './validation-issues.ts';

/** Codes of wire-safety issues; the text is for people. */
export const WIRE_ISSUE_TEXT = {
  NUL_CHARACTER: 'contains a NUL character (U+0000), which cannot be stored',
  LONE_SURROGATE: 'contains an unpaired UTF-16 surrogate; send well-formed Unicode',
  TEXT_TOO_LONG: 'text is longer than any field allows',
  KEY_TOO_LONG: 'a field name is longer than any field allows',
  NUMBER_OUT_OF_RANGE: 'a number that is not finite or beyond the safe-integer range (±2^53−1)',
  NESTING_TOO_DEEP: 'nested deeper than any message allows',
} as const;
export type WireIssueCode = keyof typeof WIRE_ISSUE_TEXT;

/** protobuf int32 (e.g. termDays): the largest value the wire carries. */
export const INT32_MAX = 2_147_483_647;

export const WIRE_LIMITS = {
  /** Deeper than any answer result (5 levels) by a wide margin. */
  maxDepth: 32,
  maxKeyLength: 128,
  /** Generic ceiling; each field's own schema is much stricter. */
  maxTextLength: 65_536,
  /** One bad value repeated a thousand times needs reporting once per path, not a megabyte of issues. */
  maxIssues: 20,
} as const;

// Without the u flag a regex sees UTF-16 code units, which is what a lone surrogate is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for
const UNSAFE_CHAR = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot cross the wire unchanged, or undefined when it can. */
export function textIssue(s: string): 'NUL_CHARACTER' | 'LONE_SURROGATE' | undefined {
  const m = UNSAFE_CHAR.exec(s);
  if (!m) return undefined;
  return m[0] === '\u0000' ? 'NUL_CHARACTER' : 'LONE_SURROGATE';
}

export function isWireSafeText(s: string): boolean {
  return textIssue(s) === undefined;
}

/** A field name as a path segment people can read: unsafe characters escaped, long names cut. */
function segment(key: string): string {
  const escaped = key.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what gets escaped
    /[\u0000-\u001f\uD800-\uDFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > 64 ? `${escaped.slice(0, 64)}…` : escaped;
}

/**
 * Every place in `value` (strings, field names, numbers, nesting) that PostgreSQL or protobuf cannot carry
 * unchanged, as validation issues with dotted paths. Iterative, so hostile nesting cannot overflow the stack.
 */
export function wireSafetyIssues(value: unknown, prefix: readonly PropertyKey[] = []): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const add = (path: readonly PropertyKey[], code: WireIssueCode) => {
    out.push({ path: path.map(String).join('.'), code, message: WIRE_ISSUE_TEXT[code] });
  };
  const stack: { v: unknown; path: PropertyKey[] }[] = [{ v: value, path: [...prefix] }];
  while (stack.length > 0 && out.length < WIRE_LIMITS.maxIssues) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const bad = textIssue(v);
      if (bad) add(path, bad);
      else if (v.length > WIRE_LIMITS.maxTextLength) add(path, 'TEXT_TOO_LONG');
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) add(path, 'NUMBER_OUT_OF_RANGE');
    } else if (typeof v === 'object' && v !== null) {
      if (path.length - prefix.length >= WIRE_LIMITS.maxDepth) {
        add(path, 'NESTING_TOO_DEEP');
        continue;
      }
      const entries: [PropertyKey, unknown][] = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : Object.entries(v as Record<string, unknown>);
      const children: { v: unknown; path: PropertyKey[] }[] = [];
      for (const [key, child] of entries) {
        if (typeof key === 'string') {
          const bad = textIssue(key);
          if (bad || key.length > WIRE_LIMITS.maxKeyLength) {
            add([...path, segment(key)], bad ?? 'KEY_TOO_LONG');
            continue;
          }
        }
        children.push({ v: child, path: [...path, key] });
      }
      // Pushed in reverse so that issues come out in document order.
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return out.slice(0, WIRE_LIMITS.maxIssues);
}
