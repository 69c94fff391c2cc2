import { allTopics, TOPICS, type TopicKey, topicName } from '@hub/contracts';
import { type Logger, schemaName } from '@hub/service-kit';
import { createPool, migrate, type Pool } from '@hub/store';
import type { Registry } from 'prom-client';
import { type BatchHandler, type ConsumerOptions, IdempotentConsumer } from './consumer.js';
import { createKafka, ensureTopics, type Kafka } from './kafka.js';
import {
  MESSAGING_AFTER_MIGRATIONS_DIR,
  MESSAGING_AFTER_MIGRATIONS_TABLE,
  MESSAGING_MIGRATIONS_DIR,
} from './migrations.js';
import { type EventFactory, eventFactory } from './outbox.js';
import { type RawBatchHandler, RawConsumer } from './raw-consumer.js';
import { OutboxRelay } from './relay.js';

export interface RuntimeOptions {
  service: string;
  /** The service's own schema (DESIGN §5: no service reads another's tables). */
  schema: string;
  databaseUrl: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  /** Prefix of consumer group ids (tests isolate with it). */
  namespace: string;
  migrationsDir: string;
  /**
   * Packages' migrations (e.g. @hub/timers' TIMERS_MIGRATIONS) run into the same schema before the service's
   * own, each with its own history table, so a package table can be added to a schema already migrated.
   */
  packageMigrations?: readonly { table: string; dir: string }[];
  logger: Logger;
  registry: Registry;
  now: () => Date;
  poolSize?: number;
  /** How long its consumers' idle fetches wait at the broker (kafka.ts DEFAULT_FETCH_WAIT_MS when absent). */
  fetchWaitMs?: number;
}

/**
 * The messaging half every hub service shares: its pool and schema migrations, its Kafka client and
 * topics, the outbox relay and its idempotent consumers, started and stopped in the right order.
 */
export class MessagingRuntime {
  readonly pool: Pool;
  readonly kafka: Kafka;
  readonly events: EventFactory;
  private readonly relay: OutboxRelay;
  private readonly consumers: (IdempotentConsumer | RawConsumer)[] = [];

  constructor(private readonly options: RuntimeOptions) {
    this.pool = createPool({
      url: options.databaseUrl,
      schema: options.schema,
      max: options.poolSize ?? 10,
      applicationName: options.service,
    });
    this.pool.on('error', (err) => options.logger.error({ err }, 'idle database client failed'));
    this.kafka = createKafka({
      brokers: options.kafkaBrokers,
      clientId: options.service,
      logger: options.logger,
    });
    this.events = eventFactory({
      producer: options.service,
      topicPrefix: options.topicPrefix,
      now: options.now,
    });
    this.relay = new OutboxRelay({
      pool: this.pool,
      kafka: this.kafka,
      schema: options.schema,
      logger: options.logger,
      registry: options.registry,
    });
  }

  topic(key: TopicKey): string {
    return topicName(key, this.options.topicPrefix);
  }

  private groupId(name: string): string {
    return `${this.options.namespace ? `${this.options.namespace}.` : ''}${this.options.service}.${name}`;
  }

  /**
   * Declare a consumer group of decoded events (started by start()); `screen` dead-letters events that must
   * not be applied, `accepts` skips those the handler has no use for before any transaction.
   */
  consume(
    name: string,
    topics: TopicKey[],
    handle: BatchHandler,
    options: Pick<ConsumerOptions, 'screen' | 'accepts' | 'gatherMs' | 'order' | 'chunkSize'> = {},
  ): void {
    this.consumers.push(
      new IdempotentConsumer({
        kafka: this.kafka,
        pool: this.pool,
        groupId: this.groupId(name),
        topics: topics.map((t) => this.topic(t)),
        deadLetterTopic: this.topic('deadLetters'),
        // One kafkajs worker per partition it reads, as the catalog sets them: a fetch is applied whole.
        partitionsConsumedConcurrently: topics.reduce((n, t) => n + TOPICS[t].partitions, 0),
        handle,
        ...options,
        ...this.fetchWait(),
        logger: this.options.logger.child({ consumer: name }),
        registry: this.options.registry,
      }),
    );
  }

  /** Declare a consumer group of raw messages, kept whatever their bytes (started by start()). */
  consumeRaw(name: string, topics: TopicKey[], handle: RawBatchHandler): void {
    this.consumers.push(
      new RawConsumer({
        kafka: this.kafka,
        pool: this.pool,
        groupId: this.groupId(name),
        topics: topics.map((t) => this.topic(t)),
        handle,
        ...this.fetchWait(),
        logger: this.options.logger.child({ consumer: name }),
      }),
    );
  }

  private fetchWait(): { fetchWaitMs?: number } {
    return this.options.fetchWaitMs === undefined ? {} : { fetchWaitMs: this.options.fetchWaitMs };
  }

  /** The service's schema brought up to date (package migrations first), nothing started. */
  async migrate(): Promise<void> {
    for (const m of this.options.packageMigrations ?? []) {
      const ran = await migrate({
        url: this.options.databaseUrl,
        schema: this.options.schema,
        dirs: [m.dir],
        table: m.table,
      });
      if (ran.length > 0) this.options.logger.info({ migrations: ran }, 'migrated');
    }
    const ran = await migrate({
      url: this.options.databaseUrl,
      schema: this.options.schema,
      dirs: [MESSAGING_MIGRATIONS_DIR, this.options.migrationsDir],
    });
    ran.push(
      ...(await migrate({
        url: this.options.databaseUrl,
        schema: this.options.schema,
        dirs: [MESSAGING_AFTER_MIGRATIONS_DIR],
        table: MESSAGING_AFTER_MIGRATIONS_TABLE,
      })),
    );
    if (ran.length > 0) this.options.logger.info({ migrations: ran }, 'migrated');
  }

  async start(): Promise<void> {
    await this.migrate();
    await ensureTopics(this.kafka, allTopics(this.options.topicPrefix));
    await this.relay.start();
    for (const c of this.consumers) await c.start();
  }

  /** Stop consuming (in-flight batches finish), publish what is committed, close the pool. */
  async stop(): Promise<void> {
    // Together: each waits for its batch in flight and its fetch (up to the fetch wait), and leaves its group.
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.relay.stop();
    await this.pool.end();
  }

  async readiness(): Promise<void> {
    await this.pool.query('SELECT 1');
  }
}

/** The common variables (service-kit `commonEnv`) a runtime is built from. */
export interface RuntimeConfig {
  DATABASE_URL: string;
  /** Connections the service's pool may open (service-kit `commonEnv`; 10 when absent). */
  HUB_PG_POOL_SIZE?: number;
  /** How long an idle consumer's fetch waits at the broker, ms (service-kit `commonEnv`; 3,000 when absent). */
  HUB_KAFKA_FETCH_WAIT_MS?: number;
  KAFKA_BROKERS: string[];
  HUB_TOPIC_PREFIX: string;
  HUB_NAMESPACE: string;
}

/** A service's runtime from its parsed configuration: its own schema, topics and consumer groups. */
export function serviceRuntime(
  service: string,
  config: RuntimeConfig,
  deps: Pick<RuntimeOptions, 'migrationsDir' | 'packageMigrations' | 'logger' | 'registry' | 'now'>,
): MessagingRuntime {
  return new MessagingRuntime({
    service,
    schema: schemaName(config.HUB_NAMESPACE, service),
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    topicPrefix: config.HUB_TOPIC_PREFIX,
    namespace: config.HUB_NAMESPACE,
    ...(config.HUB_PG_POOL_SIZE === undefined ? {} : { poolSize: config.HUB_PG_POOL_SIZE }),
    ...(config.HUB_KAFKA_FETCH_WAIT_MS === undefined ? {} : { fetchWaitMs: config.HUB_KAFKA_FETCH_WAIT_MS }),
    ...deps,
  });
}
