import { type AgencyTopicKind, answerTopicFor, requestTopicKey } from '@hub/contracts';
import type { EventFactory, OutboxMessage } from '@hub/messaging';
import type { IntakeNotice, PlannedRow, Reuse } from './spec.js';

/**
 * The events announcing one planned request: `RequestFailed` when it cannot be routed; otherwise
 * `RequestDispatched` on the agency kind's own request topic (so each adapter reads only what is meant for
 * it), carrying the whole sealed notice and its seal and the SLA deadlines, and no copies of the notice's
 * fields (case, notice number, court, debtor, params, legal basis: every reader takes them from the sealed
 * notice; the copies made the event a third larger on every hop, outbox row, Kafka and each consumer group,
 * and an adapter trusts only the sealed original anyway); and for a request answered by
 * reuse, the reuse record's `RequestAnswered` too (the institution is not asked again, but it learns of
 * every court's inquiry about its customer: the adapter keeps the record, already settled).
 */
export function requestEvents(
  events: EventFactory,
  notice: IntakeNotice,
  plan: PlannedRow,
  slaPolicyVersion: string,
  reuse: Reuse | undefined,
): OutboxMessage[] {
  const base = {
    requestId: plan.id,
    noticeId: notice.id,
    agency: plan.agency,
    institution: plan.institution,
    measure: notice.submission.measure,
  };
  if (plan.failure) {
    return [
      events.event(answerTopicFor(notice.submission.measure), notice.id, 'requestFailed', {
        ...base,
        ...plan.failure,
      }),
    ];
  }
  const { deadlines } = plan;
  if (!deadlines) throw new Error(`request ${plan.id} is routed but has no deadlines`);
  const n = notice.submission;
  const dispatched = events.event(
    requestTopicKey(plan.agency as AgencyTopicKind),
    notice.id,
    'requestDispatched',
    {
      ...base,
      // Empty, not absent: the generated encoder writes a string field it finds undefined as "undefined".
      caseNo: '',
      noticeNo: '',
      legalBasis: '',
      acknowledgeBy: deadlines.acknowledgeBy,
      answerBy: deadlines.answerBy,
      escalateAt: deadlines.escalateAt,
      slaPolicyVersion,
      notice: n,
      seal: notice.issued.seal,
      reusedFromRequestId: reuse?.fromRequestId,
    },
  );
  if (!reuse) return [dispatched];
  return [
    dispatched,
    events.event(answerTopicFor(notice.submission.measure), notice.id, 'requestAnswered', {
      ...base,
      outcome: reuse.outcome,
      reason: `reused: answered ${reuse.answeredAt.toISOString()} (request ${reuse.fromRequestId})`,
      resultJson: JSON.stringify(reuse.result),
    }),
  ];
}
