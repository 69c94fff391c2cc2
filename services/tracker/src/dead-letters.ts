import type { ConsumedEvent } from '@hub/messaging';
import type { Queryable } from '@hub/store';

/**
 * Dead-lettered messages arrive with their reason in `dlq-*` headers (packages/messaging consumer.ts);
 * the consumer hands over decoded envelopes, so what is kept is the envelope's type and notice plus the
 * topic it came in on. Undecodable messages are logged by the consumer that dead-lettered them.
 */
export async function recordDeadLetters(tx: Queryable, events: ConsumedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO dead_letters (source_topic, consumer_group, error, event_type, notice_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    [
      events.map((e) => e.headers?.['dlq-source-topic'] ?? e.topic),
      events.map((e) => e.headers?.['dlq-consumer-group'] ?? ''),
      events.map((e) => e.headers?.['dlq-error'] ?? ''),
      events.map((e) => e.envelope.type),
      events.map((e) => e.envelope.noticeId),
    ],
  );
}
