import { REQUEST_TOPIC_KEYS, type TopicKey } from '@hub/contracts';

/**
 * What the lifecycle projection reads: notices, every agency kind's requests (derived from AGENCY_KINDS,
 * so a new kind's requests are tracked against their SLA from the start) and their progress.
 */
export const LIFECYCLE_TOPICS: readonly TopicKey[] = [
  'notices',
  ...REQUEST_TOPIC_KEYS,
  'progress',
  'answers',
];
