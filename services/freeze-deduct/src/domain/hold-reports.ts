/**
 * Hold-change reports (agency-initiated, signed; agency-kit `POST /v1/agency/hold-changes`): what an agency
 * says happened to a hold the hub placed, applied by the same move table as answers (HOLD_MOVES). Pure.
 *
 *   promoted                 轮候生效   queued → effective, queue position 0, the term the agency registered
 *   released-by-other-court  前序解除   queued → queued, a better (smaller) queue position
 *   lapsed                   失效       queued | effective | renewed → lapsed, nothing held any more
 *   deducted                 扣划       effective | renewed → the same, or deducted when nothing is left frozen
 *   disposed                 前序处分   queued → lapsed: the asset ahead was wholly disposed of
 *
 * Queue order is by time of service (DESIGN §4): a queued hold only ever moves up, so a report that would
 * move it back, or promote a hold that is not waiting, changes nothing.
 */
import type { HoldChangeReported } from '@hub/contracts';
import { canMove, type Hold, type HoldState, isLive } from './holds.js';

export type HoldReport =
  | { change: 'promoted'; termFrom: string; termUntil: string; registrationNo: string; frozenFen?: number }
  | { change: 'released-by-other-court'; queuePosition: number }
  | { change: 'lapsed' }
  | { change: 'deducted'; amountFen: number; transferRef: string }
  | { change: 'disposed' };

export type HoldReportRefusal =
  | 'NO_SUCH_HOLD'
  | 'HOLD_ENDED'
  | 'MOVE_NOT_ALLOWED'
  | 'QUEUE_ORDER'
  | 'DEDUCT_EXCEEDS_FROZEN'
  | 'FROZEN_EXCEEDS_REQUESTED'
  | 'NOT_FOR_THIS_ASSET';

export type HoldReportDecision = { ok: true; hold: Hold } | { ok: false; code: HoldReportRefusal };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isFen = (n: number | undefined): n is number => n !== undefined && Number.isSafeInteger(n) && n >= 0;

/** The report an event carries, or null when it lacks what its change needs (the adapter checked it). */
export function holdReportOf(e: HoldChangeReported): HoldReport | null {
  switch (e.change) {
    case 'promoted':
      if (!e.termFrom || !DAY.test(e.termFrom) || !e.termUntil || !DAY.test(e.termUntil)) return null;
      if (e.frozenFen !== undefined && !isFen(e.frozenFen)) return null;
      return {
        change: 'promoted',
        termFrom: e.termFrom,
        termUntil: e.termUntil,
        registrationNo: e.registrationNo ?? '',
        ...(e.frozenFen !== undefined ? { frozenFen: e.frozenFen } : {}),
      };
    case 'released-by-other-court':
      return e.queuePosition !== undefined && e.queuePosition >= 1
        ? { change: 'released-by-other-court', queuePosition: e.queuePosition }
        : null;
    case 'deducted':
      return isFen(e.amountFen) && e.amountFen > 0
        ? { change: 'deducted', amountFen: e.amountFen, transferRef: e.transferRef ?? '' }
        : null;
    case 'lapsed':
    case 'disposed':
      return { change: e.change };
  }
  return null;
}

/** The hold after `report`, or why the report cannot apply to it (then nothing changes). */
export function applyHoldReport(current: Hold | undefined, report: HoldReport): HoldReportDecision {
  if (!current) return { ok: false, code: 'NO_SUCH_HOLD' };
  if (!isLive(current.state)) return { ok: false, code: 'HOLD_ENDED' };
  const move = (state: HoldState, patch: Partial<Hold>): HoldReportDecision =>
    canMove(current.state, state)
      ? { ok: true, hold: { ...current, ...patch, state } }
      : { ok: false, code: 'MOVE_NOT_ALLOWED' };
  const waiting = current.state === 'queued';
  switch (report.change) {
    case 'promoted': {
      // Only a hold waiting in line is promoted; a repeat about one in effect changes nothing.
      if (!waiting) return { ok: false, code: 'MOVE_NOT_ALLOWED' };
      if (report.frozenFen !== undefined && current.assetKind !== 'account')
        return { ok: false, code: 'NOT_FOR_THIS_ASSET' };
      const frozenFen = report.frozenFen ?? current.frozenFen;
      // What is frozen never exceeds what the court asked for less what was deducted under it (DESIGN §4).
      if (current.requestedFen !== null && frozenFen > current.requestedFen - current.deductedFen)
        return { ok: false, code: 'FROZEN_EXCEEDS_REQUESTED' };
      return move('effective', {
        queuePosition: 0,
        frozenFen,
        termFrom: report.termFrom,
        termUntil: report.termUntil,
        registrationNo: report.registrationNo || current.registrationNo,
      });
    }
    case 'released-by-other-court':
      // Queue order is by time of service: a hold ahead lifted moves this one up, never back.
      if (!waiting) return { ok: false, code: 'MOVE_NOT_ALLOWED' };
      if (report.queuePosition >= current.queuePosition) return { ok: false, code: 'QUEUE_ORDER' };
      return move('queued', { queuePosition: report.queuePosition });
    case 'lapsed':
      return move('lapsed', { frozenFen: 0, queuePosition: 0 });
    case 'disposed':
      // 查封规定: the asset ahead wholly disposed of, later queued holds lapse; one in effect is not "later".
      if (!waiting) return { ok: false, code: 'MOVE_NOT_ALLOWED' };
      return move('lapsed', { frozenFen: 0, queuePosition: 0 });
    case 'deducted': {
      if (current.assetKind !== 'account') return { ok: false, code: 'NOT_FOR_THIS_ASSET' };
      if (waiting) return { ok: false, code: 'MOVE_NOT_ALLOWED' };
      if (report.amountFen > current.frozenFen) return { ok: false, code: 'DEDUCT_EXCEEDS_FROZEN' };
      const frozenFen = current.frozenFen - report.amountFen;
      return move(frozenFen === 0 ? 'deducted' : current.state, {
        frozenFen,
        deductedFen: current.deductedFen + report.amountFen,
      });
    }
  }
}
