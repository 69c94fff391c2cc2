/**
 * Interceptions (拦截) partners reported back through their adapter (InterceptionReported, topic
 * `interceptions`): each report is kept once, written into the timeline of the notice that placed the
 * restriction, and counted in the daily rollup the yearly statistics and the agency report (通报) read. All in
 * the consumer's transaction with its processed-event record; a report delivered again under another event id
 * is still kept once (its report id, and the partner's reference, are unique).
 */
import type { EventEnvelope, PayloadOf } from '@hub/contracts';
import { isUuid, maskIdNumber, shanghaiDate } from '@hub/domain';
import type { BatchHandler } from '@hub/messaging';
import type { Queryable } from '@hub/store';

/** The timeline's event name for a report: the envelope type, as every other timeline entry. */
export const INTERCEPTION_EVENT = 'InterceptionReported';

export interface InterceptionRow {
  reportId: string;
  partnerRef: string;
  agency: string;
  institution: string;
  entryId: string;
  measure: string;
  courtCode: string;
  caseNo: string;
  noticeId: string | null;
  action: string;
  occurredAt: Date;
  subjectMasked: string;
}

/**
 * The subject as the adapter masked it; should an identifier arrive unmasked after all (no `*` in it), it
 * is masked here rather than kept in clear.
 */
export function maskedSubject(text: string): string {
  return text === '' || text.includes('*') ? text : maskIdNumber(text);
}

export function interceptionRowOf(envelope: EventEnvelope, now: Date): InterceptionRow | undefined {
  const p = envelope.payload;
  if (p?.$case !== 'interceptionReported') return undefined;
  const v: PayloadOf<'interceptionReported'> = p.value;
  if (!v.reportId) return undefined;
  const noticeId = v.noticeId || envelope.noticeId;
  return {
    reportId: v.reportId,
    partnerRef: v.partnerRef,
    agency: v.agency,
    institution: v.institution,
    entryId: v.entryId,
    measure: v.measure,
    courtCode: v.courtCode,
    caseNo: v.caseNo,
    noticeId: isUuid(noticeId) ? noticeId.toLowerCase() : null,
    action: v.action,
    occurredAt: v.occurredAt ?? envelope.occurredAt ?? now,
    subjectMasked: maskedSubject(v.subjectMasked),
  };
}

/** What the notice's timeline says of a report: who blocked what, under which measure. */
export const interceptionDetail = (
  r: Pick<InterceptionRow, 'agency' | 'institution' | 'action' | 'measure'>,
) => `${r.agency} ${r.institution}: ${r.action} (${r.measure})`;

export function interceptionEventsHandler(deps: { now: () => Date }): BatchHandler {
  return async (tx, consumed) => {
    const rows = new Map<string, InterceptionRow>();
    for (const { envelope } of consumed) {
      const row = interceptionRowOf(envelope, deps.now());
      if (row && !rows.has(row.reportId)) rows.set(row.reportId, row);
    }
    if (rows.size === 0) return;
    const fresh = await insertNew(tx, [...rows.values()]);
    if (fresh.length === 0) return;
    await countIn(tx, fresh);
    const onTimeline = fresh.filter((r) => r.noticeId !== null);
    if (onTimeline.length > 0) {
      await tx.query(
        `INSERT INTO timeline (notice_id, at, event, request_id, detail)
         SELECT n, a, $3, NULL, d FROM unnest($1::uuid[], $2::timestamptz[], $4::text[]) AS t(n, a, d)`,
        [
          onTimeline.map((r) => r.noticeId),
          onTimeline.map((r) => r.occurredAt),
          INTERCEPTION_EVENT,
          onTimeline.map(interceptionDetail),
        ],
      );
    }
  };
}

/** Inserts the reports not kept yet and returns exactly those (a known report id or partner ref: nothing). */
async function insertNew(tx: Queryable, rows: readonly InterceptionRow[]): Promise<InterceptionRow[]> {
  const { rows: inserted } = await tx.query<{ report_id: string }>(
    `INSERT INTO interceptions (report_id, partner_ref, agency, institution, entry_id, measure, court_code,
       case_no, notice_id, action, occurred_at, subject_masked)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::uuid[], $10::text[], $11::timestamptz[], $12::text[])
     ON CONFLICT DO NOTHING
     RETURNING report_id`,
    [
      rows.map((r) => r.reportId),
      rows.map((r) => r.partnerRef),
      rows.map((r) => r.agency),
      rows.map((r) => r.institution),
      rows.map((r) => r.entryId),
      rows.map((r) => r.measure),
      rows.map((r) => r.courtCode),
      rows.map((r) => r.caseNo),
      rows.map((r) => r.noticeId),
      rows.map((r) => r.action),
      rows.map((r) => r.occurredAt),
      rows.map((r) => r.subjectMasked),
    ],
  );
  const kept = new Set(inserted.map((r) => r.report_id));
  return rows.filter((r) => kept.has(r.reportId));
}

/** Adds the new reports to the daily rollup, keys in one order so concurrent batches never deadlock. */
async function countIn(tx: Queryable, rows: readonly InterceptionRow[]): Promise<void> {
  const counts = new Map<string, { key: string[]; n: number }>();
  for (const r of rows) {
    const key = [shanghaiDate(r.occurredAt), r.courtCode, r.measure, r.agency, r.institution];
    const id = JSON.stringify(key);
    const c = counts.get(id) ?? { key, n: 0 };
    c.n += 1;
    counts.set(id, c);
  }
  const sorted = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
  await tx.query(
    `INSERT INTO interception_counts AS c (day, court_code, measure, agency, institution, count)
     SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
     ON CONFLICT (day, court_code, measure, agency, institution) DO UPDATE SET count = c.count + EXCLUDED.count`,
    [...[0, 1, 2, 3, 4].map((i) => sorted.map((c) => c.key[i])), sorted.map((c) => c.n)],
  );
}
