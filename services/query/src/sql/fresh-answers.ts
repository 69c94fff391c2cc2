import type { AnswerOutcome } from '@hub/domain';
import type { Queryable } from '@hub/store';

export interface FreshAnswer {
  id: string;
  institution: string;
  outcome: AnswerOutcome;
  result: unknown;
  answered_at: Date;
  subject_key: string;
  court_code: string;
}

/**
 * The latest answer with a reusable outcome an agency itself gave (never a reuse of one, so the window cannot be
 * stretched by chaining) per (court, debtor, institution) asked about, to an inquiry (`query`) answered
 * since `since`, leaving out the notices in `excluding`. Only the same court's answers count.
 */
export async function freshAnswers(
  tx: Queryable,
  asking: readonly { court: string; subject: string }[],
  since: Date,
  excluding: readonly string[],
  outcomes: readonly string[],
): Promise<FreshAnswer[]> {
  if (asking.length === 0) return [];
  const { rows } = await tx.query<FreshAnswer>(
    `SELECT DISTINCT ON (n.court_code, n.subject_key, r.institution) r.id, r.institution, r.outcome, r.result,
            r.answered_at, n.subject_key, n.court_code
     FROM requests r JOIN notices n ON n.id = r.notice_id
     WHERE (n.court_code, n.subject_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       AND n.measure = 'query' AND r.status = ANY($5::text[]) AND r.reused_from IS NULL AND r.result IS NOT NULL
       AND r.answered_at >= $3 AND NOT (n.id = ANY($4::uuid[]))
     ORDER BY n.court_code, n.subject_key, r.institution, r.answered_at DESC`,
    [asking.map((a) => a.court), asking.map((a) => a.subject), since, excluding, outcomes],
  );
  return rows;
}
