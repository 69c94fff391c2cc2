/**
 * Holds running out (HoldExpiring) and lapsed (HoldLapsed), from the freeze-deduct service: kept per hold for
 * the ops console (`GET /v1/ops/holds/expiring`), written into the timeline of the notice that set the hold's
 * term, and alerted through the same webhook as SLA breaches. One transaction per batch with the consumer's
 * processed-event record, so a redelivered event changes nothing and alerts nobody twice.
 */
import type { EventEnvelope, PayloadOf } from '@hub/contracts';
import { maskAccount } from '@hub/domain';
import type { BatchHandler } from '@hub/messaging';
import type { Queryable } from '@hub/store';
import { scheduleTimers } from '@hub/timers';
import { SLA_TIMERS } from '../sla/sla-timers.js';

type HoldEvent =
  | { kind: 'expiring'; at: Date; noticeId: string; value: PayloadOf<'holdExpiring'> }
  | { kind: 'lapsed'; at: Date; noticeId: string; value: PayloadOf<'holdLapsed'> };

interface Row {
  holdId: string;
  noticeId: string;
  courtCode: string;
  caseNo: string;
  agency: string;
  institution: string;
  assetKind: string;
  assetMasked: string;
  termUntil: string;
  lapsesAt: Date;
  leadWorkingDays: number | null;
  remindedAt: Date | null;
  lapsedAt: Date | null;
  frozenFen: number | null;
}

function holdEventOf(envelope: EventEnvelope, now: Date): HoldEvent | undefined {
  const p = envelope.payload;
  const at = envelope.occurredAt ?? now;
  if (p?.$case === 'holdExpiring')
    return { kind: 'expiring', at, noticeId: envelope.noticeId, value: p.value };
  if (p?.$case === 'holdLapsed') return { kind: 'lapsed', at, noticeId: envelope.noticeId, value: p.value };
  return undefined;
}

const rowOf = (e: HoldEvent): Row => {
  const v = e.value;
  const base = {
    holdId: v.holdId,
    noticeId: v.noticeId || e.noticeId,
    courtCode: v.courtCode,
    caseNo: v.caseNo,
    agency: v.agency,
    institution: v.institution,
    assetKind: v.assetKind,
    assetMasked: maskAccount(v.assetKey),
    termUntil: v.termUntil,
  };
  return e.kind === 'expiring'
    ? {
        ...base,
        lapsesAt: e.value.lapsesAt ?? e.at,
        leadWorkingDays: e.value.leadWorkingDays,
        remindedAt: e.at,
        lapsedAt: null,
        frozenFen: null,
      }
    : {
        ...base,
        lapsesAt: e.value.lapsedAt ?? e.at,
        leadWorkingDays: null,
        remindedAt: null,
        lapsedAt: e.value.lapsedAt ?? e.at,
        frozenFen: e.value.frozenFen,
      };
};

/** Two events of one hold in one batch: the later term wins; of the same term, each keeps what it knows. */
function merge(a: Row | undefined, b: Row): Row {
  if (!a || b.termUntil > a.termUntil) return b;
  if (b.termUntil < a.termUntil) return a;
  return {
    ...a,
    leadWorkingDays: a.leadWorkingDays ?? b.leadWorkingDays,
    remindedAt: a.remindedAt ?? b.remindedAt,
    lapsedAt: a.lapsedAt ?? b.lapsedAt,
    frozenFen: a.frozenFen ?? b.frozenFen,
  };
}

/** The consumer of the holds topic; alerts are queued only when the webhook is configured. */
export function holdEventsHandler(deps: { alertsEnabled: boolean; now: () => Date }): BatchHandler {
  return async (tx, consumed) => {
    const events = consumed.flatMap(({ envelope }) => holdEventOf(envelope, deps.now()) ?? []);
    if (events.length === 0) return;
    // Only what is news about a hold counts: its first reminder and its lapse for each term, once each.
    const known = await lockKnown(
      tx,
      events.map((e) => e.value.holdId),
    );
    const fresh = events.filter((e) => {
      const row = rowOf(e);
      const had = known.get(row.holdId);
      const news =
        !had ||
        row.termUntil > had.termUntil ||
        (row.termUntil === had.termUntil && (e.kind === 'expiring' ? !had.reminded : !had.lapsed));
      if (news)
        known.set(row.holdId, {
          termUntil: row.termUntil,
          reminded: e.kind === 'expiring' || (row.termUntil === had?.termUntil && had.reminded),
          lapsed: e.kind === 'lapsed' || (row.termUntil === had?.termUntil && had.lapsed),
        });
      return news;
    });
    if (fresh.length === 0) return;
    const rows = new Map<string, Row>();
    for (const e of fresh) {
      const row = rowOf(e);
      rows.set(row.holdId, merge(rows.get(row.holdId), row));
    }
    await upsertHolds(tx, [...rows.values()]);
    await tx.query(
      `INSERT INTO timeline (notice_id, at, event, request_id, detail)
       SELECT n, a, e, NULL, d FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[]) AS t(n, a, e, d)`,
      [
        fresh.map((e) => e.noticeId),
        fresh.map((e) => e.at),
        fresh.map((e) => (e.kind === 'expiring' ? 'HoldExpiring' : 'HoldLapsed')),
        fresh.map(
          (e) =>
            `${e.value.institution} ${maskAccount(e.value.assetKey)}: until ${e.value.termUntil}` +
            (e.kind === 'expiring' ? `, days left: ${e.value.daysLeft}` : ''),
        ),
      ],
    );
    if (!deps.alertsEnabled) return;
    // The same webhook as SLA breaches (sla/alerts.ts), once per hold, term and kind.
    await scheduleTimers(
      tx,
      fresh.map((e) => {
        const row = rowOf(e);
        const kind = e.kind === 'expiring' ? 'hold-expiring' : 'hold-lapsed';
        return {
          kind: SLA_TIMERS.alert,
          subjectId: `${kind}:${row.holdId}:${row.termUntil}`,
          dueAt: e.at,
          payload: {
            kind,
            holdId: row.holdId,
            noticeId: row.noticeId,
            caseNo: row.caseNo,
            court: row.courtCode,
            agency: row.agency,
            institution: row.institution,
            assetKind: row.assetKind,
            asset: row.assetMasked,
            termUntil: row.termUntil,
            deadline: row.lapsesAt.toISOString(),
            daysLeft: e.value.daysLeft,
            detectedAt: e.at.toISOString(),
          },
        };
      }),
      { ifScheduled: 'keep' },
    );
  };
}

/** What the read model knows of these holds, locked for the batch. */
async function lockKnown(
  tx: Queryable,
  holdIds: readonly string[],
): Promise<Map<string, { termUntil: string; reminded: boolean; lapsed: boolean }>> {
  const { rows } = await tx.query<{
    hold_id: string;
    term_until: string;
    reminded: boolean;
    lapsed: boolean;
  }>(
    `SELECT hold_id, term_until, reminded_at IS NOT NULL AS reminded, lapsed_at IS NOT NULL AS lapsed
     FROM expiring_holds WHERE hold_id = ANY($1::uuid[]) ORDER BY hold_id FOR UPDATE`,
    [holdIds],
  );
  return new Map(
    rows.map((r) => [r.hold_id, { termUntil: r.term_until, reminded: r.reminded, lapsed: r.lapsed }]),
  );
}

/** A newer term replaces a hold's row; the same term gains what it lacked; an older one changes nothing. */
async function upsertHolds(tx: Queryable, rows: readonly Row[]): Promise<void> {
  const same = 'EXCLUDED.term_until = h.term_until';
  await tx.query(
    `INSERT INTO expiring_holds AS h (hold_id, notice_id, court_code, case_no, agency, institution, asset_kind,
       asset_masked, term_until, lapses_at, lead_working_days, reminded_at, lapsed_at, frozen_fen)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::timestamptz[], $11::int[], $12::timestamptz[], $13::timestamptz[], $14::bigint[])
     ON CONFLICT (hold_id) DO UPDATE SET
       notice_id = EXCLUDED.notice_id, court_code = EXCLUDED.court_code, case_no = EXCLUDED.case_no,
       agency = EXCLUDED.agency, institution = EXCLUDED.institution, asset_kind = EXCLUDED.asset_kind,
       asset_masked = EXCLUDED.asset_masked, term_until = EXCLUDED.term_until, lapses_at = EXCLUDED.lapses_at,
       lead_working_days = COALESCE(EXCLUDED.lead_working_days, CASE WHEN ${same} THEN h.lead_working_days END),
       reminded_at = CASE WHEN ${same} THEN COALESCE(h.reminded_at, EXCLUDED.reminded_at) ELSE EXCLUDED.reminded_at END,
       lapsed_at = CASE WHEN ${same} THEN COALESCE(h.lapsed_at, EXCLUDED.lapsed_at) ELSE EXCLUDED.lapsed_at END,
       frozen_fen = COALESCE(EXCLUDED.frozen_fen, CASE WHEN ${same} THEN h.frozen_fen END),
       updated_at = now()
     WHERE EXCLUDED.term_until >= h.term_until`,
    [
      rows.map((r) => r.holdId),
      rows.map((r) => r.noticeId),
      rows.map((r) => r.courtCode),
      rows.map((r) => r.caseNo),
      rows.map((r) => r.agency),
      rows.map((r) => r.institution),
      rows.map((r) => r.assetKind),
      rows.map((r) => r.assetMasked),
      rows.map((r) => r.termUntil),
      rows.map((r) => r.lapsesAt),
      rows.map((r) => r.leadWorkingDays),
      rows.map((r) => r.remindedAt),
      rows.map((r) => r.lapsedAt),
      rows.map((r) => r.frozenFen),
    ],
  );
}
