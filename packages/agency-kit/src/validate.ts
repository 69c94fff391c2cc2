import { toValidationIssues, type ValidationIssue, wireSafetyIssues } from '@hub/domain';
import type { z } from 'zod';

/**
 * Input as `schema` reads it, and only if every hop can carry it (no NUL, no lone surrogate, at any depth,
 * in values and in field names); otherwise every issue, with `prefix` before its path. `texts` gives the
 * human text of custom issue codes.
 */
export function check<T>(
  schema: z.ZodType<T>,
  input: unknown,
  prefix: readonly (string | number)[] = [],
  texts: Readonly<Record<string, string>> = {},
): { ok: true; value: T } | { ok: false; issues: ValidationIssue[] } {
  const unsafe = wireSafetyIssues(input, prefix);
  const r = schema.safeParse(input);
  if (r.success && unsafe.length === 0) return { ok: true, value: r.data };
  const at = prefix.join('.');
  const issues = toValidationIssues(r.error?.issues ?? [], input, texts).map((i) => ({
    ...i,
    path: at ? `${at}${i.path ? `.${i.path}` : ''}` : i.path,
  }));
  return { ok: false, issues: [...unsafe, ...issues] };
}

/** A batch item's own reference (`reportId`, `requestId` …) for its result, or '' where it has none that is text. */
export function stringField(item: unknown, key: string): string {
  if (typeof item !== 'object' || item === null) return '';
  const v = (item as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : '';
}
