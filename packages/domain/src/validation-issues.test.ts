import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dottedPath, toValidationIssues } from './validation-issues.ts';

const schema = z.strictObject({
  n: z.number().int().min(1).max(10),
  tags: z.array(z.string().max(3)).max(2),
  kind: z.enum(['a', 'b']),
  code: z.string().refine((s) => s === 'ok', { message: 'NOT_OK' }),
  free: z.string().refine((s) => s === 'ok', { message: 'must be ok' }),
});

const issues = (input: unknown, texts?: Record<string, string>) => {
  const r = schema.safeParse(input);
  return r.success ? [] : toValidationIssues(r.error.issues, input, texts);
};

describe('toValidationIssues', () => {
  it('maps zod issues to stable codes with dotted paths', () => {
    const input = { n: 11, tags: ['abcd', 'x'], kind: 'c', code: 'no', free: 'no', more: 1, other: 2 };
    expect(issues(input, { NOT_OK: 'is not ok' })).toEqual([
      { path: 'n', code: 'TOO_BIG', message: expect.any(String) },
      { path: 'tags.0', code: 'TOO_LONG', message: expect.any(String) },
      { path: 'kind', code: 'INVALID_VALUE', message: expect.any(String) },
      { path: 'code', code: 'NOT_OK', message: 'is not ok' },
      { path: 'free', code: 'INVALID_VALUE', message: 'must be ok' },
      { path: 'more', code: 'UNKNOWN_FIELD', message: expect.any(String) },
      { path: 'other', code: 'UNKNOWN_FIELD', message: expect.any(String) },
    ]);
  });

  it('tells a missing value from a wrong one', () => {
    expect(issues({ n: 0.5, tags: [] }).map((i) => [i.path, i.code])).toEqual([
      ['n', 'NOT_INTEGER'],
      ['kind', 'REQUIRED'],
      ['code', 'REQUIRED'],
      ['free', 'REQUIRED'],
    ]);
    expect(
      issues({ n: 0, tags: 'x', kind: 'a', code: 'ok', free: 'ok' }).map((i) => [i.path, i.code]),
    ).toEqual([
      ['n', 'TOO_SMALL'],
      ['tags', 'INVALID_TYPE'],
    ]);
    expect(issues({ n: 1, tags: ['a', 'b', 'c'], kind: 'a', code: 'ok', free: 'ok' })).toMatchObject([
      { path: 'tags', code: 'TOO_LONG' },
    ]);
    // A string where a list of at most 2 belongs is mistyped, not also too long (zod checks its length too).
    expect(
      issues({ n: 1, tags: 'abc', kind: 'a', code: 'ok', free: 'ok' }).map((i) => [i.path, i.code]),
    ).toEqual([['tags', 'INVALID_TYPE']]);
  });

  it('names at most ten unknown fields of an object, a long name cut short, and counts the rest', () => {
    const base = { n: 1, tags: [], kind: 'a', code: 'ok', free: 'ok' };
    const many = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i]));
    const out = issues({ ...base, ...many });
    expect(out).toHaveLength(11);
    expect(out.slice(0, 10).map((i) => i.path)).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
    expect(out[10]).toEqual({ path: '', code: 'UNKNOWN_FIELD', message: 'and 59990 more unknown fields' });
    const long = issues({ ...base, ['x'.repeat(900_000)]: 1 });
    expect(long).toEqual([
      { path: `${'x'.repeat(64)}…`, code: 'UNKNOWN_FIELD', message: expect.any(String) },
    ]);
    expect(JSON.stringify(long).length).toBeLessThan(300);
  });

  it('joins paths with dots', () => {
    expect(dottedPath(['targets', 0, 'agency'])).toBe('targets.0.agency');
    expect(dottedPath([])).toBe('');
  });
});
