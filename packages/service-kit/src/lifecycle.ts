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
 * Run apps until SIGINT/SIGTERM, then stop them in reverse order and exit. A second signal exits at once, unless it
 * came within {@link DUPLICATE_SIGNAL_MS} of the first (the same stop, delivered twice: ignored).
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
    let code = 0;
    for (const app of [...apps].reverse()) {
      try {
        await app.stop();
      } catch (err) {
        code = 1;
        logger.error({ err, app: app.name }, 'stop failed');
      }
    }
    await onStopped?.();
    logger.info('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
