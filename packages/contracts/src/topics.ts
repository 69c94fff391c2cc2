import type { AgencyKind } from '@hub/domain';
import type { EventEnvelope } from './gen/enforcement/v1/events.js';

/** The payload cases of the event envelope, e.g. `noticeIssued`. */
export type EventCase = NonNullable<EventEnvelope['payload']>['$case'];
/** The payload type carried by one event case. */
export type PayloadOf<C extends EventCase> = PayloadMap[C];
type PayloadMap = { [P in NonNullable<EventEnvelope['payload']> as P['$case']]: P['value'] };

/** Agency kinds each have their own request topic. */
export type AgencyTopicKind = AgencyKind;

interface TopicSpec<C extends EventCase> {
  /** Topic name without the deployment prefix. */
  readonly name: string;
  readonly partitions: number;
  /** Event cases a producer may write to this topic; consumers ignore anything else. */
  readonly events: readonly C[];
}

const topic = <C extends EventCase>(name: string, events: readonly C[], partitions = 8): TopicSpec<C> => ({
  name,
  partitions,
  events,
});

/**
 * The topic catalog: every hub topic, what it carries, and who writes it. All messages are keyed by
 * notice id, so one notice's events stay ordered within their partition.
 */
export const TOPICS = {
  /** gateway → measure services, tracker: a notice accepted; measure service → tracker: completed. */
  notices: topic('enforcement.notices.v1', ['noticeIssued', 'noticeCompleted']),
  /** measure services → adapter-<agency>, tracker: one request for one institution. */
  requestsBank: topic('enforcement.requests.bank.v1', ['requestDispatched']),
  requestsRealEstate: topic('enforcement.requests.real-estate.v1', ['requestDispatched']),
  requestsPublicSecurity: topic('enforcement.requests.public-security.v1', ['requestDispatched']),
  requestsProvidentFund: topic('enforcement.requests.provident-fund.v1', ['requestDispatched']),
  /** adapters (and measure services for undeliverable requests) → measure services, tracker. */
  progress: topic('enforcement.request-progress.v1', [
    'requestDelivered',
    'requestAcknowledged',
    'requestAnswered',
    'requestFailed',
  ]),
  /** tracker → ops, alerting, courts' command centres: SLA breaches and escalations. */
  breaches: topic('enforcement.sla-breaches.v1', ['requestBreached', 'requestEscalated']),
  /** Poison messages after their retries, with the original bytes and the reason in headers. */
  deadLetters: topic('enforcement.dead-letters.v1', [], 1),
} as const;

export type TopicKey = keyof typeof TOPICS;

export function requestTopicKey(agency: AgencyTopicKind): TopicKey {
  switch (agency) {
    case 'bank':
      return 'requestsBank';
    case 'real-estate':
      return 'requestsRealEstate';
    case 'public-security':
      return 'requestsPublicSecurity';
    case 'provident-fund':
      return 'requestsProvidentFund';
  }
}

/** Full topic name for a deployment (tests give every file its own prefix). */
export function topicName(key: TopicKey, prefix = ''): string {
  return prefix + TOPICS[key].name;
}

export function allTopics(prefix = ''): { topic: string; numPartitions: number }[] {
  return Object.values(TOPICS).map((t) => ({ topic: prefix + t.name, numPartitions: t.partitions }));
}
