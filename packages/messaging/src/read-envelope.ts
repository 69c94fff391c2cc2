import { decodeEnvelope, type EventEnvelope, eventTypeOf } from '@hub/contracts';

/** Why a Kafka value is not an event the hub can apply; the code goes into the `dlq-error-code` header. */
export type EnvelopeProblem = 'EMPTY_VALUE' | 'UNDECODABLE' | 'BAD_ENVELOPE' | 'UNKNOWN_EVENT_TYPE';

export class EnvelopeError extends Error {
  constructor(
    readonly code: EnvelopeProblem,
    message: string,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A message value as an event envelope, or an EnvelopeError saying why not. Protobuf decoding is lenient
 * (zero bytes decode to an all-empty envelope, an unknown payload field to none), so what it yields is
 * checked too: an event needs an id to be de-duplicated by and a payload matching its `type`.
 */
export function readEnvelope(value: Uint8Array | null | undefined): EventEnvelope {
  if (!value || value.length === 0) throw new EnvelopeError('EMPTY_VALUE', 'message has no value');
  let envelope: EventEnvelope;
  try {
    envelope = decodeEnvelope(value);
  } catch (err) {
    throw new EnvelopeError('UNDECODABLE', `not an EventEnvelope: ${(err as Error).message}`);
  }
  if (!UUID.test(envelope.eventId)) {
    throw new EnvelopeError(
      'BAD_ENVELOPE',
      `event_id is not a UUID: ${JSON.stringify(envelope.eventId.slice(0, 64))}`,
    );
  }
  if (!envelope.payload) {
    throw new EnvelopeError(
      'UNKNOWN_EVENT_TYPE',
      `no payload this consumer knows (type ${JSON.stringify(envelope.type.slice(0, 64))})`,
    );
  }
  if (envelope.type !== eventTypeOf(envelope.payload.$case)) {
    throw new EnvelopeError(
      'BAD_ENVELOPE',
      `type ${JSON.stringify(envelope.type.slice(0, 64))} does not match its ${envelope.payload.$case} payload`,
    );
  }
  return envelope;
}
