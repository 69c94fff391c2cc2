/**
 * The identifier a partner asks about in an interception check: an 18-digit resident ID (GB 11643, a
 * 15-digit first-generation ID and a lower-case `x` normalised as people write them) or an 18-character
 * unified social credit code (GB 32100). Checked by hand, not by a schema: it runs thousands of times a
 * second on the check path.
 */
import { checkCreditCode, normaliseResidentId, validateResidentId } from '@hub/domain';

export type SubjectIdResult =
  | {
      ok: true;
      id: string;
      /**
       * Digits alone (perhaps a final X) passing neither check: a resident ID with a typo, or an early pilot
       * credit code a court listed after confirming CREDIT_CODE_CHECK_FAILED. Answered only when the hub holds a
       * standing under it (it was listed), refused as INVALID_RESIDENT_ID otherwise.
       */
      unverified?: true;
    }
  | { ok: false; code: 'INVALID_TYPE' | 'INVALID_RESIDENT_ID' | 'INVALID_ID' };

/** Digits (perhaps with a check character X): meant as a resident ID, whatever its length. */
const DIGITS_LIKE = /^\d+[Xx]?$/;
/** A resident ID's shape (GB 11643): 17 digits and a digit or X. */
const RESIDENT_SHAPE = /^\d{17}[\dX]$/;

export function parseSubjectId(value: unknown): SubjectIdResult {
  if (typeof value !== 'string') return { ok: false, code: 'INVALID_TYPE' };
  if (value.length === 18 || value.length === 15) {
    const normal = normaliseResidentId(value);
    if (validateResidentId(normal).ok) return { ok: true, id: normal };
    // Some legitimate early pilot codes fail the GB 32100 check (DESIGN §4): a partner cannot confirm a
    // warning mid-transaction, and a code that is not on the list is simply not restricted, so a code with
    // letters is refused only when malformed. One of digits alone (and perhaps a final X) has a resident ID's
    // shape too: unless its GB 32100 check character holds, it may be a resident ID with a typo (many resident
    // IDs, 5113… or 3211… say, also have a credit code's parts), and answering "not restricted" for it would wave
    // a listed debtor through. It is marked unverified: answered when the hub knows it (a court listed it as a
    // pilot code), refused as a resident ID otherwise.
    const upper = value.toUpperCase();
    const credit = value.length === 18 ? checkCreditCode(upper) : 'malformed';
    if (credit === 'valid') return { ok: true, id: upper };
    if (credit === 'check-failed')
      return RESIDENT_SHAPE.test(upper) ? { ok: true, id: upper, unverified: true } : { ok: true, id: upper };
  }
  return { ok: false, code: DIGITS_LIKE.test(value) ? 'INVALID_RESIDENT_ID' : 'INVALID_ID' };
}

/** Issue text for the codes above (a detail's `message`). */
export const SUBJECT_ID_ISSUE_TEXT = {
  INVALID_TYPE: 'must be a string',
  INVALID_RESIDENT_ID: 'not a valid resident ID (GB 11643: 18 digits with its check character, or 15 digits)',
  INVALID_ID: 'neither a resident ID (GB 11643) nor a unified social credit code (GB 32100)',
} as const;
