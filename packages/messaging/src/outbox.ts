import { randomUUID } from 'node:crypto';
import {
  type EventEnvelope,
  type EventsOf,
  encodeEnvelope,
  eventTypeOf,
  type PayloadOf,
  type TopicKey,
  topicName,
} from '@hub/contracts';
import type { Queryable } from '@hub/store';
import { outboxWritten } from './doorbell.js';

/** One event ready for the outbox: where it goes, its key, and the envelope. */
export interface OutboxMessage {
  topic: string;
  key: string;
  envelope: EventEnvelope;
}

export interface EventFactory {
  /** Build an envelope for `topic` (a catalog key); the notice id is the Kafka key. */
  event<K extends TopicKey, C extends EventsOf<K>>(
    topic: K,
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
  await tx.query(
    `INSERT INTO outbox (topic, key, event_id, event_type, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::bytea[])`,
    outboxColumns(messages),
  );
  outboxWritten(tx);
}

/**
 * `enqueue` and one more change of the caller's, written by the same statement: one round trip instead of two.
 * `change.sql` is a data-modifying statement (an UPDATE, say) whose parameters are numbered from $1; it runs as a
 * CTE of the outbox insert, exactly once, whether or not there are events. Either may be empty.
 */
export async function enqueueWith(
  tx: Queryable,
  messages: OutboxMessage[],
  change: { sql: string; params: unknown[] } | undefined,
): Promise<void> {
  if (!change) return enqueue(tx, messages);
  const n = change.params.length;
  await tx.query(
    `WITH change AS (${change.sql})
     INSERT INTO outbox (topic, key, event_id, event_type, payload)
     SELECT * FROM unnest($${n + 1}::text[], $${n + 2}::text[], $${n + 3}::uuid[], $${n + 4}::text[], $${n + 5}::bytea[])`,
    [...change.params, ...outboxColumns(messages)],
  );
  if (messages.length > 0) outboxWritten(tx);
}

/** The outbox columns of `messages` as five array parameters (topic, key, event id, type, encoded envelope). */
function outboxColumns(
  messages: readonly OutboxMessage[],
): [string[], string[], string[], string[], Buffer[]] {
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
  return [topics, keys, ids, types, payloads];
}

/**
 * Events for a change made by ONE statement, written by that same statement: no BEGIN and COMMIT, three round
 * trips fewer than `withTransaction` + `enqueue`, the change and its events still atomic (a statement is its
 * own transaction). Each event is built beforehand for the row it would announce (`subjects[i]`, the row's id as
 * text) and is written only if the statement changed that row: `sql(changed)` is a data-modifying CTE that
 * inserts the events of the rows in the CTE `changed` (which must return `id`), in the order given.
 *
 *   const events = conditionalEvents(messages, ids, 9);
 *   `WITH upd AS (UPDATE … RETURNING id), ev AS (${events.sql('upd')}) SELECT id FROM upd`, [...params, ...events.params]
 *   outboxWritten(db); // once the statement has run: wakes the relay (doorbell.ts)
 */
export function conditionalEvents(
  messages: readonly OutboxMessage[],
  subjects: readonly string[],
  firstParam: number,
): { sql: (changed: string) => string; params: unknown[] } {
  if (messages.length !== subjects.length) throw new Error('conditionalEvents: one subject per message');
  const $ = (i: number) => `$${firstParam + i}`;
  return {
    params: [...outboxColumns(messages), subjects],
    sql: (changed) =>
      `INSERT INTO outbox (topic, key, event_id, event_type, payload)
       SELECT e.topic, e.key, e.event_id, e.event_type, e.payload
       FROM unnest(${$(0)}::text[], ${$(1)}::text[], ${$(2)}::uuid[], ${$(3)}::text[], ${$(4)}::bytea[], ${$(5)}::text[])
            WITH ORDINALITY AS e(topic, key, event_id, event_type, payload, subject, ord)
       WHERE e.subject IN (SELECT id::text FROM ${changed})
       ORDER BY e.ord`,
  };
}
