import type { MeasureHooks } from '@hub/measure-kit';
import { factsOf } from './domain/facts.js';
import { upsertFacts } from './sql/upsert-facts.js';

/**
 * 财产报告: every answer (live or reused) adds what it found to the case's facts, dated when the
 * institution gave it. Results were parsed once by the measure kit (`parseAnswerResult`); one that did not
 * parse was logged there and adds nothing here, while its answer still counts toward the notice.
 */
export const recordPropertyFacts: NonNullable<MeasureHooks['onAnswered']> = async (tx, answered) => {
  await upsertFacts(
    tx,
    answered.flatMap((r) =>
      (r.result?.ok ? factsOf(r.result) : []).map((fact) => ({
        caseNo: r.caseNo,
        subject: r.subjectKey,
        agency: r.agency,
        institution: r.institution,
        requestId: r.requestId,
        at: r.answeredAt,
        fact,
      })),
    ),
  );
};
