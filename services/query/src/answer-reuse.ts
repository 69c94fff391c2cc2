import type { NoticeIssued } from '@hub/contracts';
import type { AnswerOutcome } from '@hub/domain';
import type { MeasureHooks, Reuse } from '@hub/measure-kit';
import { freshAnswers } from './sql/fresh-answers.js';

/** Only an answer that found something complete or in part is worth giving again. */
const REUSABLE: readonly AnswerOutcome[] = ['done', 'partial'];

export interface AnswerReuseDeps {
  /** Answers younger than this (hub time) are reused for a repeated inquiry on the same debtor; 0 = never. */
  reuseWindowMs: number;
  /** Does the court's seal verify over the notice? Only a sealed notice may be answered by reuse. */
  sealVerifies: (issued: NoticeIssued) => boolean;
}

/** Reuse is per court: one court's answers never answer another court's inquiry. */
const reuseKey = (court: string, subject: string, institution: string) =>
  `${court}|${subject}|${institution}`;

/**
 * 查询结果复用: a planned inquiry request is answered with the institution's fresh answer to the same court
 * about the same debtor, instead of asking again. Only a notice whose seal verifies may be answered so: any
 * other is asked of the agencies, whose adapters refuse it visibly (RequestFailed), so it never completes on
 * the strength of an old answer.
 */
export function answerReuse(deps: AnswerReuseDeps): NonNullable<MeasureHooks['beforeDispatch']> {
  return async (tx, { notices, requests, now }) => {
    if (deps.reuseWindowMs <= 0) return new Map();
    const asking = notices.filter((n) => n.measure === 'query' && deps.sealVerifies(n.issued));
    const rows = await freshAnswers(
      tx,
      asking.map((n) => ({ court: n.courtCode, subject: n.subjectKey })),
      new Date(now.getTime() - deps.reuseWindowMs),
      notices.map((n) => n.id),
      REUSABLE,
    );
    const fresh = new Map(rows.map((r) => [reuseKey(r.court_code, r.subject_key, r.institution), r]));
    const byId = new Map(asking.map((n) => [n.id, n]));
    const reuses = new Map<string, Reuse>();
    for (const r of requests) {
      const n = byId.get(r.noticeId);
      const earlier = n && fresh.get(reuseKey(n.courtCode, n.subjectKey, r.institution));
      if (earlier) {
        reuses.set(r.id, {
          fromRequestId: earlier.id,
          outcome: earlier.outcome,
          result: earlier.result,
          answeredAt: earlier.answered_at,
        });
      }
    }
    return reuses;
  };
}
