import { backoffMs } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { LeaseWaiters } from './long-poll.js';

/** The one channel of migration 1005: payload '<schema>:<institution>' for each institution with new requests. */
export const INBOX_CHANNEL = 'hub_inbox';

/** What the listener needs of a PostgreSQL session (a pg Client of its own, @hub/store connectClient). */
export interface ListenSession {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
  on(
    event: 'notification',
    listener: (n: { channel: string; payload?: string | undefined }) => void,
  ): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  end(): Promise<void>;
}

export interface InboxListenerOptions {
  connect: () => Promise<ListenSession>;
  /** The adapter's schema: only its own requests wake its waiters (tests and adapters share a database). */
  schema: string;
  waiters: LeaseWaiters;
  logger: Logger;
  /** Reconnection backoff, ms (exponential with jitter, capped). */
  backoff?: { baseMs: number; capMs: number };
}

/**
 * One dedicated session per adapter process LISTENing on hub_inbox, dispatching each notification to the
 * waiting leases of its institution. If the session drops it is opened again with backoff, and every waiter
 * is woken once it listens again: notifications sent meanwhile are lost, and each waiter must look for itself.
 * While it is down, waiters still end at their deadline or at a lease's expiry: slower, never stuck.
 */
export class InboxListener {
  private session: ListenSession | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pid: number | undefined;
  /** How many times the session was opened again after a drop (tests, logs). */
  reconnects = 0;

  constructor(private readonly o: InboxListenerOptions) {}

  /** Listen before serving: fails if PostgreSQL cannot be reached, like the rest of start(). */
  async start(): Promise<void> {
    this.running = true;
    const { lost } = await this.listen();
    this.loop = this.watch(lost);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    const session = this.session;
    this.session = undefined;
    await session?.end().catch(() => undefined);
    await this.loop;
  }

  /** The PostgreSQL backend pid of the listening session (undefined while reconnecting). */
  get backendPid(): number | undefined {
    return this.session ? this.pid : undefined;
  }

  /** Open a session and LISTEN; `lost` settles when that session ends. */
  private async listen(): Promise<{ lost: Promise<void> }> {
    const session = await this.o.connect();
    let lostIt: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => {
      lostIt = resolve;
    });
    session.on('error', (err) => {
      if (this.running) this.o.logger.warn({ err }, 'inbox listener connection failed');
      lostIt();
    });
    session.on('end', () => lostIt());
    const prefix = `${this.o.schema}:`;
    session.on('notification', (n) => {
      if (n.channel !== INBOX_CHANNEL || !n.payload?.startsWith(prefix)) return;
      this.o.waiters.wake(n.payload.slice(prefix.length));
    });
    try {
      await session.query(`LISTEN ${INBOX_CHANNEL}`);
      const { rows } = await session.query('SELECT pg_backend_pid() AS pid');
      this.pid = Number(rows[0]?.pid);
    } catch (err) {
      await session.end().catch(() => undefined);
      throw err;
    }
    if (!this.running)
      await session.end().catch(() => undefined); // stopped while connecting
    else this.session = session;
    return { lost };
  }

  private async watch(lost: Promise<void>): Promise<void> {
    let current = lost;
    while (this.running) {
      await Promise.race([current, new Promise<void>((resolve) => (this.wake = resolve))]);
      if (!this.running) return;
      const dropped = this.session;
      this.session = undefined;
      await dropped?.end().catch(() => undefined);
      this.o.logger.warn({ schema: this.o.schema }, 'inbox listener lost its connection; reconnecting');
      for (let attempt = 1; this.running; attempt += 1) {
        await this.pause(backoffMs(attempt, this.o.backoff?.baseMs ?? 100, this.o.backoff?.capMs ?? 5000));
        if (!this.running) return;
        try {
          current = (await this.listen()).lost;
          break;
        } catch (err) {
          if (attempt === 1 || attempt % 20 === 0)
            this.o.logger.warn({ err, attempt }, 'inbox listener cannot reconnect yet');
        }
      }
      if (!this.running) return;
      this.reconnects += 1;
      this.o.logger.info({ schema: this.o.schema }, 'inbox listener listening again');
      // Whatever was stored while nobody listened woke nobody: every waiter looks again.
      this.o.waiters.wakeAll();
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
