import { HubError } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { LeaseWaiters, leaseWaiting } from './long-poll.js';

describe('lease waiters', () => {
  it('keep a wake that came before the wait (a request stored while the lease before it ran)', async () => {
    const waiters = new LeaseWaiters();
    const w = waiters.enter('ICBC');
    waiters.wake('ICBC');
    expect(await w.wait(60_000)).toBe('notified');
    w.rearm();
    expect(await w.wait(1)).toBe('timeout');
    w.release();
    expect(waiters.waiting()).toBe(0);
  });

  it('wake only their own institution; wakeAll and close wake everyone', async () => {
    const waiters = new LeaseWaiters();
    const [a, b] = [waiters.enter('ICBC'), waiters.enter('CCB')];
    waiters.wake('CCB');
    expect(await a.wait(5)).toBe('timeout');
    expect(await b.wait(60_000)).toBe('notified');
    a.rearm();
    b.rearm();
    waiters.wakeAll();
    expect(await Promise.all([a.wait(60_000), b.wait(60_000)])).toEqual(['notified', 'notified']);
    waiters.close();
    expect(a.rearm()).toBe('closed'); // final: a shutdown is never forgotten
    expect(await waiters.enter('ICBC').wait(60_000)).toBe('closed');
  });

  it('refuse beyond the cap per institution and in all', () => {
    const waiters = new LeaseWaiters({ perInstitution: 2, total: 3 });
    waiters.enter('ICBC');
    const second = waiters.enter('ICBC');
    expect(() => waiters.enter('ICBC')).toThrow(HubError);
    second.release();
    second.release(); // twice is harmless
    waiters.enter('ICBC');
    waiters.enter('CCB');
    const err = (() => {
      try {
        waiters.enter('BOC');
      } catch (e) {
        return e as HubError;
      }
    })();
    expect([err?.code, err?.details]).toEqual(['TOO_MANY_WAITERS', [{ scope: 'adapter', limit: 3 }]]);
  });
});

describe('a waiting lease', () => {
  it('leases again after a wake and returns what it found; returns empty, unleased, on abort', async () => {
    const waiters = new LeaseWaiters();
    let stock: string[] = [];
    let leases = 0;
    const lease = async () => {
      leases += 1;
      const out = stock;
      stock = [];
      return out;
    };
    const got = leaseWaiting({
      waiters,
      institution: 'ICBC',
      waitMs: 60_000,
      lease,
      nextLeaseExpiryMs: async () => null,
    });
    while (waiters.sleeping('ICBC') === 0) await new Promise((r) => setImmediate(r));
    stock = ['r1'];
    waiters.wake('ICBC');
    expect(await got).toEqual(['r1']);
    expect(leases).toBe(2);

    const gone = new AbortController();
    stock = [];
    const aborted = leaseWaiting({
      waiters,
      institution: 'ICBC',
      waitMs: 60_000,
      lease,
      nextLeaseExpiryMs: async () => null,
      signal: gone.signal,
    });
    while (waiters.sleeping('ICBC') === 0) await new Promise((r) => setImmediate(r));
    stock = ['r2'];
    gone.abort();
    expect(await aborted).toEqual([]);
    expect(stock).toEqual(['r2']); // not leased to a client that left
    expect(waiters.waiting()).toBe(0);
  });

  it('wakes for the earliest lease expiry, not only at its deadline', async () => {
    const waiters = new LeaseWaiters();
    let calls = 0;
    const started = Date.now();
    const got = await leaseWaiting({
      waiters,
      institution: 'ICBC',
      waitMs: 60_000,
      lease: async () => (++calls === 2 ? ['expired-one'] : []),
      nextLeaseExpiryMs: async () => 20,
    });
    expect(got).toEqual(['expired-one']);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
