/**
 * 失信被执行人名单公布 (法释〔2017〕7号 art. 7): anyone may look a debtor up on the published list by name,
 * narrowed by the first characters of the ID. No credentials, so no enumeration: a name is required, the
 * answer is capped, and each client IP is rate-limited (Redis, shared by every gateway instance). What is
 * shown is what the list publishes: the name, a partial resident ID (a credit code in full), court, case,
 * ground and date; the punishment service never returns a removed or expired listing.
 */
import type { PublicListing } from '@hub/contracts';
import {
  DISHONEST_GROUNDS,
  HubError,
  isDishonestGround,
  maskIdNumber,
  QUERY_INT_TEXT,
  queryInt,
  toValidationIssues,
  wireSafetyIssues,
} from '@hub/domain';
import { z } from 'zod';

export const PUBLIC_LIST_MAX = 50;

/** The query string of `GET /v1/public/dishonest` (documented in the OpenAPI from this schema). */
export const publicListQuerySchema = z.strictObject({
  // As long as a debtor's name may be (a person's 128 characters, an organisation's 256): every listing is findable.
  name: z
    .string()
    .trim()
    .min(1)
    .max(256)
    // As names are stored (NFC): a decomposed spelling finds the listing too.
    .overwrite((s) => s.normalize('NFC'))
    .describe('the exact name of the person or organisation'),
  idPrefix: z
    .string()
    .transform((s) => s.toUpperCase())
    // A resident ID's digits and X, or a credit code's alphabet (GB 32100: digits and capitals but I O S V Z), whose
    // first character may be a letter (registration authorities A, N, Y).
    .pipe(z.string().regex(/^[0-9A-HJ-NP-RTUW-Y]{0,8}$/, 'INVALID_ID_PREFIX'))
    .optional()
    .describe(
      'the first 0–8 characters of the resident ID (digits, X) or credit code (digits, capitals but I O S V Z)',
    ),
  limit: queryInt(1, PUBLIC_LIST_MAX, 20).describe(`at most ${PUBLIC_LIST_MAX} listings (default 20)`),
});
export type PublicListQuery = z.infer<typeof publicListQuerySchema>;

const ISSUE_TEXT = {
  ...QUERY_INT_TEXT,
  INVALID_ID_PREFIX:
    'idPrefix is the first 0–8 characters of a resident ID (digits, X) or credit code (digits, capitals but I O S V Z)',
};

export function parsePublicListQuery(input: unknown): PublicListQuery {
  const parsed = publicListQuerySchema.safeParse(input ?? {});
  const unsafe = wireSafetyIssues(input ?? {});
  if (!parsed.success || unsafe.length > 0) {
    throw new HubError('VALIDATION_FAILED', [
      ...unsafe,
      ...toValidationIssues(parsed.error?.issues ?? [], input, ISSUE_TEXT),
    ]);
  }
  return parsed.data;
}

/**
 * A listing as the public sees it. The service masks resident IDs already; an ID of a person that still
 * reads in full is masked here too, so a fault upstream never publishes a whole ID number.
 */
export function publicListingToBody(l: PublicListing) {
  const organisation = l.debtorKind === 'organisation';
  return {
    name: l.name,
    idMasked: organisation || l.idMasked.includes('*') ? l.idMasked : maskIdNumber(l.idMasked),
    court: { code: l.courtCode, name: l.courtName },
    caseNo: l.caseNo,
    ground: l.ground,
    groundZh: l.groundZh || (isDishonestGround(l.ground) ? DISHONEST_GROUNDS[l.ground].zh : ''),
    listedAt: l.listedAt ? l.listedAt.toISOString() : null,
    // 法释〔2017〕7号 art. 6: an organisation's entry names its 法定代表人 (null for a person, or when not given).
    legalRepresentative: organisation && l.legalRepresentative ? l.legalRepresentative : null,
  };
}
