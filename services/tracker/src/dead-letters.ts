import { decodeEnvelope, type EventEnvelope } from '@hub/contracts';
import { EnvelopeError, type RawMessage, readEnvelope } from '@hub/messaging';
import type { Queryable } from '@hub/store';

/** A header as stored: text when it is UTF-8 PostgreSQL can hold, hex otherwise. */
export interface StoredHeader {
  name: string;
  value: string;
  encoding: 'utf8' | 'hex';
}

/** What the tracker keeps of one message on the dead-letter topic. */
export interface DeadLetterRecord {
  dlqTopic: string;
  dlqPartition: number;
  dlqOffset: string;
  /** From the `dlq-*` headers the giving-up consumer wrote (packages/messaging consumer.ts); null when absent. */
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  consumerGroup: string | null;
  error: string;
  errorCode: string | null;
  key: Buffer | null;
  headers: StoredHeader[];
  value: Buffer | null;
  /** What could be read of the value as an envelope, and why it is not an event the hub can apply. */
  eventType: string | null;
  eventId: string | null;
  noticeId: string | null;
  decodeError: string | null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or undefined when they are not (PostgreSQL text cannot hold NUL either). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    const text = strictUtf8.decode(bytes);
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Text for a text column whatever it holds: invalid sequences and NUL become U+FFFD. */
const printable = (s: string) => s.replaceAll('\u0000', '\uFFFD');
const storedHeader = (name: string, value: Buffer): StoredHeader => {
  const text = utf8Text(value);
  return text === undefined
    ? { name: printable(name), value: value.toString('hex'), encoding: 'hex' }
    : { name: printable(name), value: text, encoding: 'utf8' };
};
const digits = (s: string | undefined) => (s !== undefined && /^\d{1,18}$/.test(s) ? s : null);

/**
 * One dead letter as it will be stored, from the raw message: nothing about it is assumed (the value may
 * be empty or no protobuf at all, the `dlq-*` headers may be missing when something published straight to
 * the topic), and nothing is dropped.
 */
export function describeDeadLetter(m: RawMessage): DeadLetterRecord {
  const header = (name: string) => {
    const h = m.headers.find((x) => x.name === name);
    return h && printable(h.value.toString('utf8'));
  };
  let envelope: EventEnvelope | undefined;
  let decodeError: string | null = null;
  try {
    envelope = readEnvelope(m.value);
  } catch (err) {
    const e = err as EnvelopeError;
    decodeError = err instanceof EnvelopeError ? `${e.code}: ${e.message}` : String(err);
    // An envelope of an unknown type, or with a bad id, still says what it claims to be.
    if (err instanceof EnvelopeError && (e.code === 'BAD_ENVELOPE' || e.code === 'UNKNOWN_EVENT_TYPE'))
      envelope = decodeEnvelope(m.value!);
  }
  const partition = digits(header('dlq-source-partition'));
  return {
    dlqTopic: m.topic,
    dlqPartition: m.partition,
    dlqOffset: m.offset,
    sourceTopic: header('dlq-source-topic') || null,
    sourcePartition: partition === null ? null : Number(partition),
    sourceOffset: digits(header('dlq-source-offset')),
    consumerGroup: header('dlq-consumer-group') || null,
    error: header('dlq-error') ?? '',
    errorCode: header('dlq-error-code') || null,
    key: m.key,
    headers: m.headers.map((h) => storedHeader(h.name, h.value)),
    value: m.value,
    eventType: envelope?.type ? printable(envelope.type) : null,
    eventId: envelope?.eventId ? printable(envelope.eventId) : null,
    noticeId: envelope?.noticeId ? printable(envelope.noticeId) : null,
    decodeError,
  };
}

/**
 * Record every message read from the dead-letter topic. Its place on that topic is the key, so a
 * re-delivery records nothing twice, and two consumers that gave up on the same event are two rows.
 */
export async function recordDeadLetters(tx: Queryable, messages: RawMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map(describeDeadLetter);
  const col = <K extends keyof DeadLetterRecord>(k: K) => rows.map((r) => r[k]);
  await tx.query(
    `INSERT INTO dead_letters (dlq_topic, dlq_partition, dlq_offset, source_topic, source_partition,
       source_offset, consumer_group, error, error_code, message_key, headers, value, event_type, event_id,
       notice_id, decode_error)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::int[], $6::bigint[],
       $7::text[], $8::text[], $9::text[], $10::bytea[], $11::jsonb[], $12::bytea[], $13::text[],
       $14::text[], $15::text[], $16::text[])
     ON CONFLICT (dlq_topic, dlq_partition, dlq_offset) DO NOTHING`,
    [
      col('dlqTopic'),
      col('dlqPartition'),
      col('dlqOffset'),
      col('sourceTopic'),
      col('sourcePartition'),
      col('sourceOffset'),
      col('consumerGroup'),
      col('error'),
      col('errorCode'),
      col('key'),
      rows.map((r) => JSON.stringify(r.headers)),
      col('value'),
      col('eventType'),
      col('eventId'),
      col('noticeId'),
      col('decodeError'),
    ],
  );
}
