/**
 * The restrictions in force, from the punishment service's RestrictionsChanged events (topic `restrictions`):
 * each carries one subject's whole standing and a version, so the highest version seen replaces the subject's
 * entries and an older or repeated event changes nothing, in whatever order they arrive. Read by the console
 * (a case's current listings); the punishment service remains the source of truth.
 */
import type { PayloadOf } from '@hub/contracts';
import type { BatchHandler } from '@hub/messaging';
import type { Queryable } from '@hub/store';

type Standing = PayloadOf<'restrictionsChanged'> & { at: Date };

export function restrictionEventsHandler(deps: { now: () => Date }): BatchHandler {
  return async (tx, consumed) => {
    // The newest standing of each subject in the batch.
    const newest = new Map<string, Standing>();
    for (const { envelope } of consumed) {
      const p = envelope.payload;
      if (p?.$case !== 'restrictionsChanged' || !p.value.subjectHash) continue;
      const had = newest.get(p.value.subjectHash);
      if (!had || p.value.version > had.version)
        newest.set(p.value.subjectHash, { ...p.value, at: envelope.occurredAt ?? deps.now() });
    }
    if (newest.size === 0) return;
    const standings = [...newest.values()].sort((a, b) => (a.subjectHash < b.subjectHash ? -1 : 1));
    // Claim the subjects whose stored version is older (or who are new); the row lock orders concurrent batches.
    const { rows } = await tx.query<{ subject_hash: string }>(
      `INSERT INTO restriction_subjects AS s (subject_hash, version, cause, changed_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[])
       ON CONFLICT (subject_hash) DO UPDATE
         SET version = EXCLUDED.version, cause = EXCLUDED.cause, changed_at = EXCLUDED.changed_at
         WHERE s.version < EXCLUDED.version
       RETURNING subject_hash`,
      [
        standings.map((s) => s.subjectHash),
        standings.map((s) => String(s.version)),
        standings.map((s) => s.cause),
        standings.map((s) => s.at),
      ],
    );
    const changed = new Set(rows.map((r) => r.subject_hash));
    const fresh = standings.filter((s) => changed.has(s.subjectHash));
    if (fresh.length === 0) return;
    await tx.query('DELETE FROM restriction_entries WHERE subject_hash = ANY($1::text[])', [
      fresh.map((s) => s.subjectHash),
    ]);
    const entries = fresh.flatMap((s) => {
      // An entry that no longer binds (`until`) travels in the standing only for partners' late reports.
      const unique = new Map(s.entries.filter((e) => !e.until).map((e) => [e.entryId, e]));
      return [...unique.values()].map((e) => ({ subjectHash: s.subjectHash, ...e }));
    });
    await insertEntries(tx, entries);
  };
}

async function insertEntries(
  tx: Queryable,
  entries: (PayloadOf<'restrictionsChanged'>['entries'][number] & { subjectHash: string })[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `INSERT INTO restriction_entries (subject_hash, entry_id, measure, court_code, case_no, notice_id, since,
       ends_at, ground, role, debtor_kind, implied_by)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
       $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[])`,
    [
      entries.map((e) => e.subjectHash),
      entries.map((e) => e.entryId),
      entries.map((e) => e.measure),
      entries.map((e) => e.courtCode),
      entries.map((e) => e.caseNo),
      entries.map((e) => e.noticeId),
      entries.map((e) => e.since ?? null),
      entries.map((e) => e.endsAt ?? null),
      entries.map((e) => e.ground),
      entries.map((e) => e.role),
      entries.map((e) => e.debtorKind),
      entries.map((e) => e.impliedBy),
    ],
  );
}
