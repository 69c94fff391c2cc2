/**
 * The freeze-deduct service's hooks into the measure skeleton: what each control notice asked for is kept
 * at intake, and every answer about a hold (freeze, seal, renewal, release, deduction) is folded into that
 * hold and its history, in the batch's transaction. Results were parsed once by the skeleton
 * (`parseAnswerResult`); one that did not parse changes no hold, while its answer still counts.
 */
import { randomUUID } from 'node:crypto';
import { type AgencyKind, shanghaiDate, type WorkingDayCalendar } from '@hub/domain';
import type { AnsweredRow, MeasureHooks } from '@hub/measure-kit';
import type { EventFactory } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import { applyHoldAnswer, type HoldAnswer, holdAnswerOf } from './domain/holds.js';
import { armHoldTimers, type ChangedHold, lockHoldTimers } from './hold-timers.js';
import { releaseExcess } from './over-freeze.js';
import { insertControlParams, selectControlParams } from './sql/control-params.js';
import { type Deduction, insertDeductions } from './sql/deductions.js';
import { linkReleaseNotices, settleReleases } from './sql/excess-releases.js';
import { type HoldChange, type HoldKey, holdKeyOf, lockHolds, writeHoldChanges } from './sql/holds.js';
import { recordOwed } from './sql/owed.js';

export function controlHooks(
  logger: Pick<Logger, 'warn' | 'info'>,
  events: EventFactory,
  calendar?: WorkingDayCalendar,
): Pick<MeasureHooks, 'onPlanned' | 'onAnswered'> {
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
      await linkReleaseNotices(
        tx,
        notices
          .filter((n) => n.measure === 'release')
          .map((n) => ({ courtCode: n.courtCode, noticeNo: n.submission.noticeNo, id: n.id })),
      );
      const stated = notices.flatMap((n) => {
        const owedFen = n.submission.params?.owedFen;
        if (owedFen === undefined) return [];
        return [
          {
            courtCode: n.courtCode,
            caseNo: n.caseNo,
            owedFen,
            source: 'notice' as const,
            noticeId: n.id,
            officer: n.submission.officer?.name ?? '',
            at: n.issued.receivedAt ?? new Date(),
          },
        ];
      });
      await recordOwed(tx, stated);
      // What is owed may now be below what the case holds (frozen before it was stated, or stated lower):
      // 查封规定 against excessive seizure, the excess is released as when answers reveal it.
      await releaseExcess(tx, stated, events, logger);
    },
    onAnswered: async (tx, answered) => {
      await foldHoldAnswers(tx, answered, logger, calendar);
      // A release of excess answered (whatever it said) is no longer under way.
      await settleReleases(
        tx,
        answered.filter((r) => r.measure === 'release').map((r) => r.noticeId),
        new Date(Math.max(...answered.map((r) => r.answeredAt.getTime()))),
      );
      // Answers about money may leave the case holding more than it owes (several banks answered at once).
      await releaseExcess(
        tx,
        answered
          .filter((r) => r.agency === 'bank' || r.agency === 'provident-fund')
          .map((r) => ({ courtCode: r.courtCode, caseNo: r.caseNo, at: r.answeredAt })),
        events,
        logger,
      );
    },
  };
}

/**
 * Every answer about a hold folded into that hold and its history; each hold's lapse and renewal reminder
 * follow its term across the whole batch (hold-timers.ts).
 */
async function foldHoldAnswers(
  tx: Parameters<NonNullable<MeasureHooks['onAnswered']>>[0],
  answered: readonly AnsweredRow[],
  logger: Pick<Logger, 'warn'>,
  calendar: WorkingDayCalendar | undefined,
): Promise<void> {
  const about = answered.flatMap((row) => {
    const answer = row.result ? holdAnswerOf(row.result) : null;
    return answer ? [{ row, answer, key: keyOf(row, answer) }] : [];
  });
  if (about.length === 0) return;
  const params = await selectControlParams(tx, [...new Set(about.map((a) => a.row.noticeId))]);
  // Timers before holds: a firing lapse timer takes its locks in the same order.
  await lockHoldTimers(
    tx,
    about.map((a) => a.key),
  );
  const holds = await lockHolds(
    tx,
    about.map((a) => a.key),
  );
  const timed = new Map<string, ChangedHold>();
  const changes: HoldChange[] = [];
  const deductions: Deduction[] = [];
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
    timed.set(hold.id, {
      before: timed.has(hold.id) ? timed.get(hold.id)?.before : current,
      after: hold,
      agency: row.agency as AgencyKind,
      noticeId: row.noticeId,
    });
    if (answer.kind === 'deduct') {
      // The agency's transfer reference, kept with what the request moved (once per request).
      deductions.push({
        requestId: row.requestId,
        holdId: hold.id,
        amountFen: answer.deductedFen,
        transferRef: answer.transferRef,
        at: row.answeredAt,
      });
    }
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
  await insertDeductions(tx, deductions);
  await armHoldTimers(tx, [...timed.values()], calendar);
}

const keyOf = (row: AnsweredRow, answer: HoldAnswer): HoldKey => ({
  courtCode: row.courtCode,
  caseNo: row.caseNo,
  institution: row.institution,
  assetKind: answer.assetKind,
  assetKey: answer.assetKey,
});
