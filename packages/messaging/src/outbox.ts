import { randomUUID } from 'node:crypto';
import {
  type EventCase,
  type EventEnvelope,
  encodeEnvelope,
  eventTypeOf,
  type PayloadOf,
  type TopicKey,
  topicName,
} from '@hub/contracts';
import type { Queryable } from '@hub/store';

/** One event ready for the outbox: where it goes, its key, and the envelope. */
export interface OutboxMessage {
  topic: string;
  key: string;
  envelope: EventEnvelope;
}

export interface EventFactory {
  /** Build an envelope for `topic` (a catalog key); the notice id is the Kafka key. */
  event<C extends EventCase>(
    topic: TopicKey,
    noticeId: string,
    c: C,
    value: PayloadOf<C>,
    traceparent?: string,
  ): OutboxMessage;
}

export function eventFactory(options: {
  producer: string;
  topicPrefix: string;
  now: () => Date;
}): EventFactory {
  return {
    event(topic, noticeId, c, value, traceparent = '') {
      const envelope = {
        eventId: randomUUID(),
        type: eventTypeOf(c),
        occurredAt: options.now(),
        noticeId,
        traceparent,
        producer: options.producer,
        payload: { $case: c, value },
      } as EventEnvelope;
      return { topic: topicName(topic, options.topicPrefix), key: noticeId, envelope };
    },
  };
}

/**
 * Add events to the outbox inside the caller's transaction, with one multi-row statement however many
 * there are. They are published only if the transaction commits.
 */
export async function enqueue(tx: Queryable, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const topics: string[] = [];
  const keys: string[] = [];
  const ids: string[] = [];
  const types: string[] = [];
  const payloads: Buffer[] = [];
  for (const m of messages) {
    topics.push(m.topic);
    keys.push(m.key);
    ids.push(m.envelope.eventId);
    types.push(m.envelope.type);
    payloads.push(encodeEnvelope(m.envelope));
  }
  await tx.query(
    `INSERT INTO outbox (topic, key, event_id, event_type, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::bytea[])`,
    [topics, keys, ids, types, payloads],
  );
}
