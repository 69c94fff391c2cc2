import type { InterceptionEntry } from '@hub/interception';
import type { Queryable } from '@hub/store';
import type { DebtorEntry, EntryState } from '../domain/admission.js';
import type { PlacedEntry } from '../domain/entries.js';

/**
 * Serialises the notices of each debtor (intake and nothing else takes these): two batches judging the same
 * debtor wait for each other, in hash order so they never deadlock.
 */
export async function lockDebtors(tx: Queryable, hashes: readonly string[]): Promise<void> {
  const sorted = [...new Set(hashes)].sort();
  if (sorted.length === 0) return;
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('punishment:' || h, 0))
     FROM unnest($1::text[]) WITH ORDINALITY AS u(h, i) ORDER BY i`,
    [sorted],
  );
}

/**
 * What each notice placed for these debtors in these cases, whichever court placed it: one entry per notice and
 * measure (the debtor's own where it has one; an organisation's exit restriction has only its persons'), all of
 * a notice's entries moving together (markRemoving, markRemoved). `subjectHash` is the debtor's.
 */
export async function debtorEntries(
  db: Queryable,
  keys: readonly { subjectHash: string; caseNo: string }[],
): Promise<DebtorEntry[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<{
    id: string;
    notice_id: string;
    subject_hash: string;
    case_no: string;
    court_code: string;
    measure: string;
    state: EntryState;
    grounds: string[];
    implied_by: string | null;
    removal_reason: string | null;
    removal_started_at: Date | null;
    ends_at: Date | null;
    since: Date;
    decided_at: Date | null;
    removal_settled: boolean;
  }>(
    `SELECT * FROM (
       SELECT DISTINCT ON (e.notice_id, e.measure)
              e.id, e.notice_id, e.debtor_hash AS subject_hash, e.case_no, e.court_code, e.measure, e.state,
              e.grounds, e.implied_by, e.removal_reason, e.removal_started_at, e.ends_at, e.since, e.decided_at,
              (e.state = 'removing' AND rn.completed_at IS NOT NULL) AS removal_settled
       FROM entries e
       JOIN unnest($1::text[], $2::text[]) AS k(h, c) ON e.debtor_hash = k.h AND e.case_no = k.c
       LEFT JOIN notices rn ON rn.id = e.removal_notice_id
       ORDER BY e.notice_id, e.measure, (e.role = 'debtor') DESC, e.id
     ) d
     ORDER BY d.since, d.id`,
    [keys.map((k) => k.subjectHash), keys.map((k) => k.caseNo)],
  );
  return rows.map((r) => ({
    id: r.id,
    noticeId: r.notice_id,
    subjectHash: r.subject_hash,
    caseNo: r.case_no,
    courtCode: r.court_code,
    measure: r.measure,
    state: r.state,
    grounds: r.grounds,
    impliedBy: r.implied_by,
    removalReason: r.removal_reason,
    removalStartedAt: r.removal_started_at,
    endsAt: r.ends_at,
    since: r.since,
    decidedAt: r.decided_at,
    removalSettled: r.removal_settled,
  }));
}

export async function insertEntries(tx: Queryable, rows: readonly PlacedEntry[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO entries (id, subject_hash, subject_masked, debtor_kind, role, measure, court_code, court_name,
                          case_no, notice_id, grounds, since, ends_at, implied_by, state, public_name, public_id,
                          debtor_hash, public_representative, decided_at)
     SELECT u.id, u.h, u.masked, u.kind, u.role, u.measure, u.court, u.court_name, u.case_no, u.notice,
            ARRAY(SELECT jsonb_array_elements_text(u.grounds)), u.since, u.ends_at, u.implied_by, 'live',
            u.public_name, u.public_id, u.debtor, u.representative, u.decided_at
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::text[], $10::uuid[], $11::jsonb[], $12::timestamptz[], $13::timestamptz[], $14::uuid[],
                 $15::text[], $16::text[], $17::text[], $18::text[], $19::timestamptz[])
       AS u(id, h, masked, kind, role, measure, court, court_name, case_no, notice, grounds, since, ends_at,
            implied_by, public_name, public_id, debtor, representative, decided_at)`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.subjectHash),
      rows.map((r) => r.subjectMasked),
      rows.map((r) => r.debtorKind),
      rows.map((r) => r.role),
      rows.map((r) => r.measure),
      rows.map((r) => r.courtCode),
      rows.map((r) => r.courtName),
      rows.map((r) => r.caseNo),
      rows.map((r) => r.noticeId),
      rows.map((r) => JSON.stringify(r.grounds)),
      rows.map((r) => r.since),
      rows.map((r) => r.endsAt),
      rows.map((r) => r.impliedBy),
      rows.map((r) => r.publicName),
      rows.map((r) => r.publicId),
      rows.map((r) => r.debtorHash),
      rows.map((r) => r.publicRepresentative),
      rows.map((r) => r.decidedAt),
    ],
  );
}

export interface Removal {
  /** The notice that placed what is withdrawn: every live entry it placed goes (the implied and bound ones too). */
  placedBy: string;
  removalNoticeId: string;
  reason: string | null;
  groundAroseAt: Date | null;
  dueAt: Date | null;
}

/** The withdrawn entries go `removing` at once; returns the subjects they bind. */
export async function markRemoving(tx: Queryable, rows: readonly Removal[], now: Date): Promise<string[]> {
  if (rows.length === 0) return [];
  const { rows: moved } = await tx.query<{ subject_hash: string }>(
    `UPDATE entries e SET state = 'removing', removal_notice_id = u.removal, removal_reason = u.reason,
       ground_arose_at = u.arose, removal_due_at = u.due, removal_started_at = COALESCE(e.removal_started_at, $6)
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[])
       AS u(placed_by, removal, reason, arose, due)
     WHERE e.notice_id = u.placed_by
       AND (e.state IN ('live', 'expired')
            -- sent again: only once the withdrawal before it completed unconfirmed (admission's removalSettled)
            OR (e.state = 'removing'
                AND EXISTS (SELECT 1 FROM notices rn WHERE rn.id = e.removal_notice_id AND rn.completed_at IS NOT NULL)))
     RETURNING e.subject_hash`,
    [
      rows.map((r) => r.placedBy),
      rows.map((r) => r.removalNoticeId),
      rows.map((r) => r.reason),
      rows.map((r) => r.groundAroseAt),
      rows.map((r) => r.dueAt),
      now,
    ],
  );
  return [...new Set(moved.map((r) => r.subject_hash))];
}

/** Every institution confirmed these removals: their entries are `removed`. Returns the subjects. */
export async function markRemoved(
  tx: Queryable,
  removalNoticeIds: readonly string[],
  now: Date,
): Promise<{ subjectHash: string; removalNoticeId: string }[]> {
  if (removalNoticeIds.length === 0) return [];
  const { rows } = await tx.query<{ subject_hash: string; removal_notice_id: string }>(
    `UPDATE entries SET state = 'removed', removed_at = $2
     WHERE removal_notice_id = ANY($1::uuid[]) AND state = 'removing'
     RETURNING subject_hash, removal_notice_id`,
    [removalNoticeIds, now],
  );
  return rows.map((r) => ({ subjectHash: r.subject_hash, removalNoticeId: r.removal_notice_id }));
}

/** Listings whose term ended, and what follows from them, go `expired`. Returns the subjects and notices. */
export async function markExpired(
  tx: Queryable,
  listingIds: readonly string[],
  now: Date,
): Promise<ExpiredEntry[]> {
  if (listingIds.length === 0) return [];
  const { rows } = await tx.query<{
    subject_hash: string;
    notice_id: string;
    measure: string;
    court_code: string;
    case_no: string;
    ends_at: Date;
  }>(
    `UPDATE entries SET state = 'expired'
     WHERE (id = ANY($1::uuid[]) OR implied_by = ANY($1::uuid[])) AND state = 'live'
       AND ends_at IS NOT NULL AND ends_at <= $2
     RETURNING subject_hash, notice_id, measure, court_code, case_no, ends_at`,
    [listingIds, now],
  );
  return rows.map((r) => ({
    subjectHash: r.subject_hash,
    noticeId: r.notice_id,
    measure: r.measure,
    courtCode: r.court_code,
    caseNo: r.case_no,
    endsAt: r.ends_at,
  }));
}

export interface ExpiredEntry {
  subjectHash: string;
  noticeId: string;
  measure: string;
  courtCode: string;
  caseNo: string;
  endsAt: Date;
}

/**
 * A new version for each subject, from one sequence: a version a rolled-back transaction took is never given
 * again, so a standing written to Redis before a commit that then failed is overtaken by the next change.
 */
export async function bumpSubjects(
  tx: Queryable,
  hashes: readonly string[],
  now: Date,
): Promise<Map<string, number>> {
  const sorted = [...new Set(hashes)].sort();
  if (sorted.length === 0) return new Map();
  const { rows } = await tx.query<{ subject_hash: string; version: string }>(
    `INSERT INTO subjects (subject_hash, version, updated_at)
     SELECT h, nextval('subject_versions'), $2 FROM unnest($1::text[]) WITH ORDINALITY AS u(h, i) ORDER BY i
     ON CONFLICT (subject_hash) DO UPDATE SET version = nextval('subject_versions'), updated_at = EXCLUDED.updated_at
     RETURNING subject_hash, version`,
    [sorted, now],
  );
  return new Map(rows.map((r) => [r.subject_hash, Number(r.version)]));
}

/** When an entry stopped binding: its removal or lifting taken in, or its term's end, whichever came first. */
const UNTIL = `CASE WHEN e.state = 'live' THEN NULL ELSE LEAST(e.removal_started_at, e.ends_at) END`;

/**
 * How long an entry that stopped binding stays in its subject's standing (with `until`): a partner reports a block
 * after making it, and a block made while the entry was in force counts whenever the report arrives within this.
 */
export const REPORT_WINDOW_MS = 30 * 24 * 3_600_000;

/** In the standing: in force, or ended within the report window before `$n` (the hub's now). */
const IN_STANDING = (now: string) =>
  `(e.state = 'live' OR ${UNTIL} > ${now}::timestamptz - make_interval(secs => ${REPORT_WINDOW_MS / 1000}))`;

const ENTRY_JSON = `json_build_object(
  'entryId', e.id, 'measure', e.measure, 'courtCode', e.court_code, 'caseNo', e.case_no,
  'noticeId', e.notice_id, 'since', e.since, 'endsAt', e.ends_at, 'ground', e.grounds[1], 'role', e.role,
  'debtorKind', e.debtor_kind, 'impliedBy', e.implied_by, 'until', ${UNTIL}) ORDER BY e.since, e.id`;

interface EntryJson extends Omit<InterceptionEntry, 'endsAt' | 'ground' | 'impliedBy' | 'until'> {
  endsAt: string | null;
  until: string | null;
  ground: string | null;
  impliedBy: string | null;
}

/** An entry as the projection and RestrictionsChanged show it (ISO times, absent fields left out). */
export function interceptionEntryOf(e: EntryJson): InterceptionEntry {
  return {
    entryId: e.entryId,
    measure: e.measure,
    courtCode: e.courtCode,
    caseNo: e.caseNo,
    noticeId: e.noticeId,
    since: new Date(e.since).toISOString(),
    ...(e.endsAt ? { endsAt: new Date(e.endsAt).toISOString() } : {}),
    ...(e.ground ? { ground: e.ground } : {}),
    role: e.role,
    debtorKind: e.debtorKind,
    ...(e.impliedBy ? { impliedBy: e.impliedBy } : {}),
    ...(e.until ? { until: new Date(e.until).toISOString() } : {}),
  };
}

/** The standing of each subject: its live entries, and those that ended within the report window (`until`). */
export async function liveEntries(
  db: Queryable,
  hashes: readonly string[],
  now: Date,
): Promise<Map<string, InterceptionEntry[]>> {
  const out = new Map<string, InterceptionEntry[]>(hashes.map((h) => [h, []]));
  if (hashes.length === 0) return out;
  const { rows } = await db.query<{ subject_hash: string; entries: EntryJson[] }>(
    `SELECT e.subject_hash, json_agg(${ENTRY_JSON}) AS entries
     FROM entries e WHERE e.subject_hash = ANY($1::text[]) AND ${IN_STANDING('$2')}
     GROUP BY e.subject_hash`,
    [hashes, now],
  );
  for (const r of rows) out.set(r.subject_hash, r.entries.map(interceptionEntryOf));
  return out;
}

/** A page of every subject's standing, in hash order after `after` (the projection's rebuild). */
export async function standingsPage(
  db: Queryable,
  after: string,
  limit: number,
  now: Date,
): Promise<{ hash: string; version: number; entries: InterceptionEntry[] }[]> {
  const { rows } = await db.query<{ subject_hash: string; version: string; entries: EntryJson[] | null }>(
    `SELECT s.subject_hash, s.version,
            (SELECT json_agg(${ENTRY_JSON}) FROM entries e
             WHERE e.subject_hash = s.subject_hash AND ${IN_STANDING('$3')}) AS entries
     FROM subjects s WHERE s.subject_hash > $1 ORDER BY s.subject_hash LIMIT $2`,
    [after, limit, now],
  );
  return rows.map((r) => ({
    hash: r.subject_hash,
    version: Number(r.version),
    entries: (r.entries ?? []).map(interceptionEntryOf),
  }));
}

/** The standings of these subjects, each version read with its entries in one snapshot (anti-entropy's repairs). */
export async function standingsOf(
  db: Queryable,
  hashes: readonly string[],
  now: Date,
): Promise<{ hash: string; version: number; entries: InterceptionEntry[] }[]> {
  if (hashes.length === 0) return [];
  const { rows } = await db.query<{ subject_hash: string; version: string; entries: EntryJson[] | null }>(
    `SELECT s.subject_hash, s.version,
            (SELECT json_agg(${ENTRY_JSON}) FROM entries e
             WHERE e.subject_hash = s.subject_hash AND ${IN_STANDING('$2')}) AS entries
     FROM subjects s WHERE s.subject_hash = ANY($1::text[]) ORDER BY s.subject_hash`,
    [hashes, now],
  );
  return rows.map((r) => ({
    hash: r.subject_hash,
    version: Number(r.version),
    entries: (r.entries ?? []).map(interceptionEntryOf),
  }));
}

export interface SubjectVersion {
  hash: string;
  version: number;
}

/**
 * A page of the versions of the subjects with live entries, in hash order after `after`; left out: those
 * changed after `settledBefore` (their event may still be on its way to Redis: the next pass sees them).
 */
export async function liveSubjectVersions(
  db: Queryable,
  after: string,
  limit: number,
  settledBefore: Date,
): Promise<{ page: SubjectVersion[]; last: string | null }> {
  // LEFT JOIN: the page ends where the live subjects' page ends (every subject with entries has a version).
  const { rows } = await db.query<{ subject_hash: string; version: string | null; updated_at: Date | null }>(
    `SELECT l.subject_hash, s.version, s.updated_at
     FROM (SELECT DISTINCT e.subject_hash FROM entries e
           WHERE e.state = 'live' AND e.subject_hash > $1 ORDER BY e.subject_hash LIMIT $2) l
     LEFT JOIN subjects s ON s.subject_hash = l.subject_hash
     ORDER BY l.subject_hash`,
    [after, limit],
  );
  return pageOf(rows, limit, settledBefore);
}

/** A page of the versions of the subjects changed from `since` to `settledBefore`, in hash order after `after`. */
export async function changedSubjectVersions(
  db: Queryable,
  since: Date,
  after: string,
  limit: number,
  settledBefore: Date,
): Promise<{ page: SubjectVersion[]; last: string | null }> {
  const { rows } = await db.query<{ subject_hash: string; version: string; updated_at: Date }>(
    `SELECT subject_hash, version, updated_at FROM subjects
     WHERE updated_at >= $1 AND subject_hash > $2 ORDER BY subject_hash LIMIT $3`,
    [since, after, limit],
  );
  return pageOf(rows, limit, settledBefore);
}

function pageOf(
  rows: { subject_hash: string; version: string | null; updated_at: Date | null }[],
  limit: number,
  settledBefore: Date,
): { page: SubjectVersion[]; last: string | null } {
  return {
    page: rows
      .filter((r) => r.version !== null && r.updated_at!.getTime() <= settledBefore.getTime())
      .map((r) => ({ hash: r.subject_hash, version: Number(r.version!) })),
    // null: this was the last page
    last: rows.length < limit ? null : rows[rows.length - 1]!.subject_hash,
  };
}

/** The institutions a notice reached (its dispatched requests): where its withdrawal must go. */
export async function reachedBy(
  db: Queryable,
  noticeIds: readonly string[],
): Promise<Map<string, { agency: string; institution: string }[]>> {
  const out = new Map<string, { agency: string; institution: string }[]>();
  if (noticeIds.length === 0) return out;
  const { rows } = await db.query<{ notice_id: string; agency: string; institution: string }>(
    `SELECT notice_id, agency, institution FROM requests
     WHERE notice_id = ANY($1::uuid[]) AND due_at IS NOT NULL ORDER BY agency, institution`,
    [noticeIds],
  );
  for (const r of rows) out.set(r.notice_id, [...(out.get(r.notice_id) ?? []), r]);
  return out;
}
