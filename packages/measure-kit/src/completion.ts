import { noticeTopicFor } from '@hub/contracts';
import { isTerminalNotice, type NoticeStatus, noticeStatusFrom, type RequestStatus } from '@hub/domain';
import type { OutboxMessage } from '@hub/messaging';
import type { Queryable } from '@hub/store';
import type { CompletedNotice, CompletionCounts, MeasureServiceSpec } from './spec.js';
import { lockNoticeProgress, type NoticeProgress } from './sql/notice-progress.js';

/** NoticeCompleted's counts: every request once, by its final status. */
export function completionCounts(statuses: readonly RequestStatus[]): CompletionCounts {
  const c = (s: RequestStatus) => statuses.filter((x) => x === s).length;
  return {
    requests: statuses.length,
    done: c('done'),
    partial: c('partial'),
    cannotAssist: c('cannot-assist'),
    refused: c('refused'),
    failed: c('failed'),
  };
}

/** A notice's status change the batch writes with its events (noticeStatusChange, enqueueWith). */
export interface NoticeMove {
  id: string;
  status: NoticeStatus;
  completedAt: Date | null;
}

/**
 * Each touched notice takes the status the domain derives from its requests (noticeStatusFrom); one that
 * has just become terminal-by-completion is announced once with `NoticeCompleted` and its counts. `known` is the
 * progress of notices this transaction has just taken in (stored as `issued` with exactly the requests planned,
 * invisible to any other transaction): they are not read back. Returns the moves, which the caller writes with
 * the batch's events (`noticeStatusChange`), after the `onCompleted` hook has run.
 */
export async function settleNotices(
  tx: Queryable,
  noticeIds: readonly string[],
  spec: MeasureServiceSpec,
  now: Date,
  out: OutboxMessage[],
  known: readonly NoticeProgress[] = [],
): Promise<NoticeMove[]> {
  const moved: NoticeMove[] = [];
  const completed: CompletedNotice[] = [];
  const knownIds = new Set(known.map((n) => n.id));
  const toRead = noticeIds.filter((id) => !knownIds.has(id));
  for (const n of [...known, ...(await lockNoticeProgress(tx, toRead))]) {
    const status = noticeStatusFrom(n.requests, n.status);
    if (status === n.status) continue;
    const completes = status === 'completed';
    moved.push({ id: n.id, status, completedAt: completes ? now : null });
    if (completes) completed.push({ noticeId: n.id, counts: completionCounts(n.requests) });
    else if (isTerminalNotice(status))
      throw new Error(`notice ${n.id} cannot become ${status} by its requests`);
  }
  // The service's own notice topic (all its measures share it): where its notices were issued, beside them.
  const topic = noticeTopicFor(spec.measures[0] ?? '');
  for (const { noticeId, counts } of completed) {
    out.push(spec.events.event(topic, noticeId, 'noticeCompleted', { noticeId, ...counts }));
  }
  if (completed.length > 0) await spec.hooks?.onCompleted?.(tx, completed, { now });
  return moved;
}
