/**
 * A hold over time (期限): while it is in force it lapses at the end of its term unless renewed (失效), and
 * the court is reminded ahead of that (续冻, 续封 提醒). Pure: which durable timers a change of a hold needs,
 * and what a lapse does to the hold, decided here; the timers themselves are rows (src/hold-timers.ts).
 */
import {
  type AgencyKind,
  ASSET_KIND_OF_AGENCY,
  holdLapsesAt,
  renewalReminder,
  type WorkingDayCalendar,
} from '@hub/domain';
import { canMove, type Hold, type HoldDecision, type HoldState, isLive } from './holds.js';

/** States whose term is running: a queued hold's term starts only when it takes effect. */
const RUNNING: readonly HoldState[] = ['effective', 'renewed'];
/** The last day of the hold's term while it runs; null when no term runs. */
export const runningTerm = (h: Hold | undefined): string | null =>
  h && RUNNING.includes(h.state) ? h.termUntil : null;

export type HoldTimerPlan =
  | {
      kind: 'arm';
      termUntil: string;
      lapsesAt: Date;
      remindAt: Date;
      leadWorkingDays: number;
    }
  /** No term runs any more (released, deducted in full, lapsed, back in the queue): nothing to fire. */
  | { kind: 'disarm' }
  /** The term did not change (e.g. a partial deduction): the timers stand, a reminder already sent is not sent again. */
  | { kind: 'keep' };

/**
 * The timers a hold needs after a change from `before` to `after`: a running term that is new or moved
 * (placed, taken effect, renewed) arms both the lapse at its end and the reminder at its lead time; a term
 * that stopped running disarms them.
 */
export function holdTimerPlan(
  before: Hold | undefined,
  after: Hold,
  agency: AgencyKind,
  calendar?: WorkingDayCalendar,
): HoldTimerPlan {
  const until = runningTerm(after);
  if (until === null) return { kind: 'disarm' };
  if (runningTerm(before) === until) return { kind: 'keep' };
  const reminder = renewalReminder(until, ASSET_KIND_OF_AGENCY[agency], calendar);
  return {
    kind: 'arm',
    termUntil: until,
    lapsesAt: holdLapsesAt(until),
    remindAt: reminder.at,
    leadWorkingDays: reminder.leadWorkingDays,
  };
}

/**
 * A hold whose term `termUntil` ended unrenewed, at `now`: it moves to `lapsed` (through HOLD_MOVES) and holds
 * no money any more. A hold whose term moved since the timer was set, or that already ended, is left alone.
 */
export function lapseHold(current: Hold, termUntil: string, now: Date): HoldDecision {
  if (!isLive(current.state)) return { ok: false, code: 'HOLD_ENDED' };
  if (runningTerm(current) !== termUntil || now < holdLapsesAt(termUntil))
    return { ok: false, code: 'MOVE_NOT_ALLOWED' };
  if (!canMove(current.state, 'lapsed')) return { ok: false, code: 'MOVE_NOT_ALLOWED' };
  return { ok: true, hold: { ...current, state: 'lapsed', frozenFen: 0, queuePosition: 0 } };
}
