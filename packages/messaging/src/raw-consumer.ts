import type { Logger } from '@hub/service-kit';
import { type Pool, type PoolClient, withTransaction } from '@hub/store';
import type { EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { type BatchConsumer, startBatchConsumer } from './kafka.js';
import { withRetries } from './retry.js';

/** A Kafka message exactly as it was read: nothing decoded, nothing dropped. */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Every header value, in order (Kafka allows a name more than once). */
  headers: { name: string; value: Buffer }[];
  /** The broker's timestamp, ms since the epoch as text. */
  timestamp: string;
}

/**
 * Applies a batch of raw messages in one transaction. It must be idempotent by itself (a unique key on
 * topic, partition and offset): there is no envelope and so no event id to de-duplicate by.
 */
export type RawBatchHandler = (tx: PoolClient, messages: RawMessage[]) => Promise<void>;

export interface RawConsumerOptions {
  kafka: Kafka;
  pool: Pool;
  groupId: string;
  topics: string[];
  handle: RawBatchHandler;
  logger: Logger;
  chunkSize?: number;
  maxAttempts?: number;
  /** How long an idle fetch waits at the broker (kafka.ts DEFAULT_FETCH_WAIT_MS when absent). */
  fetchWaitMs?: number;
}

/**
 * A batch consumer for the end of the line, where every message must be kept whatever its bytes (the
 * dead-letter topic): each chunk is handed over undecoded and committed with its effect, offsets after.
 * There is nowhere further to send a message that fails, so a failure is never skipped: it is logged and
 * the batch is given back to Kafka, which re-delivers it.
 */
export class RawConsumer {
  private consumer: BatchConsumer | undefined;

  constructor(private readonly options: RawConsumerOptions) {}

  async start(): Promise<void> {
    this.consumer = await startBatchConsumer(this.options.kafka, {
      groupId: this.options.groupId,
      topics: this.options.topics,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload),
      logger: this.options.logger,
      ...(this.options.fetchWaitMs === undefined ? {} : { fetchWaitMs: this.options.fetchWaitMs }),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const chunkSize = this.options.chunkSize ?? 500;
    for (let i = 0; i < batch.messages.length; i += chunkSize) {
      if (!isRunning() || isStale()) break;
      const chunk = batch.messages.slice(i, i + chunkSize);
      const messages: RawMessage[] = chunk.map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key ?? null,
        value: m.value ?? null,
        headers: headerList(m.headers),
        timestamp: m.timestamp,
      }));
      try {
        await withRetries(
          () => withTransaction(this.options.pool, (tx) => this.options.handle(tx, messages)),
          {
            maxAttempts: this.options.maxAttempts ?? 8,
            onRetry: (err, attempt) =>
              this.options.logger.warn({ err, attempt }, 'retryable failure recording messages; backing off'),
          },
        );
      } catch (err) {
        this.options.logger.error(
          { err, topic: batch.topic, partition: batch.partition, offset: chunk[0]!.offset },
          'could not record messages; Kafka will deliver them again',
        );
        throw err;
      }
      resolveOffset(chunk[chunk.length - 1]!.offset);
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
  }
}

function headerList(headers: IHeaders | undefined): RawMessage['headers'] {
  const out: RawMessage['headers'] = [];
  for (const [name, v] of Object.entries(headers ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one === undefined) continue;
      out.push({ name, value: Buffer.isBuffer(one) ? one : Buffer.from(one) });
    }
  }
  return out;
}
