import type { AddressInfo } from 'node:net';
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
    GATEWAY_PORT: '0',
    GATEWAY_GRPC_PORT: '0',
    TRACKER_PORT: '0',
    TRACKER_GRPC_PORT: '0',
    QUERY_PORT: '0',
    QUERY_GRPC_PORT: '0',
    ADAPTER_BANK_PORT: '0',
    ADAPTER_REAL_ESTATE_PORT: '0',
    ADAPTER_PUBLIC_SECURITY_PORT: '0',
    ADAPTER_PROVIDENT_FUND_PORT: '0',
    AGENCY_SIM_PORT: '0',
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
