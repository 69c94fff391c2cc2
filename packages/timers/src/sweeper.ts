import type { Clock } from '@hub/domain';
import type { Logger } from '@hub/service-kit';
import { type Pool, type PoolClient, withTransaction } from '@hub/store';
import { onTimersScheduled } from './signal.js';
import { claimDue, completeClaimed, nextDue, recordFailure, takeDue } from './sql/claim.js';
import { type Timer, type TimerRow, toTimer } from './timer.js';

/** Fired inside the transaction that completes the timers: effects, outbox rows and completion commit together. */
export interface TransactionalHandler {
  kind: string;
  mode: 'transaction';
  fire(tx: PoolClient, timers: Timer[], ctx: { now: Date }): Promise<void>;
  maxAttempts?: number;
}

/**
 * A network call, made outside any transaction: claim (commit) → call → record the result. A call that throws
 * is retried after a backoff (real time) until `maxAttempts`; one cut off by a crash is retried when its lease
 * runs out. Delivery is therefore at least once: the receiver de-duplicates by the timer's key.
 */
export interface CallHandler {
  kind: string;
  mode: 'call';
  call(timer: Timer, ctx: { now: Date }): Promise<void>;
  maxAttempts?: number;
  /** Real milliseconds a claimed call may take before another sweeper may try it again. */
  leaseMs?: number;
  /** Calls claimed (and made concurrently) per round; default 50. */
  batchSize?: number;
}

export type TimerHandler = TransactionalHandler | CallHandler;

export interface SweeperOptions {
  pool: Pool;
  clock: Clock;
  handlers: readonly TimerHandler[];
  logger: Logger;
  /**
   * Longest real sleep between reads of the table (default 5 s). Timers scheduled in this process wake the
   * sweeper as they commit, retries wake it when their backoff ends, and the sleep otherwise ends at the
   * earliest due timer; this bounds only what the process cannot know of: timers another process (a replica)
   * wrote, leases a crashed process left behind.
   */
  maxSleepMs?: number;
  batchSize?: number;
  /** Real milliseconds before retry `attempt` (1-based); default 1 s doubling, at most 5 min. */
  backoffMs?: (attempt: number) => number;
}

const DEFAULT_MAX_ATTEMPTS = 20;
const defaultBackoff = (attempt: number) => Math.min(300_000, 1000 * 2 ** (attempt - 1));

/** One of the sweeper's two loops, as the scheduling signal sees it. */
interface LoopState {
  kinds: ReadonlySet<string>;
  /** Between its read of the table and its sleep: signals are noted, not acted on. */
  awake: boolean;
  /** Earliest timer (hub ms) committed while awake: its read may have missed it (Infinity: none). */
  signalledDue: number;
  /** Hub time of the earliest timer the last read found (Infinity: none); earlier ones wake the loop. */
  knownDue: number;
  wakeUp?: () => void;
}

/** How soon a loop looks again at due timers it could not take because another transaction held them. */
const HELD_RETRY_MS = 100;

/** Real milliseconds a sweeper runs before it measures the hub clock's rate (to convert a deadline to a sleep). */
const RATE_MIN_REAL_MS = 5;

/**
 * Fires due timers. Each round claims up to `batchSize` due timers with FOR UPDATE SKIP LOCKED and hands them
 * to their kind's handler; between rounds it sleeps until the earliest due timer (converted to real time at the
 * clock's measured rate), a retry's backoff ends, or a timer scheduled in this process commits due earlier
 * (`scheduleTimers` signals it after the commit), never longer than `maxSleepMs`; a full batch means another
 * round at once. Several sweepers (replicas) share the table safely; a restart loses nothing, since timers are
 * rows. Idle, a sweeper reads the table once per `maxSleepMs`.
 */
export class TimerSweeper {
  private readonly txHandlers: Map<string, TransactionalHandler>;
  private readonly callHandlers: Map<string, CallHandler>;
  private readonly maxSleepMs: number;
  private readonly batchSize: number;
  private readonly backoff: (attempt: number) => number;
  private stopped = true;
  private loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();
  private readonly origin: { real: number; hub: number };
  private readonly loopStates = new Set<LoopState>();
  /** Real times (epoch ms) at which a failed timer's backoff ends and it may be tried again. */
  private retries: number[] = [];
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: SweeperOptions) {
    const byMode = <H extends TimerHandler>(mode: H['mode']) =>
      new Map(options.handlers.filter((h): h is H => h.mode === mode).map((h) => [h.kind, h]));
    this.txHandlers = byMode<TransactionalHandler>('transaction');
    this.callHandlers = byMode<CallHandler>('call');
    this.maxSleepMs = options.maxSleepMs ?? 5000;
    this.batchSize = options.batchSize ?? 200;
    this.backoff = options.backoffMs ?? defaultBackoff;
    this.origin = { real: Date.now(), hub: options.clock.now().getTime() };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = onTimersScheduled((earliest) => this.onScheduled(earliest));
    const clock = this.options.clock as { onChange?: (listener: () => void) => () => void };
    const unclock = clock.onChange?.(() => this.wake());
    if (unclock) {
      const unsignal = this.unsubscribe;
      this.unsubscribe = () => {
        unsignal();
        unclock();
      };
    }
    // Two loops: a slow webhook never holds back a deadline, nor a burst of deadlines a call.
    this.loops = [
      this.run([...this.txHandlers.keys()], () => this.drainFires()),
      this.run([...this.callHandlers.keys()], () => this.drainCalls()),
    ];
  }

  /** Finish the rounds in flight (their calls included), then stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.wake();
    await Promise.all(this.loops);
  }

  /** Timers committed in this process: wake a sleeping loop they fall due before; mark a busy one to read again. */
  private onScheduled(earliest: ReadonlyMap<string, Date>): void {
    for (const loop of this.loopStates) {
      let due = Infinity;
      for (const [kind, at] of earliest) if (loop.kinds.has(kind)) due = Math.min(due, at.getTime());
      if (due === Infinity) continue;
      if (loop.awake) loop.signalledDue = Math.min(loop.signalledDue, due);
      else if (due < loop.knownDue) loop.wakeUp?.();
    }
  }

  /** The backoff of a failed timer ends at this real time: the loop sleeping then wakes to try it again. */
  private retryAt(realMs: number): void {
    this.retries.push(realMs);
  }

  /** Sweep now instead of at the next planned wake-up (e.g. after scheduling a timer due at once). */
  wake(): void {
    for (const wakeUp of this.wakers) wakeUp();
  }

  /** Fire everything due now, round after round. Returns how many timers were handled. */
  async sweep(): Promise<number> {
    const [fired, called] = await Promise.all([this.drainFires(), this.drainCalls()]);
    return fired + called;
  }

  private async drainFires(): Promise<number> {
    let total = 0;
    for (;;) {
      const fired = await this.fireRound();
      total += fired;
      if (fired < this.batchSize) return total;
    }
  }

  private async drainCalls(): Promise<number> {
    let total = 0;
    for (;;) {
      const { handled, full } = await this.callRound();
      total += handled;
      if (!full) return total;
    }
  }

  private async run(kinds: string[], drain: () => Promise<number>): Promise<void> {
    if (kinds.length === 0) return;
    const loop: LoopState = {
      kinds: new Set(kinds),
      awake: true,
      signalledDue: Infinity,
      knownDue: -Infinity,
    };
    this.loopStates.add(loop);
    try {
      while (!this.stopped) {
        loop.awake = true;
        loop.signalledDue = Infinity;
        let sleepMs = this.maxSleepMs;
        // Retries whose backoff has ended are visible to the read below.
        const realNow = Date.now();
        this.retries = this.retries.filter((at) => at > realNow);
        try {
          // One read first, no transaction: an idle sweeper asks only this, and claims only what is due.
          const due = await nextDue(this.options.pool, kinds);
          loop.knownDue = due ? due.getTime() : Infinity;
          if (due && due.getTime() <= this.options.clock.now().getTime()) {
            // What fired may have scheduled timers for the other loop (a breach its alert): wake it. Then read
            // again at once. Nothing taken: another sweeper is firing them, or a transaction scheduling a timer
            // shared with `earliest` holds its row until it commits; both are brief, so look again soon.
            if ((await drain()) > 0) {
              this.wake();
              continue;
            }
            sleepMs = Math.min(sleepMs, HELD_RETRY_MS);
          } else sleepMs = this.sleepUntil(due);
        } catch (err) {
          loop.knownDue = -Infinity;
          sleepMs = Math.min(sleepMs, 250);
          this.options.logger.error({ err }, 'timer sweep failed; retrying');
        }
        if (this.stopped) break;
        // Committed while this loop was reading, due before what it read: read again rather than sleep past it.
        // (One due later is read when the loop wakes for the earlier one; under load, with deadlines hours
        // ahead, this keeps the loop asleep instead of reading after every commit.)
        if (loop.signalledDue < loop.knownDue) continue;
        if (this.retries.length > 0)
          sleepMs = Math.min(sleepMs, Math.max(0, Math.min(...this.retries) - Date.now() + 5));
        loop.awake = false;
        await new Promise<void>((resolve) => {
          const wakeUp = () => {
            clearTimeout(timer);
            this.wakers.delete(wakeUp);
            loop.wakeUp = undefined;
            resolve();
          };
          const timer = setTimeout(wakeUp, sleepMs);
          this.wakers.add(wakeUp);
          loop.wakeUp = wakeUp;
        });
      }
    } finally {
      this.loopStates.delete(loop);
    }
  }

  /** Real time until the earliest timer falls due, at the rate the hub clock has run since the sweeper began. */
  private sleepUntil(due: Date | undefined): number {
    if (!due) return this.maxSleepMs;
    const hubNow = this.options.clock.now().getTime();
    // The clock's own rate where it has one; else measured since the start, and too soon after the start to tell
    // (a scaled clock moves thousands of hub ms a real one), looked at again shortly rather than after the longest
    // sleep, which fired a deadline seconds late.
    const realElapsed = Date.now() - this.origin.real;
    if (this.options.clock.rate === undefined && realElapsed < RATE_MIN_REAL_MS)
      return Math.min(this.maxSleepMs, RATE_MIN_REAL_MS - realElapsed);
    const rate = this.options.clock.rate ?? (hubNow - this.origin.hub) / realElapsed;
    if (!(rate > 0)) return this.maxSleepMs;
    // One millisecond more: Node's timers fire up to a millisecond early by Date.now() (libuv's clock counts whole
    // milliseconds), and a loop that wakes before its timer is due reads the table for nothing and sleeps again.
    return Math.max(0, Math.min(this.maxSleepMs, Math.ceil((due.getTime() - hubNow) / rate) + 1));
  }

  private async fireRound(): Promise<number> {
    const kinds = [...this.txHandlers.keys()];
    if (kinds.length === 0) return 0;
    const now = this.options.clock.now();
    let taken: TimerRow[] = [];
    try {
      return await withTransaction(this.options.pool, async (tx) => {
        taken = await takeDue(tx, kinds, now, this.batchSize);
        await this.fire(tx, taken, now);
        return taken.length;
      });
    } catch (err) {
      if (taken.length === 0) throw err;
      // One bad timer must not hold back the rest: fire them one at a time, each in its own transaction.
      this.options.logger.warn({ err, timers: taken.length }, 'timer batch failed; firing one at a time');
      for (const t of taken) await this.fireOne(t, now);
      return taken.length;
    }
  }

  private async fire(tx: PoolClient, rows: TimerRow[], now: Date): Promise<void> {
    const byKind = new Map<string, Timer[]>();
    for (const t of rows.map(toTimer)) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);
    for (const [kind, timers] of byKind) await this.txHandlers.get(kind)?.fire(tx, timers, { now });
  }

  private async fireOne(row: TimerRow, now: Date): Promise<void> {
    const only = { kind: row.kind, subjectId: row.subject_id };
    try {
      await withTransaction(this.options.pool, async (tx) => {
        await this.fire(tx, await takeDue(tx, [row.kind], now, 1, only), now);
      });
    } catch (err) {
      const attempt = row.attempts + 1;
      const giveUp = attempt >= (this.txHandlers.get(row.kind)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
      this.options.logger.error(
        { err, kind: row.kind, subjectId: row.subject_id, attempt, giveUp },
        'timer failed',
      );
      await recordFailure(this.options.pool, {
        ...only,
        token: null,
        error: (err as Error).message ?? String(err),
        backoffMs: this.backoff(attempt),
        giveUp,
      });
      if (!giveUp) this.retryAt(Date.now() + this.backoff(attempt));
    }
  }

  private async callRound(): Promise<{ handled: number; full: boolean }> {
    const now = this.options.clock.now();
    let handled = 0;
    let full = false;
    for (const handler of this.callHandlers.values()) {
      const limit = handler.batchSize ?? 50;
      const claimed = await claimDue(
        this.options.pool,
        [handler.kind],
        now,
        limit,
        handler.leaseMs ?? 30_000,
      );
      handled += claimed.length;
      full ||= claimed.length === limit;
      const results = await Promise.all(
        claimed.map(async (row) => {
          try {
            await handler.call(toTimer(row), { now });
            return { row, error: undefined };
          } catch (err) {
            return { row, error: (err as Error).message ?? String(err) };
          }
        }),
      );
      await completeClaimed(
        this.options.pool,
        results.filter((r) => r.error === undefined).map((r) => r.row.claim_token as string),
      );
      for (const { row, error } of results) {
        if (error === undefined) continue;
        const giveUp = row.attempts >= (handler.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
        if (giveUp)
          this.options.logger.error(
            { kind: row.kind, subjectId: row.subject_id, error },
            'timer call gave up',
          );
        await recordFailure(this.options.pool, {
          kind: row.kind,
          subjectId: row.subject_id,
          token: row.claim_token,
          error,
          backoffMs: this.backoff(row.attempts),
          giveUp,
        });
        if (!giveUp) this.retryAt(Date.now() + this.backoff(row.attempts));
      }
    }
    return { handled, full };
  }
}
