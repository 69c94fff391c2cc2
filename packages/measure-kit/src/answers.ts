import { type AnswerOutcome, foldRequestStatus, isAnswerOutcome, type RequestStatus } from '@hub/domain';
import type { Queryable } from '@hub/store';
import type { AnsweredRow, MeasureServiceSpec } from './spec.js';
import { lockRequests } from './sql/lock-requests.js';
import { recordAnswers } from './sql/record-answers.js';

/** An answer or failure of some request, as read off the progress topic. */
export interface IncomingAnswer {
  requestId: string;
  status: AnswerOutcome | 'failed';
  outcome: AnswerOutcome | null;
  result: string | null;
}

export function answerOf(outcome: string, resultJson: string, requestId: string): IncomingAnswer | undefined {
  if (!isAnswerOutcome(outcome)) return undefined;
  return { requestId, status: outcome, outcome, result: resultJson || null };
}

/**
 * Folds answers into this service's requests, in the order they were read: the domain's state machine
 * decides, so the first terminal answer wins and a repeat or a conflicting later one changes nothing.
 * Returns the ids of the notices whose requests moved.
 */
export async function takeAnswers(
  tx: Queryable,
  answers: readonly IncomingAnswer[],
  spec: MeasureServiceSpec,
  now: Date,
): Promise<string[]> {
  const locked = await lockRequests(tx, [...new Set(answers.map((a) => a.requestId))]);
  if (locked.length === 0) return [];
  const current = new Map<string, RequestStatus>(locked.map((r) => [r.id, r.status]));
  const applied = new Map<string, IncomingAnswer>();
  for (const a of answers) {
    const from = current.get(a.requestId);
    if (from === undefined) continue; // another service's request
    const fold = foldRequestStatus(from, a.status);
    if (fold.outcome === 'conflict' || fold.outcome === 'illegal') {
      // Kept out, but never silently: a second answer that differs is worth an operator's look.
      spec.logger?.warn(
        { requestId: a.requestId, from, to: a.status, fold: fold.outcome },
        'answer not applied',
      );
    }
    if (fold.outcome !== 'applied') continue;
    current.set(a.requestId, fold.status);
    applied.set(a.requestId, a);
  }
  if (applied.size === 0) return [];
  await recordAnswers(
    tx,
    [...applied.values()].map((a) => ({
      id: a.requestId,
      status: a.status,
      outcome: a.outcome,
      result: a.result,
    })),
    now,
  );
  const answered = locked.flatMap((r): AnsweredRow[] => {
    const a = applied.get(r.id);
    if (!a) return [];
    return [
      {
        requestId: r.id,
        noticeId: r.notice_id,
        caseNo: r.case_no,
        courtCode: r.court_code,
        subjectKey: r.subject_key,
        measure: r.measure,
        agency: r.agency,
        institution: r.institution,
        status: a.status,
        result: a.result === null ? null : JSON.parse(a.result),
        answeredAt: now,
      },
    ];
  });
  await spec.hooks?.onAnswered?.(tx, answered);
  return [...new Set(answered.map((r) => r.noticeId))];
}
