import { type EventCase, REQUEST_TOPIC_KEYS, requestTopicKey, TOPICS, type TopicKey } from '@hub/contracts';
import { AGENCY_KINDS } from '@hub/domain';
import type { ConsumedEvent } from '@hub/messaging';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_TOPICS, lifecycleOrder } from './subscriptions.ts';

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

  it('applies a fetch as causes before effects: notices issued, requests, progress, answers, completions last', () => {
    const name = (key: TopicKey) => `t1.${TOPICS[key].name}`;
    const event = (key: TopicKey, $case: EventCase): ConsumedEvent =>
      ({
        envelope: { payload: { $case } },
        topic: name(key),
        partition: 0,
        offset: '0',
      }) as unknown as ConsumedEvent;
    // One fetch as the partitions came: the notices topic first, a completion among its issued notices.
    const fetched = [
      event('notices', 'noticeCompleted'),
      event('notices', 'noticeIssued'),
      event('answers', 'requestAnswered'),
      event('progress', 'requestAcknowledged'),
      event(requestTopicKey('bank'), 'requestDispatched'),
      event('answers', 'requestFailed'),
      event(requestTopicKey('real-estate'), 'requestDispatched'),
    ];
    const rank = lifecycleOrder(name);
    const applied = [...fetched].sort((a, b) => rank(a) - rank(b)).map((e) => e.envelope.payload?.$case);
    expect(applied).toEqual([
      'noticeIssued',
      'requestDispatched',
      'requestDispatched',
      'requestAcknowledged',
      'requestAnswered',
      'requestFailed',
      'noticeCompleted',
    ]);
  });
});
