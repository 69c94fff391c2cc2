/**
 * Turns zod issues into the hub's stable validation issues: a dotted path (`debtor.idNumber`,
 * `targets.0.agency`), an UPPER_SNAKE code clients can branch on, and a message for people. Any service
 * validating with zod reports through this, so every 400 reads the same.
 */
import type { z } from 'zod';

export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

type Key = PropertyKey;

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/;

function valueAt(input: unknown, path: readonly Key[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<Key, unknown>)[key];
  }
  return v;
}

export function dottedPath(path: readonly Key[]): string {
  return path.map((k) => String(k)).join('.');
}

/** `texts` gives the human text of custom codes; zod's own message is used for the rest. */
/** Unknown fields named per object at most, and the length of a field name shown (the rest: `…`). */
export const MAX_UNKNOWN_FIELDS_SHOWN = 10;
const MAX_FIELD_NAME_SHOWN = 64;

/**
 * UNKNOWN_FIELD issues for an object's unknown keys: the first MAX_UNKNOWN_FIELDS_SHOWN by name (a long name cut
 * short), then one issue at the object counting the rest. A refusal stays small whatever was sent: a 650 KB body of
 * 60,000 unknown keys was answered with 4.4 MB naming each, costing the shared process a quarter second a call.
 */
export function unknownFieldIssues(at: readonly PropertyKey[], keys: readonly string[]): ValidationIssue[] {
  const out: ValidationIssue[] = keys.slice(0, MAX_UNKNOWN_FIELDS_SHOWN).map((key) => {
    const shown = key.length > MAX_FIELD_NAME_SHOWN ? `${key.slice(0, MAX_FIELD_NAME_SHOWN)}…` : key;
    return { path: dottedPath([...at, shown]), code: 'UNKNOWN_FIELD', message: `unknown field ${shown}` };
  });
  if (keys.length > MAX_UNKNOWN_FIELDS_SHOWN)
    out.push({
      path: dottedPath(at),
      code: 'UNKNOWN_FIELD',
      message: `and ${keys.length - MAX_UNKNOWN_FIELDS_SHOWN} more unknown fields`,
    });
  return out;
}

export function toValidationIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  texts: Readonly<Record<string, string>> = {},
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      out.push(...unknownFieldIssues(issue.path, issue.keys));
      continue;
    }
    // Our own refinements put their code in the message; texts[code] is then the human text.
    const own = Object.hasOwn(texts, issue.message);
    const code = own ? issue.message : stableCode(issue, valueAt(input, issue.path));
    const message = own ? texts[code]! : issue.message;
    out.push({ path: dottedPath(issue.path), code, message });
  }
  // A value of the wrong type is that one issue: zod also runs a schema's size checks on whatever has a length,
  // so a string where a list of at most 6 belongs was also "Too big: expected string to have <=6 characters".
  const mistyped = new Set(out.filter((i) => i.code === 'INVALID_TYPE').map((i) => i.path));
  return mistyped.size === 0 ? out : out.filter((i) => i.code === 'INVALID_TYPE' || !mistyped.has(i.path));
}

function stableCode(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'REQUIRED';
      return issue.expected === 'int' && typeof value === 'number' ? 'NOT_INTEGER' : 'INVALID_TYPE';
    case 'invalid_union': // a discriminated union reports its discriminator (debtor.kind) here
    case 'invalid_value': // an enum or literal
      return value === undefined ? 'REQUIRED' : 'INVALID_VALUE';
    case 'invalid_key':
    case 'invalid_element':
    case 'not_multiple_of':
      return 'INVALID_VALUE';
    case 'invalid_format':
      return 'INVALID_FORMAT';
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array' ? 'TOO_SHORT' : 'TOO_SMALL';
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array' ? 'TOO_LONG' : 'TOO_BIG';
    case 'custom':
      return UPPER_SNAKE.test(issue.message) ? issue.message : 'INVALID_VALUE';
    default:
      return 'INVALID';
  }
}
