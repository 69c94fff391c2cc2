import { HubError } from './errors.ts';
import { isWireSafeText } from './wire-safe.ts';

/** The longest Idempotency-Key a client may send (the court API's freeze plans, the agencies' lease calls). */
export const IDEMPOTENCY_KEY_MAX = 128;

/**
 * A request's `Idempotency-Key` header, checked: absent or empty is no key; anything else must be one well-formed
 * text of at most IDEMPOTENCY_KEY_MAX characters (a header given twice arrives as an array and is refused), else
 * 400 VALIDATION_FAILED with the issue code INVALID_IDEMPOTENCY_KEY at path `Idempotency-Key`.
 */
export function checkedIdempotencyKey(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !isWireSafeText(raw) || raw.length > IDEMPOTENCY_KEY_MAX)
    throw new HubError('VALIDATION_FAILED', [
      {
        path: 'Idempotency-Key',
        code: 'INVALID_IDEMPOTENCY_KEY',
        message: `one key of at most ${IDEMPOTENCY_KEY_MAX} characters`,
      },
    ]);
  return raw;
}
