import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOTICE_STATUSES, REQUEST_STATUSES, type RequestStatus } from './glossary.ts';
import {
  foldRequestStatus,
  isOpenRequest,
  isTerminalRequest,
  NOTICE_TRANSITIONS,
  noticeStatusFrom,
  noticeTransition,
  OPEN_REQUEST_STATUSES,
  REQUEST_TRANSITIONS,
  requestStatusRank,
  requestTransition,
} from './state-machine.ts';

const requestStatus = fc.constantFrom(...REQUEST_STATUSES);
const noticeStatus = fc.constantFrom(...NOTICE_STATUSES);
const TERMINAL: RequestStatus[] = ['done', 'partial', 'cannot-assist', 'refused', 'failed', 'cancelled'];

describe('request state machine', () => {
  it('has a row for every status and names only known statuses', () => {
    expect(Object.keys(REQUEST_TRANSITIONS).sort()).toEqual([...REQUEST_STATUSES].sort());
    for (const targets of Object.values(REQUEST_TRANSITIONS)) {
      for (const t of targets) expect(REQUEST_STATUSES).toContain(t);
    }
  });

  it.each([
    ['pending', 'delivered'],
    ['delivered', 'acknowledged'],
    ['acknowledged', 'done'],
    ['acknowledged', 'partial'],
    ['acknowledged', 'cannot-assist'],
    ['acknowledged', 'refused'],
    ['delivered', 'refused'],
    ['pending', 'failed'],
    ['delivered', 'failed'],
    ['pending', 'cancelled'],
    ['acknowledged', 'cancelled'],
    ['pending', 'done'], // the answer may be the first event the tracker sees
  ] as const)('allows %s → %s', (from, to) => {
    expect(requestTransition(from, to)).toEqual({ ok: true });
  });

  it.each([
    ['delivered', 'pending', 'NOT_ALLOWED'],
    ['acknowledged', 'delivered', 'NOT_ALLOWED'],
    ['acknowledged', 'failed', 'NOT_ALLOWED'],
    ['delivered', 'delivered', 'SAME_STATUS'],
    ['done', 'refused', 'TERMINAL'],
    ['cancelled', 'pending', 'TERMINAL'],
    ['failed', 'delivered', 'TERMINAL'],
  ] as const)('refuses %s → %s (%s)', (from, to, reason) => {
    expect(requestTransition(from, to)).toEqual({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION', machine: 'request', from, to, reason },
    });
  });

  it('knows which statuses are terminal and ranks them last', () => {
    expect(REQUEST_STATUSES.filter(isTerminalRequest)).toEqual(TERMINAL);
    expect(
      ['pending', 'delivered', 'acknowledged'].map((s) => requestStatusRank(s as RequestStatus)),
    ).toEqual([0, 1, 2]);
    for (const s of TERMINAL) expect(requestStatusRank(s)).toBe(3);
  });

  it('open is exactly not terminal, and what this build cannot name is not open', () => {
    expect(OPEN_REQUEST_STATUSES).toEqual(['pending', 'delivered', 'acknowledged']);
    for (const s of REQUEST_STATUSES) expect(isOpenRequest(s)).toBe(!isTerminalRequest(s));
    expect(isOpenRequest('reused')).toBe(false);
  });

  it('every allowed transition moves strictly up in rank', () => {
    for (const [from, targets] of Object.entries(REQUEST_TRANSITIONS)) {
      for (const to of targets) {
        expect(requestStatusRank(to)).toBeGreaterThan(requestStatusRank(from as RequestStatus));
      }
    }
  });
});

describe('folding request events', () => {
  it.each([
    ['pending', 'delivered', 'delivered', 'applied'],
    ['acknowledged', 'delivered', 'acknowledged', 'stale'],
    ['delivered', 'delivered', 'delivered', 'duplicate'],
    ['done', 'refused', 'done', 'conflict'],
    ['done', 'acknowledged', 'done', 'stale'],
    ['acknowledged', 'failed', 'acknowledged', 'illegal'],
  ] as const)('%s + %s → %s (%s)', (current, incoming, status, outcome) => {
    expect(foldRequestStatus(current, incoming)).toEqual({ status, outcome });
  });

  it('a failure reported after acknowledgement is refused: the acknowledged request waits for its answer', () => {
    expect(foldRequestStatus('acknowledged', 'failed')).toEqual({
      status: 'acknowledged',
      outcome: 'illegal',
    });
    expect(foldRequestStatus('acknowledged', 'refused')).toEqual({ status: 'refused', outcome: 'applied' });
    expect(foldRequestStatus('delivered', 'failed')).toEqual({ status: 'failed', outcome: 'applied' });
  });

  it('the first terminal answer wins: a later failure or different answer changes nothing', () => {
    expect(foldRequestStatus('done', 'failed')).toEqual({ status: 'done', outcome: 'conflict' });
    expect(foldRequestStatus('failed', 'done')).toEqual({ status: 'failed', outcome: 'conflict' });
    expect(foldRequestStatus('partial', 'partial')).toEqual({ status: 'partial', outcome: 'duplicate' });
  });

  it('random event sequences never leave the state set, never go down in rank, and terminal states never change', () => {
    fc.assert(
      fc.property(fc.array(requestStatus, { maxLength: 30 }), (events) => {
        let status: RequestStatus = 'pending';
        for (const event of events) {
          const before = status;
          status = foldRequestStatus(status, event).status;
          expect(REQUEST_STATUSES).toContain(status);
          expect(requestStatusRank(status)).toBeGreaterThanOrEqual(requestStatusRank(before));
          if (isTerminalRequest(before)) expect(status).toBe(before);
        }
      }),
    );
  });

  it('out-of-order delivery of a forward path ends in the same terminal status', () => {
    const path: RequestStatus[] = ['delivered', 'acknowledged', 'done'];
    fc.assert(
      fc.property(fc.shuffledSubarray(path, { minLength: 3, maxLength: 3 }), (events) => {
        const final = events.reduce<RequestStatus>((s, e) => foldRequestStatus(s, e).status, 'pending');
        expect(final).toBe('done');
      }),
    );
  });
});

describe('notice state machine', () => {
  it('allows issued → in-progress → completed and cancellation until terminal', () => {
    expect(noticeTransition('issued', 'in-progress').ok).toBe(true);
    expect(noticeTransition('in-progress', 'completed').ok).toBe(true);
    expect(noticeTransition('issued', 'cancelled').ok).toBe(true);
    expect(noticeTransition('in-progress', 'cancelled').ok).toBe(true);
    expect(noticeTransition('completed', 'cancelled')).toMatchObject({
      ok: false,
      error: { reason: 'TERMINAL' },
    });
    expect(noticeTransition('in-progress', 'issued')).toMatchObject({
      ok: false,
      error: { reason: 'NOT_ALLOWED' },
    });
  });

  it.each([
    [[], 'issued'],
    [['pending'], 'in-progress'],
    [['done', 'acknowledged'], 'in-progress'],
    [['done', 'refused', 'cannot-assist'], 'completed'],
    [['failed'], 'completed'],
  ] as [RequestStatus[], string][])('requests %j make the notice %s', (statuses, expected) => {
    expect(noticeStatusFrom(statuses)).toBe(expected);
  });

  it('a cancelled or completed notice stays so whatever its requests say', () => {
    expect(noticeStatusFrom(['pending'], 'cancelled')).toBe('cancelled');
    expect(noticeStatusFrom([], 'completed')).toBe('completed');
    expect(noticeStatusFrom(['done'], 'in-progress')).toBe('completed');
    expect(noticeStatusFrom([], 'in-progress')).toBe('in-progress');
  });

  it('derived notice statuses only ever move along the notice table', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(requestStatus, { maxLength: 5 }), { maxLength: 10 }),
        noticeStatus,
        (snapshots, start) => {
          let status = start;
          for (const requests of snapshots) {
            const next = noticeStatusFrom(requests, status);
            expect(NOTICE_STATUSES).toContain(next);
            if (next !== status) expect(NOTICE_TRANSITIONS[status]).toContain(next);
            status = next;
          }
        },
      ),
    );
  });
});
