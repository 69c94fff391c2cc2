/**
 * The freeze-deduct service's hooks into the measure skeleton: what each control notice asked for is kept
 * at intake, and every answer about a hold (freeze, seal, renewal, release, deduction) is folded into that
 * hold and its history, in the batch's transaction. Results were parsed once by the skeleton
 * (`parseAnswerResult`); one that did not parse changes no hold, while its answer still counts.
 */
import { randomUUID } from 'node:crypto';
import { type AgencyKind, shanghaiDate } from '@hub/domain';
import type { AnsweredRow, MeasureHooks } from '@hub/measure-kit';
import type { Logger } from '@hub/service-kit';
import { applyHoldAnswer, type HoldAnswer, holdAnswerOf } from './domain/holds.js';
import { insertControlParams, selectControlParams } from './sql/control-params.js';
import { type HoldChange, type HoldKey, holdKeyOf, lockHolds, writeHoldChanges } from './sql/holds.js';

export function controlHooks(logger: Pick<Logger, 'warn'>): Pick<MeasureHooks, 'onPlanned' | 'onAnswered'> {
  return {
    onPlanned: async (tx, { notices }) => {
      await insertControlParams(
        tx,
        notices.map((n) => {
          const p = n.submission.params;
          return {
            noticeId: n.id,
            amountFen: p?.amountFen ?? null,
            termDays: p?.termDays ?? null,
            assetKey: p?.accountNo || p?.unitNo || p?.plate || null,
          };
        }),
      );
    },
    onAnswered: async (tx, answered) => {
      const about = answered.flatMap((row) => {
        const answer = row.result ? holdAnswerOf(row.result) : null;
        return answer ? [{ row, answer, key: keyOf(row, answer) }] : [];
      });
      if (about.length === 0) return;
      const params = await selectControlParams(tx, [...new Set(about.map((a) => a.row.noticeId))]);
      const holds = await lockHolds(
        tx,
        about.map((a) => a.key),
      );
      const changes: HoldChange[] = [];
      for (const { row, answer, key } of about) {
        const k = holdKeyOf(key);
        const current = holds.get(k);
        const asked = params.get(row.noticeId);
        const decision = applyHoldAnswer(current, answer, {
          agency: row.agency as AgencyKind,
          day: shanghaiDate(row.answeredAt),
          termDays: asked?.termDays ?? undefined,
          // Only a notice naming its asset carries out a partial release (agency-sim money-answers.ts).
          amountFen: asked?.assetKey ? (asked.amountFen ?? undefined) : undefined,
        });
        if (!decision.ok) {
          logger.warn(
            { requestId: row.requestId, measure: row.measure, code: decision.code, state: current?.state },
            'an answer that no hold of the hub can take: the hold is left as it was',
          );
          continue;
        }
        const hold = { ...decision.hold, id: current?.id ?? randomUUID() };
        holds.set(k, hold);
        changes.push({
          key,
          subjectKey: row.subjectKey,
          agency: row.agency,
          hold,
          from: current?.state ?? null,
          requestId: row.requestId,
          measure: row.measure,
          at: row.answeredAt,
        });
      }
      await writeHoldChanges(tx, changes);
    },
  };
}

const keyOf = (row: AnsweredRow, answer: HoldAnswer): HoldKey => ({
  courtCode: row.courtCode,
  caseNo: row.caseNo,
  institution: row.institution,
  assetKind: answer.assetKind,
  assetKey: answer.assetKey,
});
