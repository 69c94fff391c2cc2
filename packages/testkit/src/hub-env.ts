import type { AddressInfo } from 'node:net';
import { ANY_FREE_PORTS } from '@hub/service-kit';
import { endpoints, type Isolation } from './isolation.js';

/**
 * Environment for hub services under test: the real infrastructure, this file's isolation (schemas,
 * topics, consumer groups, Redis keys) and port 0 everywhere so files never collide.
 */
export function hubEnv(iso: Isolation, extra: Record<string, string> = {}): Record<string, string> {
  const e = endpoints();
  return {
    DATABASE_URL: e.databaseUrl,
    REDIS_URL: e.redisUrl,
    KAFKA_BROKERS: e.kafkaBrokers.join(','),
    HUB_NAMESPACE: iso.namespace,
    HUB_TOPIC_PREFIX: iso.topicPrefix,
    LOG_LEVEL: 'warn',
    // The demo's published credentials (court key, agency secrets, seals) unless `extra` sets real ones.
    HUB_DEMO: '1',
    // Three test files may run a whole hub each at once: ten pools of 10 came within one of PostgreSQL's 100.
    HUB_PG_POOL_SIZE: '4',
    // A test stops its services many times, and each stop may wait for the fetch in flight (3 s by default).
    HUB_KAFKA_FETCH_WAIT_MS: '500',
    ...ANY_FREE_PORTS,
    SIM_POLL_MS: '50',
    ...extra,
  };
}

/** The port a started fastify instance listens on. */
export function portOf(server: { server: { address(): AddressInfo | string | null } }): number {
  const a = server.server.address();
  if (!a || typeof a === 'string') throw new Error('server is not listening on a TCP port');
  return a.port;
}
