import { randomBytes } from 'node:crypto';
import { ensureTopics, type Kafka } from '@hub/messaging';
import { Kafka as KafkaClient, logLevel } from 'kafkajs';
import pg from 'pg';
import { inject } from 'vitest';
import type { Endpoints } from './endpoints.js';
import './provided.js';

export function endpoints(): Endpoints {
  return inject('endpoints');
}

/**
 * Per-test-file isolation: its own schema names, topic prefix, consumer groups and Redis key prefix,
 * so that files run in parallel and re-run cleanly. `cleanup()` drops what the file created.
 */
export interface Isolation {
  /** Lowercase tag, e.g. `t3f9a1c`; used as HUB_NAMESPACE. */
  namespace: string;
  topicPrefix: string;
  redisPrefix: string;
  cleanup(): Promise<void>;
}

export function isolate(): Isolation {
  const namespace = `t${randomBytes(4).toString('hex')}`;
  const topicPrefix = `${namespace}.`;
  return {
    namespace,
    topicPrefix,
    redisPrefix: `${namespace}:`,
    async cleanup() {
      const client = new pg.Client({ connectionString: endpoints().databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ nspname: string }>(
          `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`,
          [`${namespace}\\_%`],
        );
        for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
      } finally {
        await client.end();
      }
      const kafka = new KafkaClient({ brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
      await deleteTopicsWithPrefix(kafka, topicPrefix);
    },
  };
}

export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

export { ensureTopics };
