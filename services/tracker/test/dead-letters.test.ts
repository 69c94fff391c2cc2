import { randomUUID } from 'node:crypto';
import { type EventEnvelope, encodeEnvelope, topicName } from '@hub/contracts';
import { manualClock } from '@hub/domain';
import { createKafka, type Kafka, type RawMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor } from '@hub/testkit';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { recordDeadLetters } from '../src/dead-letters.js';
import type { DeadLetter, DeadLetterPage } from '../src/ops/sql/list-dead-letters.js';

// Issue 9: "8 poison messages were dead-lettered; the console lists 2". Every kind of garbage, sent to
// the dead-letter topic directly and to a topic the tracker consumes (so its own consumer gives up on it),
// must be listed with its bytes and its reason.

const iso = isolate();
const logger = createLogger({ service: 'dead-letters-test', level: 'fatal' });
const app = buildApp(loadConfig(hubEnv(iso)), { logger, clock: manualClock(new Date()) });
const DLQ = topicName('deadLetters', iso.topicPrefix);
const NOTICES = topicName('notices', iso.topicPrefix);

let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;

const hex = (b: Buffer | string) => Buffer.from(b).toString('hex');
const NOT_PROTOBUF = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x7f]);
const BINARY_HEADER = Buffer.from([0x00, 0xc3, 0x28, 0xff]); // NUL and invalid UTF-8
const LARGE = Buffer.alloc(10_000, 0xab);

function envelope(over: Partial<EventEnvelope>): EventEnvelope {
  return {
    eventId: randomUUID(),
    type: 'NoticeAppealed',
    occurredAt: new Date('2026-11-23T01:00:00Z'),
    noticeId: randomUUID(),
    traceparent: '',
    producer: 'test',
    payload: undefined,
    ...over,
  };
}
const unknownType = envelope({});
const unknownTypeOnSource = envelope({});
const poisonEvent = envelope({
  type: 'NoticeCompleted',
  noticeId: 'not-a-uuid', // the projection cannot store it: the consumer gives up on the event itself
  payload: {
    $case: 'noticeCompleted',
    value: {
      noticeId: 'not-a-uuid',
      requests: 1,
      done: 1,
      partial: 0,
      cannotAssist: 0,
      refused: 0,
      failed: 0,
    },
  },
});
const dlqHeaders = (reason: string) => ({
  'dlq-source-topic': 'elsewhere.enforcement.notices.v1',
  'dlq-source-partition': '3',
  'dlq-source-offset': '42',
  'dlq-consumer-group': 'query.inquiries',
  'dlq-error': reason,
  'dlq-error-code': '23505',
});

/** Straight onto the dead-letter topic, as a misbehaving producer (or a person with kcat) might. */
const direct: Record<string, Message> = {
  notProtobufNoHeaders: { key: 'k-bytes', value: NOT_PROTOBUF },
  unknownTypeWithReasons: {
    key: unknownType.noticeId,
    value: encodeEnvelope(unknownType),
    headers: dlqHeaders('duplicate key value violates unique constraint'),
  },
  noValue: { key: 'k-null', value: null, headers: { 'dlq-error': 'handler failed' } },
  emptyValue: { key: null, value: '' },
  jsonWithBinaryHeader: {
    key: Buffer.from([0xff, 0xfe]),
    value: '{"type":"NoticeIssued"}',
    headers: { bin: BINARY_HEADER },
  },
  large: { key: 'k-large', value: LARGE, headers: dlqHeaders('too big to show') },
};
/** Onto a topic the tracker's lifecycle consumer reads: it dead-letters each of these itself. */
const viaConsumer: Record<string, Message> = {
  notProtobuf: {
    key: 'src-bytes',
    value: NOT_PROTOBUF,
    headers: { 'event-type': 'Garbage', bin: BINARY_HEADER },
  },
  unknownType: { key: unknownTypeOnSource.noticeId, value: encodeEnvelope(unknownTypeOnSource) },
  noValue: { key: 'src-null', value: null },
  poison: {
    key: 'not-a-uuid',
    value: encodeEnvelope(poisonEvent),
    headers: { 'event-id': poisonEvent.eventId },
  },
};
const EXPECTED = Object.keys(direct).length + Object.keys(viaConsumer).length;

beforeAll(async () => {
  kafka = createKafka({
    brokers: endpoints().kafkaBrokers,
    clientId: 'dead-letters-test',
    logger: createLogger({ service: 'dead-letters-test', level: 'error' }),
  });
  await app.start();
  // Idempotent: a produce retried while the fresh topics elect leaders must not write a message twice.
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic: DLQ, messages: Object.values(direct) });
  await producer.send({ topic: NOTICES, messages: Object.values(viaConsumer) });
});

afterAll(async () => {
  await producer?.disconnect();
  await app.stop();
  await iso.cleanup();
});

async function list(query = ''): Promise<DeadLetterPage> {
  const res = await app.http.inject({ url: `/v1/ops/dead-letters${query}` });
  expect(res.statusCode).toBe(200);
  return res.json<DeadLetterPage>();
}

describe('dead letters', () => {
  let all: DeadLetter[];

  it('records every message on the dead-letter topic, decodable or not', async () => {
    const page = await waitFor(
      async () => {
        const p = await list('?limit=500');
        return p.total >= EXPECTED && p;
      },
      { what: `${EXPECTED} dead letters recorded`, timeoutMs: 45_000 },
    );
    all = page.deadLetters;
    expect(page.total).toBe(EXPECTED);
    expect(all).toHaveLength(EXPECTED);
    expect(page.nextBefore).toBeNull();
    expect(all.every((d) => d.dlqTopic === DLQ && d.dlqPartition === 0)).toBe(true);
    // Newest first: the order they sit in on the dead-letter topic, backwards.
    const offsets = all.map((d) => Number(d.dlqOffset));
    expect(offsets).toEqual([...offsets].sort((a, b) => b - a));
  });

  const byKey = (keyText: string) => all.find((d) => d.keyText === keyText)!;

  it('keeps undecodable values as hex with the reason, whoever put them there', () => {
    expect(byKey('k-bytes')).toMatchObject({
      valueHex: hex(NOT_PROTOBUF),
      valueBytes: NOT_PROTOBUF.length,
      valueTruncated: false,
      decodeError: expect.stringMatching(/^UNDECODABLE: /),
      error: '', // nobody said why: it was published straight to the topic
      sourceTopic: null,
      consumerGroup: null,
      eventType: null,
      headers: [],
    });
    expect(byKey(unknownType.noticeId)).toMatchObject({
      valueHex: hex(encodeEnvelope(unknownType)),
      decodeError: expect.stringMatching(/^UNKNOWN_EVENT_TYPE: /),
      eventType: 'NoticeAppealed',
      eventId: unknownType.eventId,
      noticeId: unknownType.noticeId,
      sourceTopic: 'elsewhere.enforcement.notices.v1',
      sourcePartition: 3,
      sourceOffset: '42',
      consumerGroup: 'query.inquiries',
      error: 'duplicate key value violates unique constraint',
      errorCode: '23505',
    });
    expect(byKey('k-null')).toMatchObject({
      valueHex: null,
      valueBytes: null,
      decodeError: expect.stringMatching(/^EMPTY_VALUE: /),
      error: 'handler failed',
    });
    const keyless = all.find((d) => d.keyHex === null)!;
    expect(keyless).toMatchObject({
      valueHex: '',
      valueBytes: 0,
      decodeError: expect.stringMatching(/^EMPTY_VALUE/),
    });
    const json = all.find((d) => d.keyHex === 'fffe')!;
    expect(json).toMatchObject({
      keyText: null, // not UTF-8: hex only
      valueHex: hex('{"type":"NoticeIssued"}'),
      decodeError: expect.stringMatching(/^UNDECODABLE: /),
      headers: [{ name: 'bin', value: hex(BINARY_HEADER), encoding: 'hex' }],
    });
  });

  it('shows the first 4 KiB of a large value, states its length and serves all of it', async () => {
    const large = byKey('k-large');
    expect(large).toMatchObject({ valueBytes: LARGE.length, valueTruncated: true, error: 'too big to show' });
    expect(large.valueHex).toBe(hex(LARGE.subarray(0, 4096)));
    const whole = await app.http.inject({ url: `/v1/ops/dead-letters/${large.id}/value` });
    expect(whole.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(whole.rawPayload, LARGE)).toBe(0);
    const missing = await app.http.inject({ url: '/v1/ops/dead-letters/999999999/value' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('records what the tracker’s own consumer gave up on, with the original headers and source', () => {
    const source = { sourceTopic: NOTICES, consumerGroup: `${iso.namespace}.tracker.lifecycle` };
    const garbage = byKey('src-bytes');
    expect(garbage).toMatchObject({
      ...source,
      valueHex: hex(NOT_PROTOBUF),
      errorCode: 'UNDECODABLE',
      error: expect.stringMatching(/^not an EventEnvelope/),
      decodeError: expect.stringMatching(/^UNDECODABLE: /),
    });
    expect(garbage.sourcePartition).toEqual(expect.any(Number));
    expect(garbage.sourceOffset).toMatch(/^\d+$/);
    expect(garbage.headers).toEqual(
      expect.arrayContaining([
        { name: 'event-type', value: 'Garbage', encoding: 'utf8' },
        { name: 'bin', value: hex(BINARY_HEADER), encoding: 'hex' },
        { name: 'dlq-error-code', value: 'UNDECODABLE', encoding: 'utf8' },
      ]),
    );
    expect(byKey(unknownTypeOnSource.noticeId)).toMatchObject({
      ...source,
      errorCode: 'UNKNOWN_EVENT_TYPE',
      eventType: 'NoticeAppealed',
      valueHex: hex(encodeEnvelope(unknownTypeOnSource)),
    });
    expect(byKey('src-null')).toMatchObject({ ...source, errorCode: 'EMPTY_VALUE', valueHex: null });
    // A decodable event the handler failed on: re-encoded, still readable, with the handler's reason.
    expect(byKey('not-a-uuid')).toMatchObject({
      ...source,
      decodeError: null,
      eventType: 'NoticeCompleted',
      eventId: poisonEvent.eventId,
      valueHex: hex(encodeEnvelope(poisonEvent)),
      headers: expect.arrayContaining([{ name: 'event-id', value: poisonEvent.eventId, encoding: 'utf8' }]),
    });
    expect(byKey('not-a-uuid').error).not.toBe('');
  });

  it('pages through all of them, newest first, with the total on every page', async () => {
    const seen: number[] = [];
    let before: number | null | undefined;
    do {
      const page = await list(`?limit=3${before ? `&before=${before}` : ''}`);
      expect(page.total).toBe(EXPECTED);
      expect(page.deadLetters.length).toBeLessThanOrEqual(3);
      seen.push(...page.deadLetters.map((d) => d.id));
      before = page.nextBefore;
    } while (before);
    expect(seen).toEqual(all.map((d) => d.id));
    const bad = await app.http.inject({ url: '/v1/ops/dead-letters?before=abc' });
    expect([bad.statusCode, bad.json().error.details[0].path]).toEqual([400, 'before']);
  });

  it('records a re-delivered dead letter once', async () => {
    const again: RawMessage = {
      topic: DLQ,
      partition: 0,
      offset: all[0]!.dlqOffset!,
      key: null,
      value: null,
      headers: [],
      timestamp: '0',
    };
    await recordDeadLetters(app.runtime.pool, [again, again]);
    expect((await list()).total).toBe(EXPECTED);
  });
});
