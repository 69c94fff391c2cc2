import type { Queryable } from '@hub/store';
import { lockCase } from './freeze-plans.js';

/** A court's statement of what a case owes (执行标的 plus costs), with where it came from. */
export interface OwedStatement {
  courtCode: string;
  caseNo: string;
  owedFen: number;
  source: 'notice' | 'freeze-plan';
  noticeId?: string;
  /** The officer who stated it, as the court sealed it. */
  officer: string;
  at: Date;
}

/** The key of a case in the maps below: court code and case number. */
export const owedKey = (courtCode: string, caseNo: string) => `${courtCode}\u0000${caseNo}`;

/**
 * Records what cases owe, in statement order, and audits every change (case_owed_history). A statement of
 * the amount already recorded changes nothing and leaves no history row.
 */
export async function recordOwed(tx: Queryable, statements: readonly OwedStatement[]): Promise<void> {
  if (statements.length === 0) return;
  // The case's lock before its row, in one order: as freeze plans and excess releases take them.
  const cases = [...new Map(statements.map((s) => [owedKey(s.courtCode, s.caseNo), s])).entries()].sort(
    ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const [, s] of cases) await lockCase(tx, s.courtCode, s.caseNo);
  const current = await selectOwed(
    tx,
    statements.map((s) => ({ courtCode: s.courtCode, caseNo: s.caseNo })),
    { forUpdate: true },
  );
  const changes: (OwedStatement & { fromFen: number | null })[] = [];
  for (const s of statements) {
    const k = owedKey(s.courtCode, s.caseNo);
    const fromFen = current.get(k) ?? null;
    if (fromFen === s.owedFen) continue;
    current.set(k, s.owedFen);
    changes.push({ ...s, fromFen });
  }
  if (changes.length === 0) return;
  await tx.query(
    `INSERT INTO case_owed_history (court_code, case_no, from_fen, to_fen, source, notice_id, officer, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::uuid[],
                          $7::text[], $8::timestamptz[])`,
    [
      changes.map((c) => c.courtCode),
      changes.map((c) => c.caseNo),
      changes.map((c) => c.fromFen),
      changes.map((c) => c.owedFen),
      changes.map((c) => c.source),
      changes.map((c) => c.noticeId ?? null),
      changes.map((c) => c.officer),
      changes.map((c) => c.at),
    ],
  );
  // The last statement per case wins (statements come in order).
  const last = new Map(changes.map((c) => [owedKey(c.courtCode, c.caseNo), c]));
  const rows = [...last.values()];
  await tx.query(
    `INSERT INTO case_owed (court_code, case_no, owed_fen, updated_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[])
     ON CONFLICT (court_code, case_no) DO UPDATE SET owed_fen = EXCLUDED.owed_fen, updated_at = EXCLUDED.updated_at`,
    [
      rows.map((c) => c.courtCode),
      rows.map((c) => c.caseNo),
      rows.map((c) => c.owedFen),
      rows.map((c) => c.at),
    ],
  );
}

/** What the given cases owe, keyed by court code and case number (`\0`-joined); cases never stated are absent. */
export async function selectOwed(
  db: Queryable,
  cases: readonly { courtCode: string; caseNo: string }[],
  options: { forUpdate?: boolean } = {},
): Promise<Map<string, number>> {
  if (cases.length === 0) return new Map();
  const { rows } = await db.query(
    `SELECT court_code, case_no, owed_fen FROM case_owed
     WHERE (court_code, case_no) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     ORDER BY court_code, case_no ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    [cases.map((c) => c.courtCode), cases.map((c) => c.caseNo)],
  );
  return new Map(rows.map((r) => [owedKey(r.court_code, r.case_no), Number(r.owed_fen)]));
}
