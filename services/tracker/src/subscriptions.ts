import { ANSWER_TOPIC_KEYS, NOTICE_TOPIC_KEYS, REQUEST_TOPIC_KEYS, type TopicKey } from '@hub/contracts';
import type { ConsumedEvent } from '@hub/messaging';

/**
 * What the lifecycle projection reads: notices, every agency kind's requests (derived from AGENCY_KINDS, so a new
 * kind's requests are tracked against their SLA from the start), their progress and their answers (notices and
 * answers on every measure service's topic, and on the shared one of earlier builds).
 */
export const LIFECYCLE_TOPICS: readonly TopicKey[] = [
  ...NOTICE_TOPIC_KEYS,
  ...REQUEST_TOPIC_KEYS,
  'progress',
  ...ANSWER_TOPIC_KEYS,
];

/**
 * The order the projection applies one fetch of lifecycle events in: notices issued, then the requests they
 * caused, their progress and their answers, and a notice's completion last of all. A fetch larger than one
 * transaction's chunk is applied in several, and none may show a notice completed before its requests and
 * answers are in (the consumer applies a fetch in this order: IdempotentConsumer's `order`).
 */
export function lifecycleOrder(topicName: (key: TopicKey) => string): (event: ConsumedEvent) => number {
  const position = new Map(LIFECYCLE_TOPICS.map((key, i) => [topicName(key), i]));
  const last = LIFECYCLE_TOPICS.length;
  return (event) =>
    event.envelope.payload?.$case === 'noticeCompleted' ? last : (position.get(event.topic) ?? last);
}
