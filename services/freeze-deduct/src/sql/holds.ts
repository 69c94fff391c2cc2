import type { Queryable } from '@hub/store';
import type { Hold, HoldState } from '../domain/holds.js';

/** Which court's case a hold belongs to, and where it is. */
export interface HoldKey {
  courtCode: string;
  caseNo: string;
  institution: string;
  assetKind: Hold['assetKind'];
  assetKey: string;
}

export interface StoredHold extends Hold {
  id: string;
}

export const holdKeyOf = (k: HoldKey): string =>
  [k.courtCode, k.caseNo, k.institution, k.assetKind, k.assetKey].join('|');

/** The holds at these keys, locked for the batch that changes them. */
/** A row of `holds` as the hold domain reads it. */
export function storedHoldOf(r: Record<string, unknown>): StoredHold {
  return {
    id: r.id as string,
    assetKind: r.asset_kind as StoredHold['assetKind'],
    assetKey: r.asset_key as string,
    measure: r.measure as StoredHold['measure'],
    state: r.state as HoldState,
    queuePosition: r.queue_position as number,
    requestedFen: r.requested_fen === null ? null : Number(r.requested_fen),
    frozenFen: Number(r.frozen_fen),
    deductedFen: Number(r.deducted_fen),
    termFrom: r.term_from as string | null,
    termUntil: r.term_until as string | null,
    registrationNo: r.registration_no as string,
  };
}

export async function lockHolds(tx: Queryable, keys: readonly HoldKey[]): Promise<Map<string, StoredHold>> {
  const found = new Map<string, StoredHold>();
  if (keys.length === 0) return found;
  const { rows } = await tx.query(
    `SELECT h.* FROM holds h
     JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS k(c, n, i, ak, key)
       ON h.court_code = k.c AND h.case_no = k.n AND h.institution = k.i AND h.asset_kind = k.ak
      AND h.asset_key = k.key
     ORDER BY h.id FOR UPDATE OF h`,
    [
      keys.map((k) => k.courtCode),
      keys.map((k) => k.caseNo),
      keys.map((k) => k.institution),
      keys.map((k) => k.assetKind),
      keys.map((k) => k.assetKey),
    ],
  );
  for (const r of rows) {
    found.set(
      holdKeyOf({
        courtCode: r.court_code,
        caseNo: r.case_no,
        institution: r.institution,
        assetKind: r.asset_kind,
        assetKey: r.asset_key,
      }),
      storedHoldOf(r),
    );
  }
  return found;
}

export interface HoldChange {
  key: HoldKey;
  subjectKey: string;
  agency: string;
  hold: StoredHold;
  from: HoldState | null;
  requestId: string;
  /** The measure of the answer that made the change (freeze, release, deduct …). */
  measure: string;
  at: Date;
}

/** Writes each changed hold (the last change per hold) and every change into hold_history. */
export async function writeHoldChanges(tx: Queryable, changes: readonly HoldChange[]): Promise<void> {
  if (changes.length === 0) return;
  const last = [...new Map(changes.map((c) => [c.hold.id, c])).values()];
  await tx.query(
    `INSERT INTO holds (id, court_code, case_no, subject_key, agency, institution, asset_kind, asset_key, measure,
                        state, queue_position, requested_fen, frozen_fen, deducted_fen, term_from, term_until,
                        registration_no, placed_by, created_at, updated_at)
     SELECT id, c, n, s, a, i, ak, key, m, st, q, rq, fr, de, tf, tu, reg, r, t, t
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::text[], $10::text[], $11::int[], $12::bigint[], $13::bigint[], $14::bigint[], $15::text[],
                 $16::text[], $17::text[], $18::uuid[], $19::timestamptz[])
       AS x(id, c, n, s, a, i, ak, key, m, st, q, rq, fr, de, tf, tu, reg, r, t)
     ON CONFLICT (id) DO UPDATE SET
       measure = EXCLUDED.measure, state = EXCLUDED.state, queue_position = EXCLUDED.queue_position,
       requested_fen = EXCLUDED.requested_fen, frozen_fen = EXCLUDED.frozen_fen,
       deducted_fen = EXCLUDED.deducted_fen, term_from = EXCLUDED.term_from, term_until = EXCLUDED.term_until,
       registration_no = EXCLUDED.registration_no, updated_at = EXCLUDED.updated_at`,
    [
      last.map((c) => c.hold.id),
      last.map((c) => c.key.courtCode),
      last.map((c) => c.key.caseNo),
      last.map((c) => c.subjectKey),
      last.map((c) => c.agency),
      last.map((c) => c.key.institution),
      last.map((c) => c.key.assetKind),
      last.map((c) => c.key.assetKey),
      last.map((c) => c.hold.measure),
      last.map((c) => c.hold.state),
      last.map((c) => c.hold.queuePosition),
      last.map((c) => c.hold.requestedFen),
      last.map((c) => c.hold.frozenFen),
      last.map((c) => c.hold.deductedFen),
      last.map((c) => c.hold.termFrom),
      last.map((c) => c.hold.termUntil),
      last.map((c) => c.hold.registrationNo),
      last.map((c) => c.requestId),
      last.map((c) => c.at),
    ],
  );
  await tx.query(
    `INSERT INTO hold_history (hold_id, request_id, measure, from_state, to_state, queue_position, frozen_fen,
                               deducted_fen, term_until, at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[],
                          $8::bigint[], $9::text[], $10::timestamptz[])
     ON CONFLICT (hold_id, request_id) DO NOTHING`,
    [
      changes.map((c) => c.hold.id),
      changes.map((c) => c.requestId),
      changes.map((c) => c.measure),
      changes.map((c) => c.from),
      changes.map((c) => c.hold.state),
      changes.map((c) => c.hold.queuePosition),
      changes.map((c) => c.hold.frozenFen),
      changes.map((c) => c.hold.deductedFen),
      changes.map((c) => c.hold.termUntil),
      changes.map((c) => c.at),
    ],
  );
}
