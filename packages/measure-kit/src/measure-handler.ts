import type { NoticeIssued } from '@hub/contracts';
import { isMeasure } from '@hub/domain';
import {
  type Accepts,
  type BatchHandler,
  enqueueWith,
  type OutboxMessage,
  type Screen,
} from '@hub/messaging';
import { answerOf, type IncomingAnswer, takeAnswers } from './answers.js';
import { settleNotices } from './completion.js';
import { takeIn } from './intake.js';
import type { MeasureServiceSpec } from './spec.js';
import { noticeStatusChange } from './sql/notice-progress.js';

type SealedIssue = NoticeIssued & { notice: NonNullable<NoticeIssued['notice']> };

function ownsIssue(spec: MeasureServiceSpec): (issued: NoticeIssued) => issued is SealedIssue {
  return (issued): issued is SealedIssue => {
    const m = issued.notice?.measure;
    return (
      m !== undefined && isMeasure(m) && spec.measures.includes(m) && (spec.hooks?.admits?.(issued) ?? true)
    );
  };
}

/**
 * What the measure handler acts on, decided before any transaction: its own measures' notices, and the
 * answers and failures of its own requests. The three services read the same topics; without this each
 * would open a transaction and record every other service's progress (a third of the work each, twice over).
 * An answer or failure without a measure (from a producer older than the field) is kept and looked up.
 */
export function measureEventFilter(spec: Pick<MeasureServiceSpec, 'measures' | 'hooks'>): Accepts {
  const owns = ownsIssue(spec as MeasureServiceSpec);
  const mine = (measure: string | undefined) =>
    !measure || (isMeasure(measure) && spec.measures.includes(measure));
  return ({ envelope }) => {
    const p = envelope.payload;
    switch (p?.$case) {
      case 'noticeIssued':
        return owns(p.value);
      case 'requestAnswered':
      case 'requestFailed':
        return mine(p.value.measure);
      default:
        return false;
    }
  };
}

/**
 * A notice or answer of another service's measure (or of a measure this build does not know) on one of this service's
 * own topics (`ownTopics`, full names): no producer of the hub sends one there, since each picks the topic by the
 * measure, so it is forged or a producer's bug. It is dead-lettered with the code MISROUTED, where ops see it, not
 * skipped as the other services' events on the shared topics of earlier builds are (nobody would act on it: the
 * service it is for does not read this topic). An answer without a measure (an older producer) is looked up as before.
 */
export function misroutedOn(
  spec: Pick<MeasureServiceSpec, 'measures'>,
  ownTopics: ReadonlySet<string>,
): Screen {
  return ({ topic, envelope }) => {
    if (!ownTopics.has(topic)) return undefined;
    const p = envelope.payload;
    let measure: string | undefined;
    if (p?.$case === 'noticeIssued') measure = p.value.notice?.measure;
    else if (p?.$case === 'requestAnswered' || p?.$case === 'requestFailed')
      measure = p.value.measure || undefined;
    if (measure === undefined || (isMeasure(measure) && spec.measures.includes(measure))) return undefined;
    return {
      code: 'MISROUTED',
      reason: `${p!.$case} of ${isMeasure(measure) ? `measure ${measure}` : 'a measure this build does not know'} on ${topic}, which carries only ${spec.measures.join(', ')}`,
    };
  };
}

/**
 * The batch handler of a measure service's consumer (topics `notices` and `answers`): the notices of its
 * measures in, one request per institution out; answers in, each notice's completion out. One transaction
 * per batch: the rows, what the hooks write and the events announcing them commit together.
 */
export function createMeasureHandler(spec: MeasureServiceSpec): BatchHandler {
  const owns = ownsIssue(spec);
  return async (tx, events) => {
    const now = spec.now();
    const out: OutboxMessage[] = [];
    const notices: SealedIssue[] = [];
    const answers: IncomingAnswer[] = [];
    for (const { envelope } of events) {
      const p = envelope.payload;
      const at = envelope.occurredAt ?? now;
      if (p?.$case === 'noticeIssued' && owns(p.value)) notices.push(p.value);
      else if (p?.$case === 'requestAnswered') {
        const a = answerOf(p.value.outcome, p.value.resultJson, p.value.requestId, at);
        if (a) answers.push(a);
      } else if (p?.$case === 'requestFailed')
        answers.push({
          requestId: p.value.requestId,
          status: 'failed',
          outcome: null,
          result: null,
          answeredAt: at,
        });
    }
    const taken = notices.length > 0 ? await takeIn(tx, notices, spec, now, out) : [];
    const touched = new Set(taken.map((n) => n.id));
    if (answers.length > 0) for (const id of await takeAnswers(tx, answers, spec, now)) touched.add(id);
    const moved = touched.size > 0 ? await settleNotices(tx, [...touched], spec, now, out, taken) : [];
    // The notices' new statuses and every event of the batch: one statement.
    await enqueueWith(tx, out, noticeStatusChange(moved));
  };
}
