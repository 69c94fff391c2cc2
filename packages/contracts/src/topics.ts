import { createHash } from 'node:crypto';
import {
  AGENCY_KINDS,
  type AgencyKind,
  type HubService,
  MEASURE_SERVICES,
  MEASURES,
  measureService,
} from '@hub/domain';
import type { EventEnvelope } from './gen/enforcement/v1/events.js';

/** The payload cases of the event envelope, e.g. `noticeIssued`. */
export type EventCase = NonNullable<EventEnvelope['payload']>['$case'];
/** The payload type carried by one event case. */
export type PayloadOf<C extends EventCase> = PayloadMap[C];
type PayloadMap = { [P in NonNullable<EventEnvelope['payload']> as P['$case']]: P['value'] };

/** Agency kinds each have their own request topic. */
export type AgencyTopicKind = AgencyKind;

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
/** The catalog key of an agency kind's request topic: `bank` → `requestsBank`. */
export type RequestTopicKey<A extends AgencyKind = AgencyKind> = A extends AgencyKind
  ? `requests${Capitalize<CamelCase<A>>}`
  : never;

/** The catalog key of a measure service's notice topic: `freeze-deduct` → `noticesFreezeDeduct`. */
export type NoticeTopicKey<S extends HubService = HubService> = S extends HubService
  ? `notices${Capitalize<CamelCase<S>>}`
  : never;

/** The catalog key of a measure service's answer topic: `freeze-deduct` → `answersFreezeDeduct`. */
export type AnswerTopicKey<S extends HubService = HubService> = S extends HubService
  ? `answers${Capitalize<CamelCase<S>>}`
  : never;

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

const requestTopic = (agency: AgencyKind) =>
  topic(`enforcement.requests.${agency}.v1`, ['requestDispatched']);

/**
 * One request topic per agency kind, derived from the domain's AGENCY_KINDS: a new kind gets its topic,
 * and every subscriber that lists REQUEST_TOPIC_KEYS reads it, without anyone spelling it out.
 */
const REQUEST_TOPICS = Object.fromEntries(
  AGENCY_KINDS.map((agency) => [requestTopicKey(agency), requestTopic(agency)]),
) as { readonly [K in RequestTopicKey]: TopicSpec<'requestDispatched'> };

const noticeTopic = (service: HubService) =>
  topic(`enforcement.notices.${service}.v1`, ['noticeIssued', 'noticeCompleted']);

/**
 * One notice topic per measure service (MEASURE_SERVICES): a notice is issued, and announced completed, on the topic
 * of the service that owns its measure, so that a service is woken only by the notices it carries out. On one
 * shared topic each of the three read every notice and skipped two in three; as processes of their own, the two
 * with nothing to do in an inquiry workload took 5 % of a core each doing that (docs/performance.md, 2026-12-07).
 */
const NOTICE_TOPICS = Object.fromEntries(
  MEASURE_SERVICES.map((service) => [noticeTopicKey(service), noticeTopic(service)]),
) as { readonly [K in NoticeTopicKey]: TopicSpec<'noticeIssued' | 'noticeCompleted'> };

const answerTopic = (service: HubService) =>
  topic(`enforcement.request-answers.${service}.v1`, ['requestAnswered', 'requestFailed']);

/**
 * One answer topic per measure service (MEASURE_SERVICES): an answer goes to the service whose measure it answers,
 * so that a service is woken only by answers it folds. On one shared topic each of the three read every answer and
 * skipped two in three; as processes of their own, the two with nothing to fold in an inquiry workload took 7 % of
 * a core each doing that (docs/performance.md, 2026-12-07).
 */
const ANSWER_TOPICS = Object.fromEntries(
  MEASURE_SERVICES.map((service) => [answerTopicKey(service), answerTopic(service)]),
) as { readonly [K in AnswerTopicKey]: TopicSpec<'requestAnswered' | 'requestFailed'> };

/**
 * The topic catalog: every hub topic, what it carries, and who writes it. All messages are keyed by
 * notice id, so one notice's events stay ordered within their partition.
 */
export const TOPICS = {
  /**
   * The shared notice topic of builds before 2026-12-07 (every notice went here; now only one whose measure its
   * producer cannot name), still read by every measure service and the tracker, so that a notice issued before an
   * upgrade is still carried out. One partition where it is created now, as for `answers` below.
   */
  notices: topic('enforcement.notices.v1', ['noticeIssued', 'noticeCompleted'], 1),
  /**
   * gateway → that measure service, tracker: a notice accepted; the measure service → tracker (and the benchmark): the
   * notice completed (`noticesQuery`, `noticesFreezeDeduct`, `noticesPunishment`; {@link noticeTopicFor}).
   */
  ...NOTICE_TOPICS,
  /**
   * measure services → adapter-<agency>, tracker: one request for one institution, on its agency kind's
   * topic `enforcement.requests.<kind>.v1` (`requestsBank`, `requestsRealEstate`, …).
   */
  ...REQUEST_TOPICS,
  /**
   * adapters → tracker: a request's way to its answer (送达, 签收). No measure service reads it: they act on
   * answers only, and each of the three decoded and skipped two of every three progress events when this topic
   * carried the answers too.
   */
  progress: topic('enforcement.request-progress.v1', ['requestDelivered', 'requestAcknowledged']),
  /**
   * The shared answer topic of builds before 2026-12-07 (every answer went here; now only one whose measure its
   * producer cannot name), still read by every measure service and the tracker. One partition where it is created
   * now: it carries next to nothing, and each of its partitions is one more in every fetch of four consumer groups.
   * Where it already exists with eight, it keeps them (a service never changes an existing topic).
   */
  answers: topic('enforcement.request-answers.v1', ['requestAnswered', 'requestFailed'], 1),
  /**
   * adapters, measure services → that measure service, tracker: the answers to one measure service's requests
   * (`answersQuery`, `answersFreezeDeduct`, `answersPunishment`; {@link answerTopicFor}). `answers` above is where
   * they all went before 2026-12-07: no producer of this build writes there (except for an event whose measure it
   * cannot name), and every reader of answers still reads it, so nothing written before an upgrade is left behind.
   */
  ...ANSWER_TOPICS,
  /** tracker → ops, alerting, courts' command centres: SLA breaches and escalations. */
  breaches: topic('enforcement.sla-breaches.v1', ['requestBreached', 'requestEscalated']),
  /**
   * freeze-deduct → gateway: release the excess of an over-frozen case as the court's notice; punishment → gateway:
   * delete a listing whose term ended, as the court's notice.
   */
  controlActions: topic('enforcement.control-actions.v1', ['releaseRequested', 'deletionRequested']),
  /**
   * freeze-deduct → tracker, ops, courts: holds (冻结, 查封) running out unless renewed, and holds that lapsed.
   * Keyed by the notice that set the hold's current term.
   */
  holds: topic('enforcement.holds.v1', ['holdExpiring', 'holdLapsed']),
  /**
   * adapters → freeze-deduct: agency-initiated reports of what happened to a hold the hub placed. Keyed by
   * the held asset at its institution (`holdReportKey`), not by notice, so one asset's reports stay ordered.
   */
  holdReports: topic('enforcement.hold-reports.v1', ['holdChangeReported']),
  /**
   * punishment → interception projections (Redis, read by every adapter), tracker: the whole standing of one
   * subject after a listing, restriction, removal, lifting or expiry. Keyed by the subject hash.
   */
  restrictions: topic('enforcement.restrictions.v1', ['restrictionsChanged']),
  /** adapters → tracker: a partner blocked something because of a restriction (自动比对、拦截). */
  interceptions: topic('enforcement.interceptions.v1', ['interceptionReported']),
  /** Poison messages after their retries, with the original bytes and the reason in headers. */
  deadLetters: topic('enforcement.dead-letters.v1', [], 1),
} as const;

export type TopicKey = keyof typeof TOPICS;
/** The event cases topic `K` carries: what a producer may write there (the factory in @hub/messaging checks it). */
export type EventsOf<K extends TopicKey> = (typeof TOPICS)[K] extends TopicSpec<infer C> ? C : never;

/** The catalog key of an agency kind's request topic. */
export function requestTopicKey<A extends AgencyKind>(agency: A): RequestTopicKey<A> {
  return catalogKey('requests', agency) as RequestTopicKey<A>;
}

/** `requests` + `real-estate` → `requestsRealEstate`: how a family of topics names its members in the catalog. */
function catalogKey(family: string, member: string): string {
  const camel = member.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return `${family}${camel[0]!.toUpperCase()}${camel.slice(1)}`;
}

/**
 * A family of topics with one member per measure service beside the shared topic of earlier builds (`notices`,
 * `answers`): where an event of a measure goes, what a measure service reads, what a reader of the whole family reads.
 * Each measure's member is worked out once, since every event sent asks.
 */
function serviceFamily<K extends string, S extends string>(keyOf: (service: HubService) => K, shared: S) {
  const ofMeasure: ReadonlyMap<string, K> = new Map(MEASURES.map((m) => [m, keyOf(measureService(m))]));
  const topicFor = (measure: string): K | S => ofMeasure.get(measure) ?? shared;
  return {
    topicFor,
    topicsFor: (measures: readonly string[]): (K | S)[] => {
      const keys: (K | S)[] = [shared, ...measures.map(topicFor)];
      return keys.filter((k, i) => keys.indexOf(k) === i);
    },
    all: [shared, ...MEASURE_SERVICES.map(keyOf)] as readonly (K | S)[],
  };
}

/** The catalog key of a measure service's notice topic. */
export function noticeTopicKey<S extends HubService>(service: S): NoticeTopicKey<S> {
  return catalogKey('notices', service) as NoticeTopicKey<S>;
}

/** The catalog key of a measure service's answer topic. */
export function answerTopicKey<S extends HubService>(service: S): AnswerTopicKey<S> {
  return catalogKey('answers', service) as AnswerTopicKey<S>;
}

const NOTICE_FAMILY = serviceFamily<NoticeTopicKey, 'notices'>(noticeTopicKey, 'notices');
const ANSWER_FAMILY = serviceFamily<AnswerTopicKey, 'answers'>(answerTopicKey, 'answers');

/**
 * Where a notice of `measure` is issued and announced completed: the notice topic of the service that owns the
 * measure, or the shared `notices` topic (which every measure service still reads) for a measure this build does
 * not know.
 */
export const noticeTopicFor = NOTICE_FAMILY.topicFor;

/**
 * What a measure service reads notices from: the shared topic of earlier builds (an upgrade may leave notices there
 * to carry out), then the notice topic of each of its measures.
 */
export const noticeTopicsFor = NOTICE_FAMILY.topicsFor;

/** What a reader of every notice (the tracker, the benchmark's watch for completions) subscribes to. */
export const NOTICE_TOPIC_KEYS = NOTICE_FAMILY.all;

/**
 * Where an answer to a request of `measure` goes: the answer topic of the service that owns the measure, or the shared
 * `answers` topic (which every measure service still reads) for a measure this build does not know.
 */
export const answerTopicFor = ANSWER_FAMILY.topicFor;

/**
 * What a measure service reads answers from: the shared topic of earlier builds (an upgrade may leave answers there
 * to fold), then the answer topic of each of its measures.
 */
export const answerTopicsFor = ANSWER_FAMILY.topicsFor;

/** What a reader of every answer subscribes to: the shared topic of earlier builds, then each service's. */
export const ANSWER_TOPIC_KEYS = ANSWER_FAMILY.all;

/** Every agency kind's request topic, in AGENCY_KINDS order: what a reader of all requests subscribes to. */
export const REQUEST_TOPIC_KEYS: readonly RequestTopicKey[] = AGENCY_KINDS.map((a) => requestTopicKey(a));

/** Full topic name for a deployment (tests give every file its own prefix). */
export function topicName(key: TopicKey, prefix = ''): string {
  return prefix + TOPICS[key].name;
}

export function allTopics(prefix = ''): { topic: string; numPartitions: number }[] {
  return Object.values(TOPICS).map((t) => ({ topic: prefix + t.name, numPartitions: t.partitions }));
}

/**
 * The Kafka key of a hold's reports: the institution and the asset (hashed: an account number is personal
 * data and a key is visible to every broker tool), so every report about holds on one asset stays in order.
 */
export function holdReportKey(institution: string, assetKind: string, assetKey: string): string {
  return createHash('sha256').update(`${institution}|${assetKind}|${assetKey}`).digest('hex').slice(0, 32);
}
