import type { Clock } from '@hub/domain';
import type { Logger } from '@hub/service-kit';
import { type Pool, type PoolClient, withTransaction } from '@hub/store';
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
  /** Longest real sleep between sweeps: a deadline is seen within this of passing, at any time scale. */
  maxSleepMs?: number;
  /**
   * While the sweeper listens for the timers' NOTIFY (migration 0001), it asks the database again only when
   * one arrives, when the earliest due time it read comes, or after this many real milliseconds (the safety
   * net for a lost notification); default 5 s. Not listening, it asks every time it wakes, as before.
   */
  refreshMs?: number;
  batchSize?: number;
  /** Real milliseconds before retry `attempt` (1-based); default 1 s doubling, at most 5 min. */
  backoffMs?: (attempt: number) => number;
}

const DEFAULT_MAX_ATTEMPTS = 20;

/** What a loop last read: the earliest due timer, and when a timer held back in real time becomes due. */
type Plan =
  | { failed: true; at?: undefined; due?: undefined; retryInMs?: undefined }
  | { failed: false; at: number; due: Date | undefined; retryInMs: number | undefined };
const defaultBackoff = (attempt: number) => Math.min(300_000, 1000 * 2 ** (attempt - 1));

/**
 * Fires due timers. Each round claims up to `batchSize` due timers with FOR UPDATE SKIP LOCKED and hands them
 * to their kind's handler; between rounds it sleeps until the earliest due timer (converted to real time at the
 * clock's measured rate), never longer than `maxSleepMs`, and a full batch means another round at once.
 * Several sweepers (replicas) share the table safely; a restart loses nothing, since timers are rows.
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
  /** Each loop's "ask the database again" flag, set by wake() and by the timers' NOTIFY. */
  private readonly loopStates = new Set<{ dirty: boolean }>();
  private readonly refreshMs: number;
  private listener: PoolClient | undefined;
  private listening = false;
  /** The LISTEN connection's backend pid while it listens (ops and tests). */
  listenerPid: number | undefined;
  private readonly origin: { real: number; hub: number };

  constructor(private readonly options: SweeperOptions) {
    const byMode = <H extends TimerHandler>(mode: H['mode']) =>
      new Map(options.handlers.filter((h): h is H => h.mode === mode).map((h) => [h.kind, h]));
    this.txHandlers = byMode<TransactionalHandler>('transaction');
    this.callHandlers = byMode<CallHandler>('call');
    this.maxSleepMs = options.maxSleepMs ?? 250;
    this.refreshMs = options.refreshMs ?? 5000;
    this.batchSize = options.batchSize ?? 200;
    this.backoff = options.backoffMs ?? defaultBackoff;
    this.origin = { real: Date.now(), hub: options.clock.now().getTime() };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.listen();
    // Two loops: a slow webhook never holds back a deadline, nor a burst of deadlines a call.
    this.loops = [
      this.run([...this.txHandlers.keys()], () => this.drainFires()),
      this.run([...this.callHandlers.keys()], () => this.drainCalls()),
    ];
  }

  /** Finish the rounds in flight (their calls included), then stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await Promise.all(this.loops);
    this.unlisten();
  }

  /** Sweep now instead of at the next planned wake-up (e.g. after scheduling a timer due at once). */
  wake(except?: { dirty: boolean }): void {
    for (const state of this.loopStates) if (state !== except) state.dirty = true;
    for (const wakeUp of this.wakers) wakeUp();
  }

  /**
   * LISTEN for the timers' NOTIFY on a connection of its own. Until it listens (and again if the connection
   * drops) the loops ask the database at every wake-up, as without it; the next refresh tries again.
   */
  private async listen(): Promise<void> {
    if (this.stopped || this.listener) return;
    let client: PoolClient | undefined;
    try {
      client = await this.options.pool.connect();
      this.listener = client;
      const { rows } = await client.query<{ schema: string; pid: number }>(
        'SELECT current_schema() AS schema, pg_backend_pid() AS pid',
      );
      const schema = rows[0]?.schema;
      client.on('notification', (n) => {
        if (n.channel === 'hub_timers' && n.payload === schema) this.wake();
      });
      const lost = (err?: unknown) => {
        if (this.listener !== client) return;
        this.options.logger.warn(
          { err },
          'timer sweeper: the LISTEN connection failed; asking on every wake-up',
        );
        this.unlisten(err ?? new Error('LISTEN connection ended'));
      };
      client.on('error', lost);
      client.on('end', () => lost());
      await client.query('LISTEN hub_timers');
      if (this.listener !== client) return;
      if (this.stopped) return this.unlisten();
      this.listening = true;
      this.listenerPid = rows[0]?.pid;
      // What was scheduled before LISTEN took effect is read now.
      this.wake();
    } catch (err) {
      this.options.logger.warn({ err }, 'timer sweeper: cannot LISTEN; asking on every wake-up');
      if (client && this.listener === client) this.unlisten(err);
    }
  }

  private unlisten(err?: unknown): void {
    const client = this.listener;
    this.listener = undefined;
    this.listening = false;
    this.listenerPid = undefined;
    if (!client) return;
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    client.release(err instanceof Error ? err : true);
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
    const state = { dirty: true };
    this.loopStates.add(state);
    let plan: Plan = { failed: true };
    try {
      while (!this.stopped) {
        if (this.mustAsk(state, plan)) {
          state.dirty = false;
          try {
            // What fired may have scheduled timers for the other loop (a breach its alert): wake it.
            if ((await drain()) > 0) this.wake(state);
          } catch (err) {
            this.options.logger.error({ err }, 'timer sweep failed; retrying');
          }
          if (this.stopped) break;
          plan = await this.plan(kinds).catch((): Plan => ({ failed: true }));
          const now = Date.now();
          if (!this.listening && !this.stopped && now - (this.lastListenTry ?? 0) >= this.refreshMs) {
            this.lastListenTry = now;
            void this.listen();
          }
        }
        const sleepMs = this.sleepMs(plan);
        await new Promise<void>((resolve) => {
          const wakeUp = () => {
            clearTimeout(timer);
            this.wakers.delete(wakeUp);
            resolve();
          };
          const timer = setTimeout(wakeUp, sleepMs);
          this.wakers.add(wakeUp);
        });
      }
    } finally {
      this.loopStates.delete(state);
    }
  }

  private lastListenTry: number | undefined;

  /** Ask the database again (and sweep)? Always when not listening; listening, only when something changed. */
  private mustAsk(state: { dirty: boolean }, plan: Plan): boolean {
    if (state.dirty || !this.listening || plan.failed) return true;
    const realNow = Date.now();
    if (realNow - plan.at >= this.refreshMs) return true;
    if (plan.retryInMs !== undefined && realNow - plan.at >= plan.retryInMs) return true;
    return plan.due !== undefined && this.options.clock.now().getTime() >= plan.due.getTime();
  }

  /** The earliest due timer (hub time) and the earliest backoff or lease to run out (real ms from now). */
  private async plan(kinds: string[]): Promise<Plan> {
    const { due, retryInMs } = await nextDue(this.options.pool, kinds);
    return { at: Date.now(), due, retryInMs, failed: false };
  }

  /** Real time until the next thing to do, at the rate the hub clock has run since the sweeper began. */
  private sleepMs(plan: Plan): number {
    let ms = this.maxSleepMs;
    if (plan.retryInMs !== undefined) ms = Math.min(ms, plan.retryInMs - (Date.now() - plan.at));
    if (plan.due) {
      const hubNow = this.options.clock.now().getTime();
      const realElapsed = Date.now() - this.origin.real;
      const rate = realElapsed > 0 ? (hubNow - this.origin.hub) / realElapsed : 0;
      if (rate > 0) ms = Math.min(ms, Math.ceil((plan.due.getTime() - hubNow) / rate));
    }
    return Math.max(0, ms);
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
      }
    }
    return { handled, full };
  }
}
