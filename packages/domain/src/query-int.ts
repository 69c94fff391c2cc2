import { z } from 'zod';

/**
 * A whole number in a query string, in decimal digits only: `z.coerce.number()` took `0x10`, `1e2`, `+2`, ` 2` and
 * `2.0` as numbers. Out of range (a minus sign included: `-1` is a number, below the range) is TOO_SMALL or TOO_BIG
 * as before; anything else INVALID_TYPE, the code a word or a fraction already had.
 */
export function queryInt(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^-?\d+$/, 'INVALID_TYPE')
    .optional()
    .transform((s) => (s === undefined ? fallback : Number(s)))
    .pipe(z.number().int().min(min).max(max));
}

export const QUERY_INT_TEXT = { INVALID_TYPE: 'a whole number, in decimal digits' } as const;

/** As `queryInt`, for a parameter with no default: absent stays undefined. */
export function optionalQueryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^-?\d+$/, 'INVALID_TYPE')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional();
}

/**
 * A yes/no query parameter, written `true` or `false` and nothing else (`1`, `yes`, `TRUE` and an empty value are
 * refused, naming the parameter), read as a boolean; absent: `fallback`, or undefined without one.
 */
export function queryBool(fallback?: boolean) {
  const word = z.enum(['true', 'false']);
  const read = (s: 'true' | 'false') => s === 'true';
  return fallback === undefined
    ? word.transform(read).optional()
    : word.default(fallback ? 'true' : 'false').transform(read);
}
