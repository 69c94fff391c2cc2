import { type ParsedAnswerResult, parseAnswerResult } from '@hub/contracts/answers';
import {
  type AgencyKind,
  type AnswerOutcome,
  foldRequestStatus,
  isAnswerOutcome,
  type Measure,
  type RequestStatus,
} from '@hub/domain';
import type { Queryable } from '@hub/store';
import type { AnsweredRow, MeasureServiceSpec } from './spec.js';
import { lockRequests } from './sql/lock-requests.js';
import { recordAnswers } from './sql/record-answers.js';

/** An answer or failure of some request, as read off the answers topic. */
export interface IncomingAnswer {
  requestId: string;
  status: AnswerOutcome | 'failed';
  outcome: AnswerOutcome | null;
  result: string | null;
  /**
   * When the agency answered (the event's time on the hub clock), not when this service read it: lag in
   * between must not make an answer look late, and every service then agrees on what was on time.
   */
  answeredAt: Date;
}

export function answerOf(
  outcome: string,
  resultJson: string,
  requestId: string,
  answeredAt: Date,
): IncomingAnswer | undefined {
  if (!isAnswerOutcome(outcome)) return undefined;
  return { requestId, status: outcome, outcome, result: resultJson || null, answeredAt };
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
  const results = new Map(
    locked
      .filter((r) => applied.has(r.id))
      .map((r) => [r.id, readResult(r, applied.get(r.id)!.result, spec)]),
  );
  await recordAnswers(
    tx,
    [...applied.values()].map((a) => ({
      id: a.requestId,
      status: a.status,
      outcome: a.outcome,
      // Only a result that parsed is stored: the column is jsonb and reuse gives it out again as valid.
      result: results.get(a.requestId)?.ok ? a.result : null,
      answeredAt: a.answeredAt,
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
        result: results.get(r.id) ?? null,
        answeredAt: a.answeredAt,
      },
    ];
  });
  await spec.hooks?.onAnswered?.(tx, answered);
  return [...new Set(answered.map((r) => r.noticeId))];
}

/**
 * An answer's result as its agency kind and measure define it (`parseAnswerResult`). The adapter validated
 * it against the same schema, so a failure means a broken or foreign producer: logged with its issues, and the
 * answer still folds (its outcome is valid) without a result, rather than failing the whole batch.
 */
export function readResult(
  r: { id: string; agency: AgencyKind; measure: string },
  result: unknown,
  spec: Pick<MeasureServiceSpec, 'logger'>,
): ParsedAnswerResult | null {
  if (result === null || result === undefined) return null;
  // A notice's measure was checked at intake; any other string is refused as MEASURE_NOT_SUPPORTED.
  const parsed = parseAnswerResult(r.agency, r.measure as Measure, result);
  if (!parsed.ok) {
    spec.logger?.warn(
      { requestId: r.id, agency: r.agency, measure: r.measure, issues: parsed.issues },
      'answer result does not parse; kept without it',
    );
  }
  return parsed;
}
