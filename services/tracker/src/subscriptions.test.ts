import { type EventCase, REQUEST_TOPIC_KEYS, requestTopicKey, TOPICS, type TopicKey } from '@hub/contracts';
import { AGENCY_KINDS } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_TOPICS } from './subscriptions.ts';

const carries = (key: TopicKey, event: EventCase) =>
  (TOPICS[key].events as readonly EventCase[]).includes(event);

describe('request topics and the tracker subscription', () => {
  it.each(AGENCY_KINDS)('%s has its own request topic carrying RequestDispatched', (agency) => {
    const key = requestTopicKey(agency);
    expect(TOPICS[key].name).toBe(`enforcement.requests.${agency}.v1`);
    expect(carries(key, 'requestDispatched')).toBe(true);
  });

  it('gives every agency kind a distinct topic', () => {
    const names = AGENCY_KINDS.map((a) => TOPICS[requestTopicKey(a)].name);
    expect(new Set(names).size).toBe(AGENCY_KINDS.length);
    expect(REQUEST_TOPIC_KEYS).toEqual(AGENCY_KINDS.map(requestTopicKey));
  });

  it.each(AGENCY_KINDS)('the tracker reads %s requests, so their SLAs are tracked', (agency) => {
    expect(LIFECYCLE_TOPICS).toContain(requestTopicKey(agency));
  });

  it('the tracker reads every topic that carries a request or its progress', () => {
    const keys = Object.keys(TOPICS) as TopicKey[];
    // Every event the projection folds (projection.ts), wherever the catalog puts it.
    const lifecycle: EventCase[] = [
      'noticeIssued',
      'requestDispatched',
      'requestDelivered',
      'requestAcknowledged',
      'requestAnswered',
      'requestFailed',
      'noticeCompleted',
    ];
    const needed = keys.filter((k) => lifecycle.some((e) => carries(k, e)));
    expect([...LIFECYCLE_TOPICS].sort()).toEqual(needed.sort());
  });
});
