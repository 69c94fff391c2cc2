import { CONTENT_TYPE } from '@hub/contracts';
import type { Logger } from '@hub/service-kit';
import type { Pool, PoolClient } from '@hub/store';
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { onOutboxCommitted } from './doorbell.js';
import { backoffMs, sleep, wakeableSleep } from './retry.js';

export interface RelayOptions {
  pool: Pool;
  kafka: Kafka;
  /** The service's schema: the relay wakes on NOTIFYs for this schema's outbox only. */
  schema: string;
  logger: Logger;
  registry?: Registry;
  batchSize?: number;
  /**
   * Real milliseconds between rounds when no wake-up came, while the relay listens (default 30 s): only a safety
   * net, since every committed outbox row wakes the relay at once (doorbell.ts: from this process after its
   * commit, or a NOTIFY from another); an idle relay costs a round every 30 s.
   */
  pollMs?: number;
  /** The same while the LISTEN connection is lost and being re-established (default 1 s). */
  unlistenedPollMs?: number;
  /**
   * A round reads only ids above those relayed by rounds at least this long ago (default 1 s), and every
   * `fullRoundMs` (default 2 s) a round reads from the start: see {@link OutboxRelay.relayOnce}.
   */
  stragglerMs?: number;
  fullRoundMs?: number;
}

interface OutboxRow {
  id: number;
  topic: string;
  key: string;
  event_id: string;
  event_type: string;
  payload: Buffer;
}

/**
 * Publishes committed outbox rows to Kafka in batches: claim and delete up to `batchSize` rows in one
 * statement (FOR UPDATE SKIP LOCKED: several relays never send the same row), send them in one producer
 * call, commit (without waiting for the WAL flush). A failed send rolls the deletion back; a crash between
 * send and commit, or a PostgreSQL crash that loses the commit, re-sends: consumers are idempotent.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly unlistenedPollMs: number;
  private producer: Producer | undefined;
  private listener: PoolClient | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A NOTIFY came since the last round began: go again at once (it may have come while a round ran). */
  private notified = false;
  /** Stops the wake-ups from commits in this process (doorbell.ts). */
  private unsubscribe: (() => void) | undefined;
  private readonly published: Counter;
  private readonly failures: Counter;
  private readonly stragglerMs: number;
  private readonly fullRoundMs: number;
  /** Rounds read ids above this (0: from the start): the highest id relayed by a round `stragglerMs` ago or more. */
  private floor = 0;
  /** The highest id each recent round relayed, oldest first, until it is `stragglerMs` old and joins the floor. */
  private readonly recent: { at: number; maxId: number }[] = [];
  private lastFullRoundAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    // Written into the claim's SQL (relayOnce): an integer, never text.
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) {
      throw new Error(`outbox relay batchSize must be a positive integer, not ${this.batchSize}`);
    }
    this.pollMs = options.pollMs ?? 30_000;
    this.unlistenedPollMs = options.unlistenedPollMs ?? 1000;
    this.stragglerMs = options.stragglerMs ?? 1000;
    this.fullRoundMs = options.fullRoundMs ?? 2000;
    const registers = options.registry ? [options.registry] : [];
    this.published = new Counter({
      name: 'hub_outbox_published_total',
      help: 'Events published from the outbox to Kafka',
      labelNames: ['schema'],
      registers,
    });
    this.failures = new Counter({
      name: 'hub_outbox_failures_total',
      help: 'Outbox relay rounds that failed and were retried',
      labelNames: ['schema'],
      registers,
    });
  }

  async start(): Promise<void> {
    this.producer = this.options.kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    await this.listen();
    // Woken by this process's commits (doorbell.ts), and by NOTIFYs from elsewhere.
    this.unsubscribe = onOutboxCommitted(this.options.schema, () => {
      this.notified = true;
      this.wake?.();
    });
    this.running = true;
    this.loop = this.run();
  }

  /**
   * LISTEN on a connection of its own. If that connection breaks, the relay polls every `unlistenedPollMs`
   * and listens again at its next round; nothing is lost meanwhile, since each round reads the table.
   */
  private async listen(): Promise<void> {
    const client = await this.options.pool.connect();
    client.on('notification', (n) => {
      if (n.payload !== this.options.schema) return;
      this.notified = true;
      this.wake?.();
    });
    client.on('error', (err) => {
      if (this.listener !== client) return;
      this.options.logger.warn({ err }, 'outbox relay lost its LISTEN connection; polling until it is back');
      this.listener = undefined;
      client.release(err);
      this.wake?.();
    });
    try {
      await client.query('LISTEN hub_outbox');
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    this.listener = client;
  }

  /** Stop, after publishing everything committed so far. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
    await this.flush();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.query('UNLISTEN hub_outbox').catch(() => undefined);
    listener?.release();
    await this.producer?.disconnect();
  }

  /** Publish until the outbox is empty (shutdown, tests): every round from the start. */
  async flush(): Promise<void> {
    while ((await this.relayOnce({ full: true })) > 0) {
      /* keep going */
    }
  }

  /** Where this round starts reading: 0 for a full round (or none for a while), else the floor. */
  private floorFor(now: number, full: boolean): number {
    while (this.recent.length > 0 && now - this.recent[0]!.at >= this.stragglerMs) {
      this.floor = Math.max(this.floor, this.recent.shift()!.maxId);
    }
    if (full || now - this.lastFullRoundAt >= this.fullRoundMs) {
      this.lastFullRoundAt = now;
      return 0;
    }
    return this.floor;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        this.notified = false;
        if (!this.listener)
          await this.listen().catch((err) =>
            this.options.logger.warn({ err }, 'outbox relay cannot LISTEN yet; polling'),
          );
        const sent = await this.relayOnce();
        failures = 0;
        if (sent === this.batchSize || this.notified) continue;
        await this.idle(this.listener ? this.pollMs : this.unlistenedPollMs);
      } catch (err) {
        failures += 1;
        this.failures.inc({ schema: this.options.schema });
        this.options.logger.error({ err, failures }, 'outbox relay failed; retrying');
        await this.idle(backoffMs(failures, 200, 10_000));
      }
    }
  }

  private idle(ms: number): Promise<void> {
    // Stopped while a round ran (its wake-up found no idle wait to end): no wait, or stop() waits out pollMs.
    if (!this.running) return Promise.resolve();
    const pause = wakeableSleep(ms);
    this.wake = pause.wake;
    return pause.done.finally(() => {
      if (this.wake === pause.wake) this.wake = undefined;
    });
  }

  /**
   * One round: returns how many events were published. Two round trips to PostgreSQL: the transaction, its
   * asynchronous commit, its plan settings and the claim go as one simple query (no parameters: the batch size and the floor are the
   * relay's own integers), then COMMIT, or ROLLBACK when the send failed. They were four statements (BEGIN, DELETE,
   * SET LOCAL, COMMIT), and a relay round runs for every ~2.5 events.
   *
   * Each deleted row leaves its entry in the outbox's primary key until a vacuum, and a claim reading `ORDER BY id`
   * from the start walked all of them again (at 500 agency requests/s, 2,100 buffers and 5.6 ms a round for the
   * bank adapter's relay, the most expensive statement of the run). So a round reads only ids above the highest id
   * relayed by rounds at least `stragglerMs` ago. A row at or below it that is still there is one whose
   * transaction took its id before that round and committed more than `stragglerMs` later, or that another relay
   * had locked and then gave back (its send failed): every `fullRoundMs` a round reads from the start and takes
   * those too. Nothing is skipped for good; such a row is at most `fullRoundMs` later.
   */
  async relayOnce(options: { full?: boolean } = {}): Promise<number> {
    const producer = this.producer;
    if (!producer) throw new Error('relay not started');
    const startedAt = performance.now();
    const floor = this.floorFor(startedAt, options.full ?? false);
    if (!Number.isSafeInteger(floor)) throw new Error(`outbox relay floor is not an integer: ${floor}`);
    const client = await this.options.pool.connect();
    let sent: number;
    try {
      // Claimed and deleted in one statement: the rows come back if the send below fails (rollback). The
      // deletion commits without waiting for its WAL flush (0.19 ms of fdatasync per commit here): were it lost
      // in a PostgreSQL crash, its rows come back and are sent again under the same event ids, which every
      // consumer absorbs. SET LOCAL applies to this transaction only.
      // By the primary key only (enable_seqscan off, for this transaction): the outbox is small between vacuums
      // but not its heap, and PostgreSQL planned the claim as a sequential scan and a sort, and the deletion as a
      // hash join over another sequential scan (auto_explain at 600 requests/s: up to 5,000 buffers a round for
      // the query service's relay, whose table held a few hundred live rows among tens of thousands of dead).
      const results = (await client.query(
        `BEGIN; SET LOCAL synchronous_commit = off; SET LOCAL enable_seqscan = off;
         DELETE FROM outbox WHERE id = ANY(ARRAY(
           SELECT id FROM outbox ${floor > 0 ? `WHERE id > ${floor} ` : ''}ORDER BY id LIMIT ${this.batchSize}
           FOR UPDATE SKIP LOCKED))
         RETURNING id, topic, key, event_id, event_type, payload`,
      )) as unknown as { rows: OutboxRow[] }[];
      const rows = results[3]!.rows;
      rows.sort((a, b) => Number(a.id) - Number(b.id)); // RETURNING keeps no order; a key's events keep theirs
      if (rows.length > 0) {
        const byTopic = new Map<string, Message[]>();
        for (const row of rows) {
          const list = byTopic.get(row.topic) ?? [];
          list.push({
            key: row.key,
            value: row.payload,
            headers: { 'event-id': row.event_id, 'event-type': row.event_type, 'content-type': CONTENT_TYPE },
          });
          byTopic.set(row.topic, list);
        }
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      }
      await client.query('COMMIT');
      sent = rows.length;
      if (rows.length > 0) this.recent.push({ at: startedAt, maxId: Number(rows.at(-1)!.id) });
    } catch (err) {
      // Whatever failed (the claim, the send, the commit), nothing is deleted; ROLLBACK outside a transaction
      // only warns. A connection that cannot even roll back is not returned to the pool.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(rolledBack ? undefined : (err as Error));
      throw err;
    }
    client.release();
    if (sent > 0) this.published.inc({ schema: this.options.schema }, sent);
    return sent;
  }
}

export { sleep };
