import { MEASURE_SERVICES, MEASURES, measureService } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, eventTypeOf, payloadAs } from './codec.js';
import {
  ANSWER_TOPIC_KEYS,
  allTopics,
  answerTopicFor,
  answerTopicKey,
  answerTopicsFor,
  NOTICE_TOPIC_KEYS,
  noticeTopicFor,
  noticeTopicKey,
  noticeTopicsFor,
  TOPICS,
  topicName,
} from './topics.js';

describe('event envelope codec', () => {
  it('round-trips a notice event with money as integer fen', () => {
    const bytes = encodeEnvelope({
      eventId: 'e1',
      type: 'NoticeIssued',
      occurredAt: new Date('2026-11-23T01:00:00Z'),
      noticeId: 'n1',
      traceparent: '',
      producer: 'gateway',
      payload: {
        $case: 'noticeIssued',
        value: {
          noticeId: 'n1',
          receivedAt: new Date('2026-11-23T01:00:00Z'),
          notice: {
            noticeNo: 'x',
            caseNo: '(2026)川0104执1234号',
            measure: 'freeze',
            targets: [{ agency: 'bank', institution: 'ICBC' }],
            params: {
              amountFen: 9_007_199_254_740_991,
              accountNo: '',
              unitNo: '',
              plate: '',
              otherGrounds: [],
            },
            legalBasis: 'b',
            issuedAt: '2026-11-23T09:00:00+08:00',
            confirmWarnings: [],
          },
        },
      },
    });
    const back = decodeEnvelope(bytes);
    expect(back.occurredAt?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    const issued = payloadAs(back, 'noticeIssued');
    expect(issued?.notice?.params?.amountFen).toBe(9_007_199_254_740_991);
    expect(issued?.notice?.caseNo).toBe('(2026)川0104执1234号');
    expect(payloadAs(back, 'noticeCompleted')).toBeUndefined();
  });

  it('names event types in PascalCase', () => {
    expect(eventTypeOf('requestAnswered')).toBe('RequestAnswered');
  });
});

describe('topic catalog', () => {
  it('prefixes every topic name and keeps names unique', () => {
    const names = allTopics('t1.').map((t) => t.topic);
    expect(new Set(names).size).toBe(Object.keys(TOPICS).length);
    expect(names.every((n) => n.startsWith('t1.enforcement.'))).toBe(true);
    expect(topicName('progress', 'p.')).toBe('p.enforcement.request-progress.v1');
    expect(topicName('answers', 'p.')).toBe('p.enforcement.request-answers.v1');
  });

  it('sends an answer to the topic of the service that owns its measure, and reads every answer topic', () => {
    for (const measure of MEASURES) {
      const key = answerTopicFor(measure);
      expect(topicName(key)).toBe(`enforcement.request-answers.${measureService(measure)}.v1`);
      expect(TOPICS[key].events).toEqual(['requestAnswered', 'requestFailed']);
    }
    expect(answerTopicFor('query')).toBe('answersQuery');
    expect(answerTopicFor('deduct')).toBe('answersFreezeDeduct');
    expect(answerTopicFor('restrict-exit-lift')).toBe('answersPunishment');
    // A measure this build cannot name goes where every measure service still reads: the shared topic.
    expect(answerTopicFor('')).toBe('answers');
    expect(answerTopicFor('confiscate')).toBe('answers');
    // A measure service reads the shared topic and its measures' own, each once.
    expect(answerTopicsFor(['freeze', 'deduct', 'renew-freeze'])).toEqual(['answers', 'answersFreezeDeduct']);
    expect(answerTopicsFor(['query', 'restrict-exit'])).toEqual([
      'answers',
      'answersQuery',
      'answersPunishment',
    ]);
    expect([...ANSWER_TOPIC_KEYS].sort()).toEqual(
      ['answers', ...MEASURE_SERVICES.map((s) => answerTopicKey(s))].sort(),
    );
  });

  it('issues a notice on the topic of the service that owns its measure, and reads every notice topic', () => {
    for (const measure of MEASURES) {
      const key = noticeTopicFor(measure);
      expect(topicName(key)).toBe(`enforcement.notices.${measureService(measure)}.v1`);
      expect(TOPICS[key].events).toEqual(['noticeIssued', 'noticeCompleted']);
    }
    expect(noticeTopicFor('query')).toBe('noticesQuery');
    expect(noticeTopicFor('renew-seal')).toBe('noticesFreezeDeduct');
    expect(noticeTopicFor('dishonest-list-removal')).toBe('noticesPunishment');
    expect(noticeTopicFor('confiscate')).toBe('notices');
    expect(noticeTopicsFor(['dishonest-list', 'restrict-consumption'])).toEqual([
      'notices',
      'noticesPunishment',
    ]);
    expect([...NOTICE_TOPIC_KEYS].sort()).toEqual(
      ['notices', ...MEASURE_SERVICES.map((s) => noticeTopicKey(s))].sort(),
    );
    // The shared topics of earlier builds carry next to nothing now: one partition where they are created.
    expect(TOPICS.notices.partitions).toBe(1);
    expect(TOPICS.noticesQuery.partitions).toBe(8);
  });
});
