/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. Two submissions of the same
 * notice give the same text however their keys were ordered — what the gateway compares (or hashes) to tell
 * an idempotent resubmission from a NOTICE_CONFLICT.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  // fromEntries defines properties, so a `__proto__` key stays data instead of setting the prototype.
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
