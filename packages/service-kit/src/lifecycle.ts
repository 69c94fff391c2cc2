import type { Logger } from './logger.js';

type Release = () => Promise<void> | void;

/**
 * Resources registered as they are acquired and released in reverse order (graphile-worker's
 * withReleasers): a server stops taking work before the consumers stop, the consumers before the outbox
 * flushes, the outbox before the pool closes.
 */
export class Releasers {
  private readonly stack: { name: string; release: Release }[] = [];

  add(name: string, release: Release): void {
    this.stack.push({ name, release });
  }

  async releaseAll(logger?: Logger): Promise<void> {
    const errors: unknown[] = [];
    while (this.stack.length > 0) {
      const { name, release } = this.stack.pop()!;
      try {
        await release();
      } catch (err) {
        logger?.error({ err, resource: name }, 'release failed');
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'some resources failed to release');
  }
}

/** A built service: constructed by buildApp, started and stopped by its owner. */
export interface ServiceApp {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A second signal this soon after the first is the same request to stop, delivered twice: a terminal's Ctrl-C
 * reaches the whole process group, and the script that started the process (deploy/local/demo.sh) forwards its own
 * stop a few milliseconds later. It must not cut the graceful stop short.
 */
export const DUPLICATE_SIGNAL_MS = 1000;

/**
 * Stop services that share a process, all at once: each one's own stop keeps its order (server, consumers, outbox,
 * pool), but none waits for another's. They talk only over Kafka, HTTP and gRPC, so no stop depends on another's, and
 * each spends most of its stop waiting (a consumer's fetch in flight, a lease held open): one after another, the
 * one-process hub took 18 s to stop (2026-12-07), about the sum of its services' 0.8–2.7 s. Every stop is awaited
 * even when some fail; the failures are logged and the result says whether all stopped cleanly.
 */
export async function stopApps(apps: readonly ServiceApp[], logger: Logger, slowMs = 5000): Promise<boolean> {
  const results = await Promise.allSettled(
    apps.map(async (app) => {
      const started = performance.now();
      try {
        await app.stop();
      } finally {
        const ms = performance.now() - started;
        // A service that takes long to stop is worth knowing about (its batches, fetches and calls in flight).
        if (ms > slowMs) logger.warn({ service: app.name, ms: Math.round(ms) }, 'service stopped slowly');
      }
    }),
  );
  results.forEach((r, i) => {
    if (r.status === 'rejected') logger.error({ err: r.reason, app: apps[i]!.name }, 'stop failed');
  });
  return results.every((r) => r.status === 'fulfilled');
}

/**
 * Run apps until SIGINT/SIGTERM, then stop them (all at once: {@link stopApps}) and exit. A second signal exits at
 * once, unless it came within {@link DUPLICATE_SIGNAL_MS} of the first (the same stop, delivered twice: ignored).
 */
export function runUntilSignal(apps: ServiceApp[], logger: Logger, onStopped?: () => Promise<void>): void {
  let stopping: number | undefined;
  const stop = async (signal: string) => {
    if (stopping !== undefined) {
      if (performance.now() - stopping < DUPLICATE_SIGNAL_MS) {
        logger.info({ signal }, 'signal again while stopping: the same stop, still stopping gracefully');
        return;
      }
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = performance.now();
    logger.info({ signal }, 'stopping');
    const clean = await stopApps(apps, logger);
    await onStopped?.();
    logger.info({ ms: Math.round(performance.now() - stopping) }, 'stopped');
    process.exit(clean ? 0 : 1);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
