import { HubError } from '@hub/domain';
import { Gauge, type Registry } from 'prom-client';

/** Why a waiting lease stopped waiting. */
export type WakeReason = 'notified' | 'timeout' | 'aborted' | 'closed';

/** Defaults: a partner runs a few workers per institution; beyond that a long-poll only holds a socket. */
export const LEASE_WAITER_LIMITS = { perInstitution: 8, total: 256 } as const;

/**
 * One waiting lease's place in line. A latch: a wake that comes before `wait()` is called (a request stored
 * while the lease before the wait ran) is kept, so the lease that follows sees it. `rearm()` forgets it
 * before each new lease.
 */
export class LeaseWaiter {
  private woken: WakeReason | undefined;
  private settle: ((reason: WakeReason) => void) | undefined;
  private released = false;

  constructor(
    readonly institution: string,
    private readonly leave: (w: LeaseWaiter) => void,
  ) {}

  /** Wait until woken, `ms` passed, `signal` aborted (the client went away) or the waiters closed. */
  wait(ms: number, signal?: AbortSignal): Promise<WakeReason> {
    if (signal?.aborted) this.wake('aborted');
    if (this.woken) return Promise.resolve(this.woken);
    return new Promise((resolve) => {
      const onAbort = () => this.wake('aborted');
      const timer = setTimeout(() => this.wake('timeout'), Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.settle = (reason) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.settle = undefined;
        resolve(reason);
      };
    });
  }

  wake(reason: WakeReason): void {
    // Closing wins over an earlier wake: a waiter that has not yet looked must still see the shutdown.
    if (this.woken && reason !== 'closed') return;
    this.woken = reason;
    this.settle?.(reason);
  }

  /** Forget a wake already acted on (not a shutdown or the client's departure: those are final). */
  rearm(): WakeReason | undefined {
    if (this.woken === 'notified' || this.woken === 'timeout') this.woken = undefined;
    return this.woken;
  }

  /** Inside wait(): its lease found nothing, and it waits. */
  get sleeping(): boolean {
    return this.settle !== undefined;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.settle?.('closed');
    this.leave(this);
  }
}

/**
 * The leases waiting for work (long poll), by institution: woken when a request for their institution is
 * stored (inbox-listener.ts), all at once when notifications may have been lost, and released at
 * shutdown. Bounded per institution and in all: beyond, 429 TOO_MANY_WAITERS.
 */
export class LeaseWaiters {
  private readonly byInstitution = new Map<string, Set<LeaseWaiter>>();
  private readonly seen = new Set<string>();
  private count = 0;
  private closed = false;
  private readonly limits: { perInstitution: number; total: number };

  constructor(options: { perInstitution?: number; total?: number; registry?: Registry } = {}) {
    this.limits = {
      perInstitution: options.perInstitution ?? LEASE_WAITER_LIMITS.perInstitution,
      total: options.total ?? LEASE_WAITER_LIMITS.total,
    };
    if (options.registry) {
      const waiters = this;
      new Gauge({
        name: 'agency_inbox_lease_waiters',
        help: 'Inbox leases waiting for work (GET /v1/agency/inbox?wait=N), by institution',
        labelNames: ['institution'],
        registers: [options.registry],
        collect() {
          for (const institution of waiters.seen) this.set({ institution }, waiters.waiting(institution));
        },
      });
    }
  }

  /** Take a place in line for `institution`, before its first lease (so nothing stored meanwhile is missed). */
  enter(institution: string): LeaseWaiter {
    const line = this.byInstitution.get(institution) ?? new Set<LeaseWaiter>();
    if (line.size >= this.limits.perInstitution || this.count >= this.limits.total) {
      const scope = line.size >= this.limits.perInstitution ? 'institution' : 'adapter';
      const limit = scope === 'institution' ? this.limits.perInstitution : this.limits.total;
      throw new HubError('TOO_MANY_WAITERS', [{ scope, limit }]);
    }
    const waiter = new LeaseWaiter(institution, (w) => this.leave(w));
    line.add(waiter);
    this.byInstitution.set(institution, line);
    this.seen.add(institution);
    this.count += 1;
    if (this.closed) waiter.wake('closed');
    return waiter;
  }

  /** A request was stored for `institution`. */
  wake(institution: string): void {
    for (const w of this.byInstitution.get(institution) ?? []) w.wake('notified');
  }

  /** Notifications may have been lost (the listening connection dropped): everyone looks again. */
  wakeAll(): void {
    for (const line of this.byInstitution.values()) for (const w of line) w.wake('notified');
  }

  /** Shutdown: every waiter answers now, and later ones do not wait. */
  close(): void {
    this.closed = true;
    for (const line of this.byInstitution.values()) for (const w of line) w.wake('closed');
  }

  /** How many of `institution`'s waiters are waiting now (not leasing between two waits). */
  sleeping(institution: string): number {
    let n = 0;
    for (const w of this.byInstitution.get(institution) ?? []) if (w.sleeping) n += 1;
    return n;
  }

  /** How many leases wait or are between two waits (in all, or of `institution`). */
  waiting(institution?: string): number {
    return institution === undefined ? this.count : (this.byInstitution.get(institution)?.size ?? 0);
  }

  private leave(w: LeaseWaiter): void {
    const line = this.byInstitution.get(w.institution);
    if (!line?.delete(w)) return;
    this.count -= 1;
    if (line.size === 0) this.byInstitution.delete(w.institution);
  }
}

/**
 * A lease that may wait (GET /v1/agency/inbox?wait=N): lease as usual; if nothing came and `waitMs` > 0,
 * wait for a request stored for the institution, the earliest of its leases to expire (an expired lease is
 * leasable again without any insert), the client leaving, shutdown or the deadline, then lease again. A
 * client gone or a shutdown answers empty without leasing: what it leased would be hidden for the lease's
 * length from workers that are still there.
 */
export async function leaseWaiting<T>(options: {
  waiters: LeaseWaiters;
  institution: string;
  waitMs: number;
  lease: () => Promise<T[]>;
  /** Milliseconds until the earliest live lease of the institution's open requests ends; null if none. */
  nextLeaseExpiryMs: () => Promise<number | null>;
  signal?: AbortSignal;
  now?: () => number;
}): Promise<T[]> {
  const { waiters, institution, waitMs, lease } = options;
  if (waitMs <= 0) return lease();
  const now = options.now ?? Date.now;
  const deadline = now() + waitMs;
  const waiter = waiters.enter(institution);
  try {
    for (;;) {
      const reason = waiter.rearm();
      if (reason === 'closed' || reason === 'aborted') return [];
      const items = await lease();
      const left = deadline - now();
      if (items.length > 0 || left <= 0) return items;
      const expiry = await options.nextLeaseExpiryMs();
      // A few ms past the expiry: the lease takes what expired strictly before its transaction's now().
      const ms = expiry === null ? left : Math.min(left, expiry + LEASE_EXPIRY_SLACK_MS);
      const woke = await waiter.wait(ms, options.signal);
      if (woke === 'closed' || woke === 'aborted') return [];
    }
  } finally {
    waiter.release();
  }
}

const LEASE_EXPIRY_SLACK_MS = 10;
