/**
 * Keeping the interception projection (Redis, @hub/interception) in step with PostgreSQL:
 * - the service reads its own `restrictions` topic and applies each subject's newest standing;
 * - a withdrawal writes its standings before it commits as well (intake.ts);
 * - when the readiness key is missing (Redis flushed or lost, or a first start) every subject's standing is
 *   rebuilt from PostgreSQL, then the projection is marked ready. The rebuild holds the namespace's advisory
 *   lock exclusively; withdrawals hold it shared until they commit, so a rebuild never writes a standing older
 *   than a withdrawal that committed before it read — and anything newer wins by version anyway.
 */
import type { InterceptionProjection, SubjectStanding } from '@hub/interception';
import type { BatchHandler } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { Pool, Queryable } from '@hub/store';
import { Counter, Gauge, type Registry } from 'prom-client';
import { standingsPage } from './sql/entries.js';

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
  pageSize?: number;
  registry?: Registry;
}

/** Checks the projection's readiness at start and every `checkMs`, and rebuilds it when it is missing. */
export class ProjectionKeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;
  /** Completed rebuilds (tests and metrics). */
  rebuilds = 0;

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
    };
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.check();
    this.timer = setInterval(() => void this.check(), this.o.checkMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
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
      const page = await standingsPage(this.o.pool, after, this.o.pageSize ?? 1000);
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
