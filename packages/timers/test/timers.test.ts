import { manualClock, scaledClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { createPool, migrate, type Pool, withTransaction } from '@hub/store';
import { endpoints, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cancelTimers,
  scheduleTimers,
  TIMERS_MIGRATIONS,
  type Timer,
  type TimerHandler,
  TimerSweeper,
} from '../src/index.js';

const iso = isolate();
const schema = `${iso.namespace}_timers`;
const logger = createLogger({ service: 'timers-test', level: 'silent' });
const T0 = new Date('2026-03-02T09:00:00+08:00');
let pool: Pool;

beforeAll(async () => {
  const url = endpoints().databaseUrl;
  await migrate({ url, schema, dirs: [TIMERS_MIGRATIONS.dir], table: TIMERS_MIGRATIONS.table });
  pool = createPool({ url, schema });
  await pool.query('CREATE TABLE fired (kind text, subject_id text, at timestamptz, by_sweeper text)');
});

afterAll(async () => {
  await pool?.end();
  await iso.cleanup();
});

beforeEach(async () => {
  await pool.query('TRUNCATE timers, fired');
});

/** A transactional handler recording each firing in `fired` (its effect), in the timer's transaction. */
const recording = (kind: string, by = 'a', fail?: (t: Timer) => boolean): TimerHandler => ({
  kind,
  mode: 'transaction',
  async fire(tx, timers, { now }) {
    for (const t of timers) if (fail?.(t)) throw new Error(`cannot fire ${t.subjectId}`);
    await tx.query('INSERT INTO fired SELECT $1, unnest($2::text[]), $3, $4', [
      kind,
      timers.map((t) => t.subjectId),
      now,
      by,
    ]);
  },
});
const fired = async () =>
  (await pool.query<{ subject_id: string }>('SELECT subject_id FROM fired ORDER BY subject_id')).rows.map(
    (r) => r.subject_id,
  );
const schedule = (...specs: { subjectId: string; dueAt: Date; kind?: string; payload?: unknown }[]) =>
  withTransaction(pool, (tx) =>
    scheduleTimers(
      tx,
      specs.map((s) => ({ kind: 'k', ...s })),
    ),
  );
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('durable timers', () => {
  it('fire once when due on the hub clock, with their effects in the same transaction', async () => {
    const clock = manualClock(T0);
    await schedule({ subjectId: 'a', dueAt: minutes(10) }, { subjectId: 'b', dueAt: minutes(20) });
    const sweeper = new TimerSweeper({ pool, clock, logger, handlers: [recording('k')] });
    expect(await sweeper.sweep()).toBe(0);
    clock.set(minutes(10));
    expect(await sweeper.sweep()).toBe(1);
    expect(await sweeper.sweep()).toBe(0);
    clock.set(minutes(30));
    await sweeper.sweep();
    expect(await fired()).toEqual(['a', 'b']);
    expect((await pool.query('SELECT 1 FROM timers')).rowCount).toBe(0);
  });

  it('are scheduled, moved and cancelled in the caller transaction, and vanish with its rollback', async () => {
    const clock = manualClock(minutes(15));
    await schedule(
      { subjectId: 'moved', dueAt: minutes(10) },
      { subjectId: 'cancelled', dueAt: minutes(10) },
    );
    await withTransaction(pool, async (tx) => {
      await scheduleTimers(tx, [{ kind: 'k', subjectId: 'moved', dueAt: minutes(20) }]);
      await scheduleTimers(tx, [{ kind: 'k', subjectId: 'kept', dueAt: minutes(5) }]);
      await scheduleTimers(tx, [{ kind: 'k', subjectId: 'kept', dueAt: minutes(50) }], {
        ifScheduled: 'keep',
      });
      expect(await cancelTimers(tx, ['k'], ['cancelled'])).toBe(1);
    });
    await withTransaction(pool, async (tx) => {
      await scheduleTimers(tx, [{ kind: 'k', subjectId: 'rolled-back', dueAt: minutes(1) }]);
      throw new Error('caller fails');
    }).catch(() => undefined);
    const sweeper = new TimerSweeper({ pool, clock, logger, handlers: [recording('k')] });
    await sweeper.sweep();
    expect(await fired()).toEqual(['kept']);
    clock.set(minutes(20));
    await sweeper.sweep();
    expect(await fired()).toEqual(['kept', 'moved']);
  });

  it('`earliest`: a shared timer moves only earlier, and holds its row until the scheduler commits', async () => {
    const clock = manualClock(minutes(30));
    const sweeper = new TimerSweeper({ pool, clock, logger, handlers: [recording('k')] });
    const earliest = (tx: Parameters<typeof scheduleTimers>[0], ...at: number[]) =>
      scheduleTimers(
        tx,
        at.map((m) => ({ kind: 'k', subjectId: 'shared', dueAt: minutes(m) })),
        { ifScheduled: 'earliest' },
      );
    const dueOfShared = async () =>
      (await pool.query<{ due_at: Date }>("SELECT due_at FROM timers WHERE subject_id = 'shared'")).rows[0]
        ?.due_at;
    await withTransaction(pool, (tx) => earliest(tx, 20, 15, 25));
    await withTransaction(pool, (tx) => earliest(tx, 40));
    expect(await dueOfShared()).toEqual(minutes(15));

    // Held by a scheduler that has not committed: not taken, even though due; taken once it commits.
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await earliest(holder, 50);
      expect(await sweeper.sweep()).toBe(0);
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    expect(await sweeper.sweep()).toBe(1);

    // Being fired: the scheduler waits for the firing to commit, then arms the timer anew.
    await withTransaction(pool, (tx) => earliest(tx, 10));
    let scheduling: Promise<void> | undefined;
    const slow: TimerHandler = {
      kind: 'k',
      mode: 'transaction',
      async fire(tx, timers) {
        scheduling = withTransaction(pool, (other) => earliest(other, 12));
        await new Promise((r) => setTimeout(r, 200));
        await tx.query("INSERT INTO fired SELECT 'k', unnest($1::text[])", [timers.map((t) => t.subjectId)]);
      },
    };
    expect(await new TimerSweeper({ pool, clock, logger, handlers: [slow] }).sweep()).toBe(1);
    await scheduling;
    expect(await dueOfShared()).toEqual(minutes(12));
    expect(await fired()).toEqual(['shared', 'shared']);
  });

  it('two sweepers racing over the same timers fire each exactly once', async () => {
    const clock = manualClock(minutes(60));
    const ids = Array.from({ length: 400 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    await schedule(...ids.map((subjectId, i) => ({ subjectId, dueAt: minutes(i % 50) })));
    const a = new TimerSweeper({ pool, clock, logger, batchSize: 7, handlers: [recording('k', 'a')] });
    const b = new TimerSweeper({ pool, clock, logger, batchSize: 7, handlers: [recording('k', 'b')] });
    const [na, nb] = await Promise.all([a.sweep(), b.sweep()]);
    expect(na + nb).toBe(400);
    expect(await fired()).toEqual(ids);
    const { rows } = await pool.query<{ by_sweeper: string; n: number }>(
      'SELECT by_sweeper, count(*)::int AS n FROM fired GROUP BY 1 ORDER BY 1',
    );
    expect(rows.length).toBe(2); // both took part
  });

  it('survive a restart: scheduled before, fired by the next sweeper, soon after they fall due', async () => {
    const scale = 3600;
    const clock = scaledClock({ scale, origin: T0 });
    const dueAt = new Date(clock.now().getTime() + 0.6 * scale * 1000); // 0.6 real seconds from now
    await schedule({ subjectId: 'later', dueAt });
    const first = new TimerSweeper({ pool, clock, logger, maxSleepMs: 100, handlers: [recording('k')] });
    first.start();
    await new Promise((r) => setTimeout(r, 150));
    await first.stop();
    expect(await fired()).toEqual([]);
    // The next process sleeps until the deadline rather than a long polling interval.
    const second = new TimerSweeper({ pool, clock, logger, maxSleepMs: 5_000, handlers: [recording('k')] });
    second.start();
    try {
      const { rows } = await waitFor(
        async () => {
          const r = await pool.query<{ at: Date }>('SELECT at FROM fired');
          return r.rowCount ? r : undefined;
        },
        { what: 'fired after restart', intervalMs: 10 },
      );
      const lateHubMs = rows[0]!.at.getTime() - dueAt.getTime();
      expect(lateHubMs).toBeGreaterThanOrEqual(0);
      // Real milliseconds late: far under the 5 s it would take had it slept its longest (a loaded VM can stall
      // a process a few hundred milliseconds, which a 200 ms bound failed on).
      expect(lateHubMs / scale).toBeLessThan(1000);
    } finally {
      await second.stop();
    }
  });

  it('isolate a failing timer: the rest fire, it is retried after a backoff and given up after its last attempt', async () => {
    const clock = manualClock(minutes(60));
    await schedule({ subjectId: 'bad', dueAt: minutes(1) }, { subjectId: 'good', dueAt: minutes(2) });
    const handler = { ...recording('k', 'a', (t) => t.subjectId === 'bad'), maxAttempts: 2 } as TimerHandler;
    const sweeper = new TimerSweeper({ pool, clock, logger, handlers: [handler], backoffMs: () => 1_500 });
    await sweeper.sweep();
    expect(await fired()).toEqual(['good']);
    const row = async () =>
      (
        await pool.query<{ attempts: number; last_error: string; given_up_at: Date | null }>(
          "SELECT attempts, last_error, given_up_at FROM timers WHERE subject_id = 'bad'",
        )
      ).rows[0];
    expect(await row()).toMatchObject({ attempts: 1, last_error: 'cannot fire bad', given_up_at: null });
    // Backing off (real time): long enough that a loaded machine never reaches it before the next line.
    expect(await sweeper.sweep()).toBe(0);
    await waitFor(async () => (await sweeper.sweep()) > 0, { what: 'retry after backoff' });
    expect((await row())?.given_up_at).not.toBeNull();
    expect(await sweeper.sweep()).toBe(0);
  });

  it('make calls outside any transaction, retrying a failed call with backoff until it succeeds', async () => {
    const clock = manualClock(minutes(60));
    await schedule({ kind: 'call', subjectId: 'hook', dueAt: minutes(1), payload: { n: 1 } });
    const calls: { payload: unknown; attempts: number; rowLocked: boolean }[] = [];
    const sweeper = new TimerSweeper({
      pool,
      clock,
      logger,
      backoffMs: () => 1_500, // real time: a loaded machine never reaches it between two sweeps
      handlers: [
        {
          kind: 'call',
          mode: 'call',
          async call(t) {
            // Nobody holds the timer's row while the call is in flight: it was claimed and committed first.
            const locked = await pool
              .query("SELECT 1 FROM timers WHERE subject_id = 'hook' FOR UPDATE NOWAIT")
              .then(() => false)
              .catch(() => true);
            calls.push({ payload: t.payload, attempts: t.attempts, rowLocked: locked });
            if (calls.length === 1) throw new Error('HTTP 500');
          },
        },
      ],
    });
    await sweeper.sweep();
    expect(await sweeper.sweep()).toBe(0); // leased, then backing off
    await waitFor(async () => (await sweeper.sweep()) > 0, { what: 'retried call' });
    expect(calls).toEqual([
      { payload: { n: 1 }, attempts: 1, rowLocked: false },
      { payload: { n: 1 }, attempts: 2, rowLocked: false },
    ]);
    expect((await pool.query('SELECT 1 FROM timers')).rowCount).toBe(0);
  });

  it('a slow call never holds back a deadline', async () => {
    const clock = manualClock(minutes(60));
    await schedule({ kind: 'slow', subjectId: 'hook', dueAt: minutes(1) });
    let release = () => {};
    const hanging = new Promise<void>((r) => {
      release = r;
    });
    const sweeper = new TimerSweeper({
      pool,
      clock,
      logger,
      maxSleepMs: 50,
      handlers: [recording('k'), { kind: 'slow', mode: 'call', call: () => hanging }],
    });
    sweeper.start();
    try {
      await waitFor(
        async () => (await pool.query('SELECT 1 FROM timers WHERE claim_token IS NOT NULL')).rowCount,
        { what: 'call in flight' },
      );
      await schedule({ subjectId: 'deadline', dueAt: minutes(59) });
      await waitFor(async () => (await fired()).includes('deadline'), {
        what: 'deadline fired',
        timeoutMs: 2000,
      });
    } finally {
      release();
      await sweeper.stop();
    }
    expect((await pool.query('SELECT 1 FROM timers')).rowCount).toBe(0);
  });

  describe('an idle sweeper (maxSleepMs a minute where set: only a wake-up fires in time)', () => {
    /** Counts the reads a sweeper makes of the table (the real pool, its queries counted, nothing replaced). */
    const counting = () => {
      let reads = 0;
      const counted = new Proxy(pool, {
        get(target, prop, receiver) {
          if (prop === 'query')
            return (text: unknown, ...rest: unknown[]) => {
              if (typeof text === 'string' && text.includes('min(due_at)')) reads += 1;
              return (target.query as (...a: unknown[]) => unknown).call(target, text, ...rest);
            };
          return Reflect.get(target, prop, receiver);
        },
      });
      return { pool: counted, reads: () => reads };
    };
    const running = async (sweeper: TimerSweeper, body: () => Promise<void>) => {
      sweeper.start();
      try {
        await body();
      } finally {
        await sweeper.stop();
      }
    };

    it('by default reads the table once per loop and 5 s, not every 250 ms', async () => {
      const counted = counting();
      const sweeper = new TimerSweeper({
        pool: counted.pool,
        clock: scaledClock({ scale: 1, origin: T0 }),
        logger,
        handlers: [recording('k'), { kind: 'call', mode: 'call', call: async () => {} }],
      });
      await running(sweeper, async () => {
        await new Promise((r) => setTimeout(r, 1500));
      });
      expect(counted.reads()).toBe(2); // one read per loop (transactions, calls), then asleep
    });

    it('wakes when a timer committed in this process falls due before its planned wake-up, not on a rollback', async () => {
      const clock = scaledClock({ scale: 1, origin: T0 });
      const counted = counting();
      const sweeper = new TimerSweeper({
        pool: counted.pool,
        clock,
        logger,
        maxSleepMs: 60_000,
        handlers: [recording('k')],
      });
      await running(sweeper, async () => {
        await waitFor(async () => counted.reads() === 1, { what: 'first read' });
        await withTransaction(pool, async (tx) => {
          await scheduleTimers(tx, [{ kind: 'k', subjectId: 'undone', dueAt: clock.now() }]);
          throw new Error('caller fails');
        }).catch(() => undefined);
        await scheduleTimers(pool, [{ kind: 'other', subjectId: 'x', dueAt: clock.now() }]); // not its kind
        await new Promise((r) => setTimeout(r, 300));
        expect(counted.reads()).toBe(1); // neither woke it
        await schedule({ subjectId: 'later', dueAt: new Date(clock.now().getTime() + 3_600_000) });
        await schedule({ subjectId: 'now', dueAt: clock.now() });
        await waitFor(async () => (await fired()).includes('now'), {
          what: 'fired at once',
          timeoutMs: 3000,
        });
        const reads = counted.reads();
        // A timer due after the one it sleeps towards does not wake it again.
        await schedule({ subjectId: 'even-later', dueAt: new Date(clock.now().getTime() + 7_200_000) });
        await new Promise((r) => setTimeout(r, 300));
        expect(counted.reads()).toBe(reads);
      });
      expect(await fired()).toEqual(['now']);
    });

    it('does not re-read for commits arming timers due after the one it waits for (a loaded tracker)', async () => {
      const clock = scaledClock({ scale: 1, origin: T0 });
      const counted = counting();
      const hour = (n: number) => new Date(clock.now().getTime() + n * 3_600_000);
      await schedule({ subjectId: 'next', dueAt: hour(1) });
      // And deadlines falling due every 50 ms through the second, so the sweeper wakes, reads and fires often.
      const base = clock.now().getTime();
      await schedule(
        ...Array.from({ length: 20 }, (_, i) => ({
          subjectId: `due-${i}`,
          dueAt: new Date(base + 50 * (i + 1)),
        })),
      );
      const sweeper = new TimerSweeper({
        pool: counted.pool,
        clock,
        logger,
        maxSleepMs: 60_000,
        handlers: [recording('k')],
      });
      await running(sweeper, async () => {
        // Four writers committing back to back for a second, each commit arming a deadline two hours ahead:
        // commits land while the sweeper reads, as under load.
        const until = Date.now() + 1000;
        await Promise.all(
          [0, 1, 2, 3].map(async (w) => {
            for (let i = 0; Date.now() < until; i++)
              await schedule({ subjectId: `later-${w}-${i}`, dueAt: hour(2) });
          }),
        );
        // The last deadline falls due as the writers stop: on a loaded machine its firing may still be under way.
        await waitFor(async () => (await fired()).filter((id) => id.startsWith('due-')).length >= 20, {
          what: 'every deadline fired',
          timeoutMs: 5000,
        });
      });
      expect((await fired()).filter((id) => id.startsWith('due-'))).toHaveLength(20);
      // One read per wake-up and one after each firing round (at most 2 × 20 + the first): none for the
      // commits, whose deadlines fall after what it waits for. Re-reading for every commit made ~66.
      expect(counted.reads()).toBeLessThanOrEqual(41);
    });

    it('wakes when a manual clock moves, and when a failed timer’s backoff ends', async () => {
      const clock = manualClock(minutes(0));
      let failures = 1;
      const sweeper = new TimerSweeper({
        pool,
        clock,
        logger,
        maxSleepMs: 60_000,
        backoffMs: () => 300,
        handlers: [recording('k', 'a', () => failures-- > 0)],
      });
      await schedule({ subjectId: 'moved-to', dueAt: minutes(30) });
      await running(sweeper, async () => {
        await new Promise((r) => setTimeout(r, 200));
        clock.set(minutes(31)); // due now: tried, fails, backs off 300 ms, fires
        await waitFor(async () => (await fired()).includes('moved-to'), {
          what: 'fired after backoff',
          timeoutMs: 3000,
        });
      });
      expect(failures).toBe(-1);
    });
  });
});
