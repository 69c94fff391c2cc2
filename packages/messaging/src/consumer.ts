import { type EventEnvelope, encodeEnvelope } from '@hub/contracts';
import type { Logger } from '@hub/service-kit';
import { type Pool, type PoolClient, withTransaction, withTransactionOpening } from '@hub/store';
import {
  type EachBatchPayload,
  type IHeaders,
  type Kafka,
  type KafkaMessage,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { type BatchConsumer, startBatchConsumer } from './kafka.js';
import { readEnvelope, UUID } from './read-envelope.js';
import { isRetryable, wakeableSleep, withRetries } from './retry.js';

export interface ConsumedEvent {
  envelope: EventEnvelope;
  topic: string;
  partition: number;
  offset: string;
  /**
   * Set when the consumer's screen refused the event: it has been dead-lettered with this reason and
   * must not be applied. The handler still sees it, in the same transaction, so that it can announce the
   * failure (e.g. a RequestFailed) and nothing waits on the event for ever.
   */
  rejected?: Rejection;
}

/** Why an event is refused before it is applied (a stable code and a reason for the dead-letter topic). */
export interface Rejection {
  code: string;
  reason: string;
}

/**
 * A pure check run on every decoded event before its transaction (e.g. does the court's seal verify and
 * does the event say only what the seal covers?): an event it rejects goes to the dead-letter topic.
 */
export type Screen = (event: ConsumedEvent) => Rejection | undefined;

/**
 * A pure test of whether the handler could act on an event at all (e.g. is it about one of this service's
 * measures?). An event it declines is skipped before any transaction: not screened, not recorded in
 * processed_events, not handed to the handler. Only for events the handler would ignore anyway; an error
 * thrown here keeps the event (the handler decides).
 */
export type Accepts = (event: ConsumedEvent) => boolean;

/** Applies a batch of not-yet-processed events inside the transaction that records them as processed. */
export type BatchHandler = (tx: PoolClient, events: ConsumedEvent[]) => Promise<void>;

/**
 * One consumer group for several topics, one handler per topic (full topic names): each handler gets its own
 * topic's events of the batch, in order, in the batch's transaction. Low-volume streams of one service share a
 * group this way: every group fetches and heartbeats on its own, which is most of what an idle hub does.
 */
export function byTopic(handlers: ReadonlyMap<string, BatchHandler>): BatchHandler {
  return async (tx, events) => {
    const groups = new Map<string, ConsumedEvent[]>();
    for (const e of events) {
      const list = groups.get(e.topic);
      if (list) list.push(e);
      else groups.set(e.topic, [e]);
    }
    for (const [topic, list] of groups) {
      const handle = handlers.get(topic);
      if (!handle) throw new Error(`no handler for topic ${topic}`);
      await handle(tx, list);
    }
  };
}

export interface ConsumerOptions {
  kafka: Kafka;
  pool: Pool;
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  handle: BatchHandler;
  /** Refuses events that must never be applied; see {@link Screen}. */
  screen?: Screen;
  /** Skips events the handler has no use for before any transaction; see {@link Accepts}. */
  accepts?: Accepts;
  logger: Logger;
  registry?: Registry;
  /** Events per database transaction. */
  chunkSize?: number;
  /**
   * Where an event goes among the events of one fetch, lowest first (then as they came): by default its
   * topic's position in `topics`. A consumer whose events of one fetch span more than one chunk puts an
   * effect after its causes, so that no transaction commits the effect without them.
   */
  order?: (event: ConsumedEvent) => number;
  /** Tries for a retryable failure before the consumer gives the batch back to Kafka. */
  maxAttempts?: number;
  /** Partitions this consumer reads in all: one kafkajs worker each (default {@link PARTITIONS_PER_TOPIC} a topic). */
  partitionsConsumedConcurrently?: number;
  /**
   * Batches gathered in time, for a consumer nobody waits on (the read model): after a fetch that brought events,
   * the next one is asked for no sooner than this many milliseconds after it came, so that a busy stream is applied
   * as one batch (one transaction, one firing of each statement trigger) per window instead of one per arrival.
   * The first events after a quiet spell are applied as they come; an idle consumer long-polls like any other
   * (`fetchWaitMs`). It replaced a wait at the broker (fetch.min.bytes with a 500 ms fetch.max.wait), which made
   * the idle read model ask twice a second: the largest idle cost of the tracker's process.
   */
  gatherMs?: number;
  /** How long an idle fetch waits at the broker (kafka.ts DEFAULT_FETCH_WAIT_MS when absent). */
  fetchWaitMs?: number;
}

/**
 * Partitions of a topic when a consumer is not told how many it reads (the catalog's default, @hub/contracts
 * TOPICS): kafkajs runs one worker per partition batch of a fetch, so that every batch of a fetch is handed over
 * in the same turn and applied together, in order. kafkajs wakes each worker once per fetch, so there are as
 * many as the consumer's partitions, not a round number above any of them.
 */
export const PARTITIONS_PER_TOPIC = 8;

type Undecodable = { raw: KafkaMessage; topic: string; partition: number; error: unknown };

/**
 * An idempotent batch consumer: every Kafka batch is applied in chunks, each in one PostgreSQL
 * transaction that first records the events' ids in processed_events (a unique key, not a
 * read-then-write) and applies only those not seen before. Offsets are committed after the
 * transaction, so a crash re-delivers and the processed record makes the replay a no-op.
 *
 * Failures: retryable ones (table in retry.ts) back off and retry; others are isolated by applying the
 * chunk one event at a time, and the failing event goes to the dead-letter topic with its reason. A
 * message that is no event (readEnvelope: empty, not protobuf, no event id, unknown type) goes there
 * directly, with its original bytes and headers and the problem as `dlq-error-code`.
 * An event the screen rejects goes to the dead-letter topic before its chunk's transaction (no network
 * call inside a transaction) and reaches the handler marked `rejected`: sent at least once, applied never.
 */
export class IdempotentConsumer {
  private consumer: BatchConsumer | undefined;
  private dlqProducer: Producer | undefined;
  private readonly consumed: Counter;
  private readonly deadLettered: Counter;
  /** Events of partitions consumed at the same moment, applied together once this turn of the loop ends. */
  private gathering: { events: ConsumedEvent[]; applied: Promise<void> } | undefined;
  /** Ends the pause before the next fetch of a gathering consumer at once (stop). */
  private endPause: (() => void) | undefined;
  private stopping = false;

  constructor(private readonly options: ConsumerOptions) {
    const registers = options.registry ? [options.registry] : [];
    // Several consumer groups of one service share its registry, and so these counters.
    const existing = (name: string) => options.registry?.getSingleMetric(name) as Counter | undefined;
    this.consumed =
      existing('hub_events_consumed_total') ??
      new Counter({
        name: 'hub_events_consumed_total',
        help: 'Events applied by idempotent consumers (duplicates excluded)',
        labelNames: ['group', 'topic'],
        registers,
      });
    this.deadLettered =
      existing('hub_events_dead_lettered_total') ??
      new Counter({
        name: 'hub_events_dead_lettered_total',
        help: 'Events sent to the dead-letter topic',
        labelNames: ['group', 'topic'],
        registers,
      });
  }

  async start(): Promise<void> {
    this.stopping = false;
    const { kafka, groupId, topics } = this.options;
    this.dlqProducer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.dlqProducer.connect();
    this.consumer = await startBatchConsumer(kafka, {
      groupId,
      topics,
      // Every partition of a fetch at once, their events applied together (applyTogether).
      partitionsConsumedConcurrently:
        this.options.partitionsConsumedConcurrently ?? PARTITIONS_PER_TOPIC * topics.length,
      eachBatch: (payload) => this.eachBatch(payload),
      logger: this.options.logger,
      ...(this.options.fetchWaitMs === undefined ? {} : { fetchWaitMs: this.options.fetchWaitMs }),
    });
  }

  /** Stop fetching; the batch in flight finishes and commits first (kafkajs disconnect waits for it). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.endPause?.();
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
    this.consumer = undefined;
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const events: ConsumedEvent[] = [];
    for (const raw of batch.messages) {
      try {
        events.push({
          envelope: readEnvelope(raw.value),
          topic: batch.topic,
          partition: batch.partition,
          offset: raw.offset,
        });
        if (raw.headers) kafkaHeaders.set(events.at(-1)!, raw.headers);
      } catch (error) {
        await this.deadLetter({ raw, topic: batch.topic, partition: batch.partition, error });
      }
    }
    const kept = this.accepted(events);
    if (kept.length > 0) {
      await this.screen(kept);
      await this.applyTogether(kept, heartbeat);
    }
    resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    await heartbeat();
    await commitOffsetsIfNecessary();
  }

  /**
   * Batch every hop: kafkajs hands each partition's batch over separately, all of a fetch at the same moment
   * (one worker per partition, {@link PARTITIONS_PER_TOPIC}). Their events are gathered until this turn of the
   * event loop ends (setImmediate), put in order, and applied in as few transactions as the chunk size allows,
   * instead of one transaction (and one commit) per partition: at a moderate rate, eight partitions of a few
   * events each cost one commit, not eight.
   *
   * Order: each partition's order is kept (kafkajs gives a partition's next batch only after this one
   * resolves). Across topics, a fetch is applied as a whole in the consumer's {@link ConsumerOptions.order},
   * by default the order it lists its topics in. A fetch that was applied in several parts, as the partitions
   * a few workers took first, could apply an effect before its cause when both landed in one fetch: the read
   * model showed a notice completed before any of its requests (seen in CI once the read model gathered
   * half-second fetches).
   */
  private applyTogether(events: ConsumedEvent[], heartbeat: () => Promise<void>): Promise<void> {
    if (!this.gathering) {
      const gathering = { events: [] as ConsumedEvent[], applied: Promise.resolve() };
      const gatherMs = this.options.gatherMs ?? 0;
      const came = gatherMs > 0 ? performance.now() : 0;
      gathering.applied = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        if (this.gathering === gathering) this.gathering = undefined;
        const topics = this.options.topics;
        const rank = this.options.order ?? ((e: ConsumedEvent) => topics.indexOf(e.topic));
        const all = gathering.events
          .map((e, i) => ({ e, i, r: rank(e) }))
          .sort((a, b) => a.r - b.r || a.i - b.i)
          .map((x) => x.e);
        const chunkSize = this.options.chunkSize ?? 500;
        for (let i = 0; i < all.length; i += chunkSize) {
          if (i > 0) await heartbeat();
          await this.apply(all.slice(i, i + chunkSize));
        }
        // Only a gathering consumer holds its fetch; the others hand the next fetch over at once, as before.
        if (gatherMs > 0) await this.pauseUntil(came + gatherMs);
      });
      this.gathering = gathering;
    }
    this.gathering.events.push(...events);
    return this.gathering.applied;
  }

  /** Holds this fetch's batches (and so the next fetch) until `at` (performance.now()), unless stopping. */
  private pauseUntil(at: number): Promise<void> {
    const ms = at - performance.now();
    if (ms <= 0 || this.stopping) return Promise.resolve();
    const pause = wakeableSleep(ms);
    this.endPause = pause.wake;
    return pause.done.finally(() => {
      if (this.endPause === pause.wake) this.endPause = undefined;
    });
  }

  private async apply(events: ConsumedEvent[]): Promise<void> {
    try {
      await withRetries(() => this.applyOnce(events), {
        maxAttempts: this.options.maxAttempts ?? 8,
        onRetry: (err, attempt) =>
          this.options.logger.warn({ err, attempt }, 'retryable failure applying events; backing off'),
      });
    } catch (err) {
      if (isRetryable(err)) throw err; // out of tries: Kafka re-delivers later
      if (events.length > 1) {
        // Isolate the poison: apply one by one so the good events still land.
        for (const event of events) await this.apply([event]);
        return;
      }
      const event = events[0]!;
      await this.deadLetter(deadLetterOf(event, err));
    }
  }

  private accepted(events: ConsumedEvent[]): ConsumedEvent[] {
    const accepts = this.options.accepts;
    if (!accepts) return events;
    return events.filter((event) => {
      try {
        return accepts(event);
      } catch {
        return true;
      }
    });
  }

  /** Mark and dead-letter what the screen rejects; an event already applied was dead-lettered then. */
  private async screen(events: ConsumedEvent[]): Promise<void> {
    const screen = this.options.screen;
    if (!screen) return;
    for (const event of events) {
      try {
        event.rejected = screen(event);
      } catch (err) {
        event.rejected = { code: 'SCREEN_FAILED', reason: String((err as Error)?.message ?? err) };
      }
    }
    const rejected = events.filter((e) => e.rejected);
    if (rejected.length === 0) return;
    const { rows } = await this.options.pool.query<{ event_id: string }>(
      'SELECT event_id FROM processed_events WHERE event_id = ANY($1::uuid[])',
      [rejected.map((e) => e.envelope.eventId)],
    );
    const applied = new Set(rows.map((r) => r.event_id));
    for (const event of rejected) {
      if (applied.has(event.envelope.eventId)) continue;
      const { code, reason } = event.rejected!;
      await this.deadLetter(deadLetterOf(event, Object.assign(new Error(reason), { code })));
    }
  }

  /**
   * One transaction: record the events' ids in processed_events (what was recorded before is not applied
   * again), then hand the fresh ones to the handler. The insert goes with the BEGIN, ids written as literals:
   * every one was matched against the UUID pattern when its envelope was read, and is again here.
   */
  private applyOnce(events: ConsumedEvent[]): Promise<void> {
    const ids = events.map((e) => e.envelope.eventId);
    const apply = async (tx: PoolClient, recorded: { event_id: string }[]) => {
      const fresh = new Set(recorded.map((r) => r.event_id));
      // A redelivered event (or the same event twice in one batch) is applied once.
      const todo = events.filter((e) => fresh.delete(e.envelope.eventId));
      if (todo.length === 0) return;
      await this.options.handle(tx, todo);
      for (const e of todo) this.consumed.inc({ group: this.options.groupId, topic: e.topic });
    };
    if (!ids.every((id) => UUID.test(id))) {
      // Not reached (read-envelope refuses such events): the parameterised statement, which refuses them too.
      return withTransaction(this.options.pool, async (tx) => {
        const { rows } = await tx.query<{ event_id: string }>(
          `INSERT INTO processed_events (event_id) SELECT unnest($1::uuid[])
           ON CONFLICT DO NOTHING RETURNING event_id`,
          [ids],
        );
        await apply(tx, rows);
      });
    }
    return withTransactionOpening<void, { event_id: string }>(
      this.options.pool,
      `INSERT INTO processed_events (event_id) VALUES ${ids.map((id) => `('${id}'::uuid)`).join(', ')}
       ON CONFLICT DO NOTHING RETURNING event_id`,
      (tx, opened) => apply(tx, opened.rows),
    );
  }

  private async deadLetter(item: Undecodable & { envelope?: EventEnvelope }): Promise<void> {
    const error = item.error as Error;
    if (item.topic === this.options.deadLetterTopic) {
      // A reader of the dead-letter topic itself: re-sending there would loop forever. Log and move on.
      this.options.logger.error({ err: error, offset: item.raw.offset }, 'unreadable dead letter skipped');
      return;
    }
    this.options.logger.error(
      {
        err: error,
        topic: item.topic,
        partition: item.partition,
        offset: item.raw.offset,
        eventType: item.envelope?.type,
      },
      'event dead-lettered',
    );
    const value = item.raw.value ?? (item.envelope ? encodeEnvelope(item.envelope) : null);
    await this.dlqProducer!.send({
      topic: this.options.deadLetterTopic,
      messages: [
        {
          key: item.raw.key ?? null,
          value,
          // The original headers travel with it (event-id, event-type…); the reasons are added after them.
          headers: {
            ...item.raw.headers,
            'dlq-source-topic': item.topic,
            'dlq-source-partition': String(item.partition),
            'dlq-source-offset': item.raw.offset,
            'dlq-consumer-group': this.options.groupId,
            'dlq-error': String(error?.message ?? error).slice(0, 500),
            'dlq-error-code': String((error as { code?: unknown })?.code ?? ''),
          },
        },
      ],
    });
    this.deadLettered.inc({ group: this.options.groupId, topic: item.topic });
  }
}

/** A decoded event on its way to the dead-letter topic: re-encoded from its envelope, with its headers. */
function deadLetterOf(event: ConsumedEvent, error: unknown): Undecodable & { envelope: EventEnvelope } {
  return {
    raw: {
      key: Buffer.from(event.envelope.noticeId),
      value: null,
      offset: event.offset,
      headers: kafkaHeaders.get(event) ?? {},
    } as KafkaMessage,
    envelope: event.envelope,
    topic: event.topic,
    partition: event.partition,
    error,
  };
}

/**
 * Each consumed event's Kafka headers as they came (event-id, event-type, …), for the dead-letter copy only:
 * kept aside rather than converted to text for every event (1 % of the hub's CPU at 150 requests/s).
 */
const kafkaHeaders = new WeakMap<ConsumedEvent, IHeaders>();
