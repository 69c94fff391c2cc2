import type { ServerResponse } from 'node:http';
import type { Pool } from '@hub/store';
import type { FastifyBaseLogger } from 'fastify';
import { timelineAfter } from './sql/timeline-feed.js';

const BATCH = 500;
/** How long an id skipped over is re-read before it is taken as a rolled-back insert. */
const GAP_TTL_MS = 10_000;
const MAX_GAPS = 1_000;
/** A comment line every ~15 s keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * One Server-Sent Events subscriber to the timeline. It polls the database, not this process's memory,
 * so it shows what every tracker instance and the SLA detector write. Timeline ids are taken in one
 * order and committed in another: an id the cursor passed may still commit, so skipped ids are read
 * again for GAP_TTL_MS. Such a late row is sent without an `id:` line, so a reconnecting browser's
 * Last-Event-ID never moves backwards.
 */
export class TimelineStream {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private readonly gaps = new Map<number, number>(); // id → real time to give up on it
  private lastWrite = Date.now();

  constructor(
    private readonly raw: ServerResponse,
    private readonly deps: { pool: Pool; log: FastifyBaseLogger; intervalMs: number; onClosed: () => void },
    private cursor: number,
  ) {}

  /** Send the headers and a `ready` event (the client then loads its snapshot), then poll until closed. */
  open(): void {
    this.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.raw.on('close', () => void this.close());
    // The client may have gone while the cursor was being read: then no 'close' event is coming.
    if (this.raw.destroyed || this.raw.socket?.destroyed) {
      void this.close();
      return;
    }
    this.raw.write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ cursor: this.cursor })}\n\n`);
    this.schedule();
  }

  /** Stop polling, let a read in flight finish, end the response. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.polling;
      this.raw.end();
      this.deps.onClosed();
    })();
    return this.closing;
  }

  private schedule(): void {
    if (this.closing) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        this.schedule();
      });
    }, this.deps.intervalMs);
  }

  private async poll(): Promise<void> {
    // A client that does not keep up gets nothing more until it has drained what it was sent.
    if (this.raw.writableNeedDrain) return;
    try {
      const items = await timelineAfter(this.deps.pool, this.cursor, [...this.gaps.keys()], BATCH);
      if (this.closing) return;
      const now = Date.now();
      let out = '';
      for (const item of items) {
        if (item.id > this.cursor) {
          for (let id = this.cursor + 1; id < item.id && this.gaps.size < MAX_GAPS; id++) {
            this.gaps.set(id, now + GAP_TTL_MS);
          }
          this.cursor = item.id;
          out += `id: ${item.id}\n`;
        } else {
          this.gaps.delete(item.id);
        }
        out += `event: timeline\ndata: ${JSON.stringify(item)}\n\n`;
      }
      for (const [id, until] of this.gaps) if (until < now) this.gaps.delete(id);
      if (!out && now - this.lastWrite >= KEEPALIVE_MS) out = ': keep-alive\n\n';
      if (out) {
        this.raw.write(out);
        this.lastWrite = now;
      }
    } catch (err) {
      this.deps.log.error({ err }, 'ops stream: reading the timeline failed; retrying');
    }
  }
}
