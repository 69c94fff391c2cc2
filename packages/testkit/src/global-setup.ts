import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import {
  canConnect,
  DEFAULT_DATABASE_URL,
  DEFAULT_KAFKA,
  DEFAULT_REDIS_URL,
  dockerAvailable,
  localKafkaScript,
} from './endpoints.js';

type Stop = () => Promise<void>;

/**
 * Real infrastructure for the whole test run, found in this order: endpoints given in the environment
 * (KAFKA_BROKERS, DATABASE_URL, REDIS_URL); services already listening on their standard local ports;
 * for Kafka, the project's own broker script; and finally testcontainers where a Docker engine exists.
 * Never a mock.
 */
export default async function setup(project: TestProject): Promise<Stop> {
  const stops: Stop[] = [];
  const kafkaBrokers = await resolveKafka(stops);
  const databaseUrl = await resolveService('DATABASE_URL', DEFAULT_DATABASE_URL, 'postgresql', stops);
  const redisUrl = await resolveService('REDIS_URL', DEFAULT_REDIS_URL, 'redis', stops);
  project.provide('endpoints', { kafkaBrokers, databaseUrl, redisUrl });
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

async function resolveKafka(stops: Stop[]): Promise<string[]> {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS.split(',');
  if (await canConnect(DEFAULT_KAFKA)) return [DEFAULT_KAFKA];
  const script = localKafkaScript();
  if (script) {
    const started = spawnSync('bash', [script, 'start'], { stdio: 'inherit' });
    if (started.status !== 0) throw new Error(`could not start the local Kafka broker (${script} start)`);
    stops.push(async () => {
      spawnSync('bash', [script, 'stop'], { stdio: 'inherit' });
    });
    return [DEFAULT_KAFKA];
  }
  if (dockerAvailable()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('apache/kafka:4.1.1').start();
    stops.push(async () => void (await container.stop()));
    return [`${container.getHost()}:${container.getMappedPort(9093)}`];
  }
  throw new Error(
    'no Kafka: set KAFKA_BROKERS, run `npm run kafka:start`, or install Java 17 + Maven, or Docker',
  );
}

async function resolveService(
  variable: 'DATABASE_URL' | 'REDIS_URL',
  fallback: string,
  kind: 'postgresql' | 'redis',
  stops: Stop[],
): Promise<string> {
  const fromEnv = process.env[variable];
  if (fromEnv) return fromEnv;
  if (await canConnect(fallback)) return fallback;
  if (dockerAvailable()) {
    if (kind === 'postgresql') {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const c = await new PostgreSqlContainer('postgres:16-alpine').start();
      stops.push(async () => void (await c.stop()));
      return c.getConnectionUri();
    }
    const { RedisContainer } = await import('@testcontainers/redis');
    const c = await new RedisContainer('redis:7-alpine').start();
    stops.push(async () => void (await c.stop()));
    return c.getConnectionUrl();
  }
  throw new Error(`${variable}: nothing answers at ${fallback}; start ${kind} there or set ${variable}`);
}
