import type { EventEnvelope } from '@hub/contracts';
import type { ConsumedEvent } from '@hub/messaging';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureEventFilter, misroutedOn } from './measure-handler.js';

const event = (payload: EventEnvelope['payload']): ConsumedEvent => ({
  envelope: { eventId: 'e', noticeId: 'n', payload } as EventEnvelope,
  topic: 't',
  partition: 0,
  offset: '0',
});

const issued = (measure: string) =>
  event({ $case: 'noticeIssued', value: { notice: { measure } } } as EventEnvelope['payload']);
const answered = (measure: string | undefined) =>
  event({
    $case: 'requestAnswered',
    value: { requestId: 'r', noticeId: 'n', agency: 'bank', institution: 'i', outcome: 'done', measure },
  } as EventEnvelope['payload']);
const failed = (measure: string | undefined) =>
  event({
    $case: 'requestFailed',
    value: { requestId: 'r', noticeId: 'n', agency: 'bank', institution: 'i', code: 'X', measure },
  } as EventEnvelope['payload']);

describe('measureEventFilter', () => {
  const freezeDeduct = measureEventFilter({ measures: ['freeze', 'deduct'] });

  it('keeps its own notices and its own requests’ answers and failures, skips the other services’', () => {
    expect(freezeDeduct(issued('freeze'))).toBe(true);
    expect(freezeDeduct(issued('query'))).toBe(false);
    expect(freezeDeduct(answered('deduct'))).toBe(true);
    expect(freezeDeduct(answered('query'))).toBe(false);
    expect(freezeDeduct(failed('freeze'))).toBe(true);
    expect(freezeDeduct(failed('dishonest-list'))).toBe(false);
  });

  it('keeps an answer or failure without a measure (an older producer): the handler looks it up', () => {
    expect(freezeDeduct(answered(undefined))).toBe(true);
    expect(freezeDeduct(answered(''))).toBe(true);
    expect(freezeDeduct(failed(undefined))).toBe(true);
  });

  it('skips progress the handler ignores (delivered, acknowledged, completed)', () => {
    for (const $case of ['requestDelivered', 'requestAcknowledged', 'noticeCompleted'])
      expect(freezeDeduct(event({ $case, value: {} } as EventEnvelope['payload']))).toBe(false);
  });

  it('asks the service’s admits hook for its own notices', () => {
    const none = measureEventFilter({ measures: ['freeze'], hooks: { admits: () => false } });
    expect(none(issued('freeze'))).toBe(false);
  });

  it('never keeps an answer of a measure it does not own, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (m) => {
        const own = m === 'freeze' || m === 'deduct';
        expect(freezeDeduct(answered(m))).toBe(own);
      }),
    );
  });
});

describe('misroutedOn', () => {
  const own = new Set([
    'p.enforcement.notices.freeze-deduct.v1',
    'p.enforcement.request-answers.freeze-deduct.v1',
  ]);
  const screen = misroutedOn({ measures: ['freeze', 'deduct'] }, own);
  const on = (topic: string, e: ConsumedEvent) => screen({ ...e, topic });
  const mine = 'p.enforcement.notices.freeze-deduct.v1';

  it('refuses another service’s notice or answer on one of its own topics, with MISROUTED', () => {
    expect(on(mine, issued('query'))).toMatchObject({ code: 'MISROUTED' });
    expect(on('p.enforcement.request-answers.freeze-deduct.v1', answered('dishonest-list'))).toMatchObject({
      code: 'MISROUTED',
    });
    expect(on(mine, failed('query'))?.reason).toContain('measure query');
  });

  it('lets through its own measures, answers without a measure, and anything on the shared topics', () => {
    expect(on(mine, issued('freeze'))).toBeUndefined();
    expect(on(mine, answered(undefined))).toBeUndefined();
    expect(on(mine, answered(''))).toBeUndefined();
    expect(
      on(mine, event({ $case: 'noticeCompleted', value: {} } as EventEnvelope['payload'])),
    ).toBeUndefined();
    expect(on('p.enforcement.notices.v1', issued('query'))).toBeUndefined();
  });

  it('never echoes a measure it does not know into the reason', () => {
    // Marked strings: whatever else they hold, the marker must not reach the reason (dead-letter headers, logs).
    fc.assert(
      fc.property(
        fc.string().map((s) => `\u2603${s}`),
        (m) => {
          const r = on(mine, issued(m));
          expect(r?.code).toBe('MISROUTED');
          expect(r?.reason).not.toContain('\u2603');
        },
      ),
    );
  });
});
