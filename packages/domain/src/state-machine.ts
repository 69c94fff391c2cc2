/**
 * Request and notice lifecycles as data. A request moves forward only — pending → delivered → acknowledged →
 * one terminal status — and may skip steps, because Kafka delivers per-request events in order but the
 * adapter's delivery and the agency's answer can be recorded by different services (so an answer may be the
 * first thing the tracker hears). Terminal statuses never change.
 */
import { NOTICE_STATUSES, type NoticeStatus, REQUEST_STATUSES, type RequestStatus } from './glossary.ts';

export interface IllegalTransition {
  code: 'ILLEGAL_TRANSITION';
  machine: 'request' | 'notice';
  from: string;
  to: string;
  reason: 'TERMINAL' | 'SAME_STATUS' | 'NOT_ALLOWED';
}

export type TransitionResult = { ok: true } | { ok: false; error: IllegalTransition };

const ANSWERS = ['done', 'partial', 'cannot-assist', 'refused'] as const;

export const REQUEST_TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  pending: ['delivered', 'acknowledged', ...ANSWERS, 'failed', 'cancelled'],
  delivered: ['acknowledged', ...ANSWERS, 'failed', 'cancelled'],
  // Once the agency has acknowledged, delivery cannot fail any more; silence is an SLA breach, not a failure.
  // Checked against the adapters (issue 10): they publish RequestFailed only for a request their seal screen
  // refused, which is never stored, so never served or acknowledged; query's RequestFailed is for a request
  // that could not be routed at all. A failure after 签收 would also turn an agency's unanswered request —
  // evidence of non-cooperation the court may fine (DESIGN §4) — into the hub's own failure, so it is refused.
  acknowledged: [...ANSWERS, 'cancelled'],
  done: [],
  partial: [],
  'cannot-assist': [],
  refused: [],
  failed: [],
  cancelled: [],
};

export const NOTICE_TRANSITIONS: Readonly<Record<NoticeStatus, readonly NoticeStatus[]>> = {
  issued: ['in-progress', 'completed', 'cancelled'],
  'in-progress': ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

function transition<S extends string>(
  machine: IllegalTransition['machine'],
  table: Readonly<Record<S, readonly S[]>>,
  from: S,
  to: S,
): TransitionResult {
  const allowed = table[from];
  if (allowed?.includes(to)) return { ok: true };
  const reason = allowed?.length === 0 ? 'TERMINAL' : from === to ? 'SAME_STATUS' : 'NOT_ALLOWED';
  return { ok: false, error: { code: 'ILLEGAL_TRANSITION', machine, from, to, reason } };
}

export function requestTransition(from: RequestStatus, to: RequestStatus): TransitionResult {
  return transition('request', REQUEST_TRANSITIONS, from, to);
}

export function noticeTransition(from: NoticeStatus, to: NoticeStatus): TransitionResult {
  return transition('notice', NOTICE_TRANSITIONS, from, to);
}

export function isTerminalRequest(status: RequestStatus): boolean {
  return REQUEST_TRANSITIONS[status].length === 0;
}

export function isTerminalNotice(status: NoticeStatus): boolean {
  return NOTICE_TRANSITIONS[status].length === 0;
}

/** Requests still waiting for the agency (未办结): every status not terminal. */
export const OPEN_REQUEST_STATUSES: readonly RequestStatus[] = REQUEST_STATUSES.filter(
  (s) => REQUEST_TRANSITIONS[s].length > 0,
);

/**
 * Still open: the one "not yet answered" predicate. A status this build cannot name counts as closed, like an
 * unknown answer outcome (an answer is an answer), so it never raises a breach.
 */
export function isOpenRequest(status: string): boolean {
  return (OPEN_REQUEST_STATUSES as readonly string[]).includes(status);
}

export function isRequestStatus(value: unknown): value is RequestStatus {
  return typeof value === 'string' && (REQUEST_STATUSES as readonly string[]).includes(value);
}

export function isNoticeStatus(value: unknown): value is NoticeStatus {
  return typeof value === 'string' && (NOTICE_STATUSES as readonly string[]).includes(value);
}

/** pending 0 < delivered 1 < acknowledged 2 < any terminal status 3: lets consumers drop stale events. */
export function requestStatusRank(status: RequestStatus): 0 | 1 | 2 | 3 {
  switch (status) {
    case 'pending':
      return 0;
    case 'delivered':
      return 1;
    case 'acknowledged':
      return 2;
    default:
      return 3;
  }
}

export type FoldOutcome = 'applied' | 'duplicate' | 'stale' | 'conflict' | 'illegal';

/**
 * Folds an incoming status event into the current one, monotonically: a lower-ranked (late) event is `stale`,
 * a repeat is a `duplicate`, a second different terminal status is a `conflict` (kept out, to be logged), a
 * forward move the table forbids is `illegal`; only a legal move is `applied`, so terminal statuses stay put.
 */
export function foldRequestStatus(
  current: RequestStatus,
  incoming: RequestStatus,
): { status: RequestStatus; outcome: FoldOutcome } {
  if (incoming === current) return { status: current, outcome: 'duplicate' };
  if (requestTransition(current, incoming).ok) return { status: incoming, outcome: 'applied' };
  if (isTerminalRequest(current)) {
    return { status: current, outcome: isTerminalRequest(incoming) ? 'conflict' : 'stale' };
  }
  const stale = requestStatusRank(incoming) <= requestStatusRank(current);
  return { status: current, outcome: stale ? 'stale' : 'illegal' };
}

/**
 * A notice's status from its requests': `issued` before any request exists, `in-progress` while any request is
 * open, `completed` once all are terminal. Given the current status, the result only ever moves along
 * NOTICE_TRANSITIONS: a notice already terminal (e.g. cancelled by the court) stays so, and one in progress
 * never falls back to issued.
 */
export function noticeStatusFrom(
  requestStatuses: readonly RequestStatus[],
  current?: NoticeStatus,
): NoticeStatus {
  const derived: NoticeStatus =
    requestStatuses.length === 0
      ? 'issued'
      : requestStatuses.every(isTerminalRequest)
        ? 'completed'
        : 'in-progress';
  if (current === undefined || current === derived || noticeTransition(current, derived).ok) return derived;
  return current;
}
