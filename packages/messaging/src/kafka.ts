import type { Logger } from '@hub/service-kit';
import { type Admin, type Consumer, type EachBatchPayload, Kafka, type LogEntry, logLevel } from 'kafkajs';
import { applyKafkajsIdleFix } from './kafkajs-idle-fix.js';

export type { Kafka } from 'kafkajs';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  applyKafkajsIdleFix();
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    // Patient enough for a broker that is still settling a new topic's leadership or its group coordinator
    // (a fresh broker, a loaded machine): about a minute of backoff before a call gives up.
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        // kafkajs reports transient conditions it retries itself (coordinator moving, leader election)
        // as errors; the failures that matter surface as thrown errors in our code, so cap at warn.
        const mapped = LEVELS[level] ?? 'info';
        log[mapped === 'error' ? 'warn' : mapped](rest, message);
      },
  });
}

/**
 * Create the hub's topics up front (KRaft: subscribing to a missing topic throws; kafkajs#1563) and wait
 * until every partition has a leader. Several services (or test files) may race to create the same
 * topics: kafkajs's own waitForLeaders fails in that race with UNKNOWN_TOPIC_OR_PARTITION, so creation
 * does not wait and readiness is polled from metadata instead.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: { topic: string; numPartitions: number }[],
  timeoutMs = 30_000,
): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.numPartitions,
            replicationFactor: 1,
          })),
        });
      } catch (err) {
        if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
      }
    }
    const names = topics.map((t) => t.topic);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics: names });
        const ready = meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        if (ready && meta.length === names.length) return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline)
        throw new Error(`topics have no leaders after ${timeoutMs} ms: ${names.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

/** A running consumer group member; `disconnect` stops it for good (a pending restart included). */
export interface BatchConsumer {
  disconnect(): Promise<void>;
}

/**
 * A consumer group member that hands whole batches to `eachBatch`, which resolves offsets itself: the
 * settings every hub consumer shares (no topic auto-creation, a new group reads from the earliest offset).
 *
 * Offsets are committed together, at most once per `commitIntervalMs` (kafkajs would send one OffsetCommit
 * after every partition's batch: half of all the hub's Kafka requests, and the broker writes each one to its
 * offsets log). `eachBatch` resolves offsets and calls `commitOffsetsIfNecessary` as usual; the offsets it
 * resolved are committed in one request when the interval ends, and at once while the consumer stops (after
 * the batch in flight, before it leaves its group). Offsets resolved but not yet committed when a process
 * dies are delivered again, which every hub consumer absorbs (processed_events, unique keys).
 *
 * kafkajs restarts a consumer after a retriable failure but leaves it stopped after one it calls
 * non-retriable, such as "Failed to find group coordinator" while a fresh broker is still creating its
 * offsets topic: a consumer that silently stops is a hub that silently stops, so it is restarted here too,
 * with backoff, until `disconnect` is called. The crash is logged, never swallowed.
 */
/**
 * How long an idle consumer's fetch waits at the broker for a first record (Kafka's fetch.max.wait): the idle
 * hub's wake-ups are mostly these fetches, a dozen groups in one process. No latency rides on it (a fetch returns
 * at its first record); what does is the time a stopping consumer waits for its fetch in flight, and the time an
 * idle member takes to notice a rebalance (its heartbeat goes between fetches). Kept under the 10 s session.
 * Services read it from HUB_KAFKA_FETCH_WAIT_MS (service-kit commonEnv).
 */
export const DEFAULT_FETCH_WAIT_MS = 3000;

export async function startBatchConsumer(
  kafka: Kafka,
  options: {
    groupId: string;
    topics: string[];
    partitionsConsumedConcurrently: number;
    eachBatch: (payload: EachBatchPayload) => Promise<void>;
    logger?: Logger;
    /** Resolved offsets wait at most this long to be committed (default 250 ms). */
    commitIntervalMs?: number;
    /** How long an idle fetch waits at the broker (default {@link DEFAULT_FETCH_WAIT_MS}); see below. */
    fetchWaitMs?: number;
  },
): Promise<BatchConsumer> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 10_000,
    // kafkajs heartbeats between fetches once this long has passed: every 3 s (a third of the session, Kafka's
    // advice) rather than after every idle fetch, a third of what an idle consumer sends. A rebalance is noticed
    // on the next heartbeat, so a member joins a changed group up to 3 s later.
    heartbeatInterval: 3000,
    // A fetch returns as soon as one record arrives (minBytes 1), so this long wait adds no latency; it only
    // sets how often an idle consumer asks (every 3 s by default, not ten times a second: with a dozen consumer
    // groups in one process, the idle hub's largest cost). A stopping consumer may wait for its fetch that long.
    maxWaitTimeInMs: options.fetchWaitMs ?? DEFAULT_FETCH_WAIT_MS,
    allowAutoTopicCreation: false,
  });
  const committer = new OffsetCommitter(consumer, options.commitIntervalMs ?? 250, options.logger);
  const run = async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    await consumer.run({
      // Committed by the OffsetCommitter, not by kafkajs after every batch.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      eachBatch: (payload) => options.eachBatch(committer.wrap(payload)),
    });
  };
  let stopped = false;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  const restartLater = (cause: unknown) => {
    if (stopped) return;
    const delayMs = Math.min(30_000, 500 * 2 ** Math.min(restarts++, 6));
    options.logger?.error(
      { err: cause, groupId: options.groupId, delayMs },
      'consumer stopped on a failure kafkajs does not retry; restarting it',
    );
    timer = setTimeout(() => {
      if (!stopped) run().catch(restartLater);
    }, delayMs);
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    // kafkajs restarts it itself after a retriable failure; otherwise it is left stopped.
    if (!payload.restart) restartLater(payload.error);
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    restarts = 0;
    committer.keepOnly(payload.memberAssignment);
  });
  try {
    await run();
  } catch (err) {
    stopped = true;
    await consumer.disconnect().catch(() => undefined); // the start failure is what matters
    throw err;
  }
  return {
    async disconnect() {
      stopped = true;
      clearTimeout(timer);
      await committer.stopping();
      await consumer.disconnect();
    },
  };
}

type TopicPartitionOffset = { topic: string; partition: number; offset: string };

/** Gathers the offsets a consumer's batches resolve and commits them together (see startBatchConsumer). */
class OffsetCommitter {
  /** The next offset to read, per topic and partition, resolved since the last commit. */
  private readonly pending = new Map<string, TopicPartitionOffset>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly intervalMs: number,
    private readonly logger: Logger | undefined,
  ) {}

  /** The batch payload, its offsets recorded here and its commit deferred to this committer. */
  wrap(payload: EachBatchPayload): EachBatchPayload {
    const { topic, partition } = payload.batch;
    return {
      ...payload,
      resolveOffset: (offset: string) => {
        payload.resolveOffset(offset);
        this.pending.set(`${topic}\u0000${partition}`, {
          topic,
          partition,
          offset: (BigInt(offset) + 1n).toString(),
        });
      },
      commitOffsetsIfNecessary: async () => {
        // While stopping, the batch in flight commits before kafkajs leaves the group.
        if (this.stopped) await this.commit();
        else this.timer ??= setTimeout(() => void this.commit(), this.intervalMs);
      },
    };
  }

  /** After a rebalance: forget what was resolved for partitions this member no longer owns. */
  keepOnly(assignment: Record<string, number[]>): void {
    for (const [key, { topic, partition }] of this.pending)
      if (!assignment[topic]?.includes(partition)) this.pending.delete(key);
  }

  /** Commit what is resolved now; from here on, every batch commits when it ends. */
  async stopping(): Promise<void> {
    this.stopped = true;
    await this.commit();
  }

  private async commit(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      // A rebalance or a stop got there first: the events since the last commit are delivered again.
      this.logger?.warn({ err, partitions: offsets.length }, 'offset commit failed; later events come again');
    }
  }
}
