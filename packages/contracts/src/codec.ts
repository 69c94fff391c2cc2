import { EventEnvelope } from './gen/enforcement/v1/events.js';
import type { EventCase, PayloadOf } from './topics.js';

export const CONTENT_TYPE = 'application/x-protobuf; proto=enforcement.v1.EventEnvelope';

export function encodeEnvelope(envelope: EventEnvelope): Buffer {
  return Buffer.from(EventEnvelope.encode(envelope).finish());
}

export function decodeEnvelope(bytes: Uint8Array): EventEnvelope {
  return EventEnvelope.decode(bytes);
}

/** Narrow an envelope's payload to one case, or undefined when it carries another. */
export function payloadAs<C extends EventCase>(envelope: EventEnvelope, c: C): PayloadOf<C> | undefined {
  const p = envelope.payload;
  if (!p || p.$case !== c) return undefined;
  const value: unknown = p.value;
  return value as PayloadOf<C>;
}

/** PascalCase event type name for a payload case: `noticeIssued` → `NoticeIssued`. */
export function eventTypeOf(c: EventCase): string {
  return c.charAt(0).toUpperCase() + c.slice(1);
}
