import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HubError } from './errors.ts';
import { checkedIdempotencyKey, IDEMPOTENCY_KEY_MAX } from './idempotency-key.ts';

const refusal = (raw: unknown) => {
  try {
    checkedIdempotencyKey(raw);
  } catch (err) {
    return err instanceof HubError
      ? [err.code, (err.details as { path: string; code: string }[]).map((d) => `${d.path}:${d.code}`)]
      : err;
  }
  return undefined;
};

describe('checkedIdempotencyKey', () => {
  it('takes no key from an absent or empty header, and a key of up to 128 characters as it is', () => {
    expect(checkedIdempotencyKey(undefined)).toBeUndefined();
    expect(checkedIdempotencyKey('')).toBeUndefined();
    const longest = 'k'.repeat(IDEMPOTENCY_KEY_MAX);
    expect(checkedIdempotencyKey(longest)).toBe(longest);
    expect(checkedIdempotencyKey('租约-7')).toBe('租约-7');
  });

  it('refuses a longer key, a repeated header and text that is not well-formed, naming the header', () => {
    const expected = ['VALIDATION_FAILED', ['Idempotency-Key:INVALID_IDEMPOTENCY_KEY']];
    expect(refusal('k'.repeat(IDEMPOTENCY_KEY_MAX + 1))).toEqual(expected);
    expect(refusal(['a', 'b'])).toEqual(expected);
    expect(refusal('bad\u0000key')).toEqual(expected);
    expect(refusal('lone \ud800')).toEqual(expected);
  });

  it('either returns the key unchanged or refuses it with the one code, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const r = refusal(s);
        if (r === undefined) expect(checkedIdempotencyKey(s)).toBe(s === '' ? undefined : s);
        else expect(r).toEqual(['VALIDATION_FAILED', ['Idempotency-Key:INVALID_IDEMPOTENCY_KEY']]);
      }),
    );
  });
});
