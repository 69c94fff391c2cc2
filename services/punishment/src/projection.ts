/**
 * Keeping the interception projection (Redis, @hub/interception) in step with PostgreSQL:
 * - the service reads its own `restrictions` topic and applies each subject's newest standing;
 * - a withdrawal writes its standings before it commits as well (intake.ts);
 * - when the readiness key is missing (Redis flushed or lost, or a first start) every subject's standing is
 *   rebuilt from PostgreSQL, then the projection is marked ready. The rebuild holds the namespace's advisory
 *   lock exclusively; withdrawals hold it shared until they commit, so a rebuild never writes a standing older
 *   than a withdrawal that committed before it read — and anything newer wins by version anyway;
 * - anti-entropy, every `reconcileMs`: a single subject's key can be lost while the readiness key survives (an
 *   asynchronous failover dropping the last writes), and the adapters would answer "not restricted" for it. Each
 *   pass compares, page by page, the version PostgreSQL holds for every subject with live entries and for every
 *   subject changed since the last pass with the version Redis holds (one round trip per page, versions only),
 *   and re-applies from PostgreSQL every standing whose key is missing or older. A lost key is wrong until the
 *   pass after the loss: at most `reconcileMs` + `settleMs` + the pass's own duration.
 */
import type { InterceptionProjection, SubjectStanding } from '@hub/interception';
import type { BatchHandler } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { Pool, Queryable } from '@hub/store';
import { Counter, Gauge, type Registry } from 'prom-client';
import {
  changedSubjectVersions,
  liveSubjectVersions,
  type SubjectVersion,
  standingsOf,
  standingsPage,
} from './sql/entries.js';

/**
 * How far before the last pass's start the next pass looks for changed subjects: longer than a transaction
 * stays open between stamping a subject (`subjects.updated_at`, the batch's time) and committing.
 */
const CHANGED_MARGIN_MS = 60_000;
/** After a start, changes this far back are compared once (what a failover during the restart dropped). */
const FIRST_LOOKBACK_MS = 10 * 60_000;

/** The advisory lock key of a deployment's (namespace's) projection rebuild. */
export const rebuildLockOf = (namespace: string) => `punishment:${namespace || 'hub'}:intercept-rebuild`;

/** Taken by a withdrawal, shared, until its transaction ends. */
export async function holdRebuildOff(tx: Queryable, lock: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [lock]);
}

/** The `restrictions` consumer: each subject's newest standing in the batch, written where newer. */
export function projectionHandler(projection: InterceptionProjection): BatchHandler {
  return async (_tx, events) => {
    const newest = new Map<string, SubjectStanding>();
    for (const { envelope } of events) {
      const p = envelope.payload;
      if (p?.$case !== 'restrictionsChanged') continue;
      const v = p.value;
      const held = newest.get(v.subjectHash);
      if (held && held.version >= v.version) continue;
      newest.set(v.subjectHash, {
        hash: v.subjectHash,
        version: v.version,
        entries: v.entries.map((e) => ({
          entryId: e.entryId,
          measure: e.measure,
          courtCode: e.courtCode,
          caseNo: e.caseNo,
          noticeId: e.noticeId,
          since: (e.since ?? new Date(0)).toISOString(),
          ...(e.endsAt ? { endsAt: e.endsAt.toISOString() } : {}),
          ...(e.ground ? { ground: e.ground } : {}),
          role: e.role,
          debtorKind: e.debtorKind,
          ...(e.impliedBy ? { impliedBy: e.impliedBy } : {}),
          ...(e.until ? { until: e.until.toISOString() } : {}),
        })),
      });
    }
    try {
      await projection.apply([...newest.values()]);
    } catch (err) {
      // Redis unreachable is transient, never a poison message: dead-lettering a standing would leave the
      // projection stale once Redis is back. Retried, then handed back to Kafka for redelivery.
      throw Object.assign(new Error('interception projection unavailable', { cause: err }), {
        retriable: true,
      });
    }
  };
}

export interface KeeperOptions {
  pool: Pool;
  projection: InterceptionProjection;
  logger: Logger;
  now: () => Date;
  lock: string;
  /** Who marks it ready (shown to operators). */
  by: string;
  /** Real milliseconds between readiness checks. */
  checkMs: number;
  /** Real milliseconds between the end of one anti-entropy pass and the start of the next. */
  reconcileMs: number;
  /**
   * A subject changed less than this long ago is left to the next pass: its event may still be on its way to
   * Redis (the normal path), not lost. Default: `reconcileMs`, at most 5 s.
   */
  settleMs?: number;
  pageSize?: number;
  registry?: Registry;
}

export interface ReconcileResult {
  /** Subjects whose versions were compared. */
  checked: number;
  /** Standings re-applied from PostgreSQL (key missing or older). */
  repaired: number;
  /** Subjects Redis holds newer than PostgreSQL (a withdrawal's write before its commit, in flight or rolled back). */
  ahead: number;
  /** False: skipped or cut short (projection not ready, or the keeper stopping). */
  complete: boolean;
}

/**
 * Checks the projection's readiness at start and every `checkMs`, and rebuilds it when it is missing; and
 * every `reconcileMs` repairs the single keys that were lost or went back (anti-entropy).
 */
export class ProjectionKeeper {
  private timer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private reconciling: Promise<unknown> = Promise.resolve();
  private stopped = true;
  /** Changes from this time on are compared by the next pass (hub time). */
  private changedSince: Date | undefined;
  /** Completed rebuilds (tests and metrics). */
  rebuilds = 0;
  /** Standings re-applied by anti-entropy (tests and metrics). */
  repairs = 0;
  /** Completed anti-entropy passes. */
  reconciles = 0;

  private readonly metrics;

  constructor(private readonly o: KeeperOptions) {
    const registers = o.registry ? [o.registry] : [];
    this.metrics = {
      rebuilds: new Counter({
        name: 'hub_interception_rebuilds_total',
        help: 'Rebuilds of the interception projection from PostgreSQL (Redis lost or flushed)',
        registers,
      }),
      ready: new Gauge({
        name: 'hub_interception_ready',
        help: '1 while the interception projection is complete, 0 while it is missing or being rebuilt',
        registers,
      }),
      repairs: new Counter({
        name: 'hub_interception_repairs_total',
        help: 'Subject standings re-applied by anti-entropy: key missing in Redis or older than PostgreSQL',
        registers,
      }),
      ahead: new Gauge({
        name: 'hub_interception_ahead',
        help: 'Subjects Redis held newer than PostgreSQL at the last anti-entropy pass',
        registers,
      }),
      reconciled: new Gauge({
        name: 'hub_interception_reconciled_timestamp_seconds',
        help: 'When the last complete anti-entropy pass of the interception projection started',
        registers,
      }),
    };
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.changedSince = new Date(this.o.now().getTime() - FIRST_LOOKBACK_MS);
    await this.check();
    this.timer = setInterval(() => void this.check(), this.o.checkMs);
    this.scheduleReconcile();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.reconcileTimer);
    await Promise.all([this.running, this.reconciling]);
  }

  /** The next pass `reconcileMs` after this one ended (a long pass never overlaps the next). */
  private scheduleReconcile(): void {
    if (this.stopped) return;
    this.reconcileTimer = setTimeout(() => {
      void this.reconcile().finally(() => this.scheduleReconcile());
    }, this.o.reconcileMs);
  }

  /**
   * One anti-entropy pass (never two at once in this process). Skipped while the projection is not ready:
   * the rebuild restores everything then.
   */
  reconcile(): Promise<ReconcileResult> {
    const pass = this.reconciling.then(() => this.reconcileOnce());
    this.reconciling = pass.catch(() => undefined);
    return pass;
  }

  private async reconcileOnce(): Promise<ReconcileResult> {
    const result: ReconcileResult = { checked: 0, repaired: 0, ahead: 0, complete: false };
    if (this.stopped) return result;
    const started = this.o.now();
    const settleMs = this.o.settleMs ?? Math.min(this.o.reconcileMs, 5000);
    const settledBefore = new Date(started.getTime() - settleMs);
    const since = this.changedSince ?? new Date(started.getTime() - FIRST_LOOKBACK_MS);
    const limit = this.o.pageSize ?? 1000;
    try {
      const complete =
        (await this.compareAll(result, (after) =>
          liveSubjectVersions(this.o.pool, after, limit, settledBefore),
        )) &&
        (await this.compareAll(result, (after) =>
          changedSubjectVersions(this.o.pool, since, after, limit, settledBefore),
        ));
      result.complete = complete;
      if (complete) {
        // What the pass left to settle, and what committed late, is compared again next time.
        this.changedSince = new Date(settledBefore.getTime() - CHANGED_MARGIN_MS);
        this.reconciles += 1;
        this.metrics.reconciled.set(started.getTime() / 1000);
        this.metrics.ahead.set(result.ahead);
      }
    } catch (err) {
      this.o.logger.error({ err }, 'interception projection anti-entropy pass failed; retrying next time');
    }
    if (result.repaired > 0)
      this.o.logger.warn(
        { repaired: result.repaired, checked: result.checked },
        'interception projection: standings missing or older than PostgreSQL in Redis were repaired',
      );
    return result;
  }

  /** Compares every page `next` gives; false if cut short (projection not ready, or stopping). */
  private async compareAll(
    result: ReconcileResult,
    next: (after: string) => Promise<{ page: SubjectVersion[]; last: string | null }>,
  ): Promise<boolean> {
    let after = '';
    for (;;) {
      if (this.stopped || !(await this.o.projection.isReady())) return false;
      const { page, last } = await next(after);
      const held = await this.o.projection.versions(page.map((s) => s.hash));
      const stale: string[] = [];
      page.forEach((s, i) => {
        const h = held[i];
        if (h === null || h === undefined || h < s.version) stale.push(s.hash);
        else if (h > s.version) result.ahead += 1;
      });
      result.checked += page.length;
      if (stale.length > 0) {
        // Read again with their entries, version and entries from one snapshot; written only over older.
        const written = await this.o.projection.apply(await standingsOf(this.o.pool, stale, this.o.now()));
        result.repaired += written;
        this.repairs += written;
        this.metrics.repairs.inc(written);
      }
      if (last === null) return true;
      after = last;
    }
  }

  /** One readiness check (and rebuild), never two at once in this process. */
  check(): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        const ready = await this.o.projection.isReady();
        this.metrics.ready.set(ready ? 1 : 0);
        if (!ready) await this.rebuild();
        if (!ready) this.metrics.ready.set((await this.o.projection.isReady()) ? 1 : 0);
      } catch (err) {
        this.o.logger.error({ err }, 'interception projection check failed; retrying');
      }
    });
    return this.running;
  }

  private async rebuild(): Promise<void> {
    const client = await this.o.pool.connect();
    const key = [this.o.lock];
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', key);
      try {
        // Another replica may have rebuilt it while this one waited for the lock.
        if (await this.o.projection.isReady()) return;
        const started = Date.now();
        this.o.logger.warn('interception projection missing: rebuilding from PostgreSQL');
        for (let round = 1; ; round++) {
          const token = `${this.o.by}:${started}:${round}`;
          await this.o.projection.beginRebuild(token);
          const { subjects, restricted } = await this.copyAll();
          if (await this.o.projection.markReadyAfter(token, this.o.by, this.o.now())) {
            this.rebuilds += 1;
            this.metrics.rebuilds.inc();
            this.o.logger.info(
              { subjects, restricted, ms: Date.now() - started },
              'interception projection rebuilt and ready',
            );
            return;
          }
          this.o.logger.warn({ round }, 'interception keys lost during the rebuild: starting over');
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', key);
      }
    } finally {
      client.release();
    }
  }

  /** Every subject's standing from PostgreSQL into Redis, page by page in hash order. */
  private async copyAll(): Promise<{ subjects: number; restricted: number }> {
    let after = '';
    let subjects = 0;
    let restricted = 0;
    for (;;) {
      const page = await standingsPage(this.o.pool, after, this.o.pageSize ?? 1000, this.o.now());
      if (page.length === 0) return { subjects, restricted };
      await this.o.projection.apply(page);
      subjects += page.length;
      restricted += page.filter((s) => s.entries.length > 0).length;
      after = page[page.length - 1]!.hash;
      if (subjects % 50_000 < page.length)
        this.o.logger.info({ subjects, restricted }, 'interception projection rebuild in progress');
    }
  }
}
