import { randomUUID } from 'node:crypto';
import { type EventEnvelope, encodeEnvelope } from '@hub/contracts';
import { describe, expect, it } from 'vitest';
import { type EnvelopeError, readEnvelope } from './read-envelope.js';

const completed = (over: Partial<EventEnvelope> = {}): EventEnvelope => ({
  eventId: randomUUID(),
  type: 'NoticeCompleted',
  occurredAt: new Date('2026-01-01T00:00:00Z'),
  noticeId: 'n1',
  traceparent: '',
  producer: 'test',
  payload: {
    $case: 'noticeCompleted',
    value: { noticeId: 'n1', requests: 1, done: 1, partial: 0, cannotAssist: 0, refused: 0, failed: 0 },
  },
  ...over,
});

const problemOf = (value: Uint8Array | null) => {
  try {
    readEnvelope(value);
    return 'ok';
  } catch (err) {
    return (err as EnvelopeError).code;
  }
};

describe('readEnvelope', () => {
  it.each([
    ['a well-formed event', encodeEnvelope(completed()), 'ok'],
    ['no value', null, 'EMPTY_VALUE'],
    ['zero bytes (protobuf would decode them to an empty envelope)', Buffer.alloc(0), 'EMPTY_VALUE'],
    ['text', Buffer.from('not protobuf at all'), 'UNDECODABLE'],
    ['JSON', Buffer.from('{"type":"NoticeIssued"}'), 'UNDECODABLE'],
    ['bytes that are no protobuf', Buffer.from([0xff, 0xfe, 0x00, 0x01]), 'UNDECODABLE'],
    ['an event id that is no UUID', encodeEnvelope(completed({ eventId: 'x' })), 'BAD_ENVELOPE'],
    ['a type of another payload', encodeEnvelope(completed({ type: 'NoticeIssued' })), 'BAD_ENVELOPE'],
    [
      'a type without a payload',
      encodeEnvelope(completed({ type: 'NoticeAppealed', payload: undefined })),
      'UNKNOWN_EVENT_TYPE',
    ],
  ])('%s: %s', (_what, value, problem) => {
    expect(problemOf(value)).toBe(problem);
  });
});
