import { fileURLToPath } from 'node:url';
import { answerTopicFor, payloadAs, type RequestDispatched, requestTopicKey } from '@hub/contracts';
import { resultSchemaFor } from '@hub/contracts/answers';
import type { AgencyKind, Clock, Measure } from '@hub/domain';
import { InterceptionProjection } from '@hub/interception';
import { type ConsumedEvent, enqueue, type OutboxMessage, serviceRuntime } from '@hub/messaging';
import { SealVerifier, sealKeysFrom } from '@hub/seal';
import {
  createHttpServer,
  createMetricsRegistry,
  type Logger,
  registerErrorHandling,
  type ServiceApp,
  schemaName,
} from '@hub/service-kit';
import { connectClient } from '@hub/store';
import { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { AgencyAuth } from './auth.js';
import { HoldReports } from './hold-reports.js';
import { Inbox } from './inbox.js';
import { InboxListener } from './inbox-listener.js';
import { InterceptionDesk } from './interception.js';
import { InterceptionReports } from './interception-reports.js';
import { LeaseWaiters } from './long-poll.js';
import { registerOpenApi } from './openapi.js';
import { registerAgencyRoutes } from './routes.js';
import { checkSealedRequest, type SealedRequest, type SealedRequestCheck } from './sealed-request.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AdapterConfig {
  LOG_LEVEL: string;
  HUB_TIME_SCALE: number;
  HUB_CLOCK_EPOCH?: number | undefined;
  DATABASE_URL: string;
  REDIS_URL: string;
  HUB_COURT_SEAL_PUBLIC_KEYS?: string | undefined;
  /** Demo mode: unset seal keys fall back to the demo keys (HUB_DEMO, service-kit's config). */
  HUB_DEMO: boolean;
  KAFKA_BROKERS: string[];
  HUB_TOPIC_PREFIX: string;
  HUB_NAMESPACE: string;
  host: string;
  port: number;
  /** institution → signing secret */
  keys: ReadonlyMap<string, string>;
}

/**
 * An agency adapter: the hub's edge to one agency kind. Consumes that kind's requests from Kafka into
 * an inbox, serves the partner REST API over it, and publishes progress and answers via the outbox.
 */
export function buildAdapterApp(
  agency: AgencyKind,
  config: AdapterConfig,
  deps: { logger: Logger; clock: Clock },
) {
  const spec = { agency, service: `adapter-${agency}`, requestTopic: requestTopicKey(agency) };
  const logger = deps.logger.child({ svc: spec.service });
  const registry = createMetricsRegistry(spec.service);
  const runtime = serviceRuntime(spec.service, config, {
    migrationsDir: MIGRATIONS,
    logger,
    registry,
    now: () => deps.clock.now(),
  });
  const inbox = new Inbox(runtime.pool, spec.agency, runtime.events, () => deps.clock.now());
  // Long-poll leases (?wait=N): woken by migration 1005's NOTIFY through one session of their own.
  const schema = schemaName(config.HUB_NAMESPACE, spec.service);
  const waiters = new LeaseWaiters({ registry });
  const listener = new InboxListener({
    connect: () =>
      connectClient({ url: config.DATABASE_URL, schema, applicationName: `${spec.service}-inbox-listener` }),
    schema,
    waiters,
    logger,
  });
  const seals = sealKeysFrom(
    'HUB_COURT_SEAL_PUBLIC_KEYS',
    config.HUB_COURT_SEAL_PUBLIC_KEYS,
    'public',
    config.HUB_DEMO,
  );
  const verifier = new SealVerifier(seals);
  // 法释〔2013〕20号: only what its court sealed reaches an agency. A request whose seal fails, or whose
  // routing or copies disagree with the sealed notice, is dead-lettered with the reason (the screen runs
  // before the transaction) and never stored; it also fails visibly, so the notice never hangs.
  // Checked once per event: the screen's result is what the handler takes (keyed by the decoded request, which
  // the consumer hands to both). Checking twice re-encoded and hashed the sealed notice twice per request.
  const checks = new WeakMap<RequestDispatched, SealedRequestCheck>();
  const checkOf = (r: RequestDispatched) => {
    let check = checks.get(r);
    if (!check) {
      check = checkSealedRequest(spec.agency, r, (n, s) => verifier.check(n, s));
      checks.set(r, check);
    }
    return check;
  };
  const screen = (e: ConsumedEvent) => {
    const r = payloadAs(e.envelope, 'requestDispatched');
    if (!r) return undefined; // other event types on the topic are not this consumer's
    const check = checkOf(r);
    return check.ok ? undefined : { code: check.code, reason: check.reason };
  };
  runtime.consume(
    'inbox',
    [spec.requestTopic],
    async (tx, events) => {
      const sealed: SealedRequest[] = [];
      const failed: OutboxMessage[] = [];
      for (const e of events) {
        const r = payloadAs(e.envelope, 'requestDispatched');
        if (!r) continue;
        if (!e.rejected) {
          const check = checkOf(r);
          if (check.ok) sealed.push(check.request);
          continue;
        }
        logger.warn(
          { requestId: r.requestId, code: e.rejected.code, reason: e.rejected.reason },
          'request refused: it is not what the court sealed',
        );
        if (r.requestId && r.noticeId && !r.reusedFromRequestId) {
          failed.push(
            runtime.events.event(answerTopicFor(r.measure), r.noticeId, 'requestFailed', {
              requestId: r.requestId,
              noticeId: r.noticeId,
              agency: r.agency || spec.agency,
              institution: r.institution,
              code: e.rejected.code,
              reason: e.rejected.reason,
              measure: r.measure,
            }),
          );
        }
      }
      await inbox.store(tx, sealed);
      await enqueue(tx, failed);
    },
    { screen },
  );

  // No auto-pipelining: ioredis's per-turn pipelines keep their commands, replies and promises alive for well
  // over one young-generation cycle, so they are copied and promoted rather than freed young. At 5,000 checks/s
  // (2026-12-03, adapter in its own process) about 1 MB survived each scavenge with it and 48 KB without;
  // scavenges paused 7.7 ms against 2.7, and a check cost 133–139 µs of adapter CPU against 111–123. (On
  // 2026-12-02, with the adapter sharing the benchmark's process, auto-pipelining had looked the better choice.)
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableAutoPipelining: false,
  });
  redis.on('error', (err) => logger.warn({ err }, 'redis error'));
  const http = createHttpServer({
    logger,
    registry,
    readiness: [
      { name: 'postgres', check: () => runtime.readiness() },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ],
  });
  registerErrorHandling(http);
  // Before fastify waits for in-flight requests to end: a waiting lease answers now, not in 30 s.
  http.addHook('preClose', (done) => {
    waiters.close();
    done();
  });
  // Swagger must see every route: it is registered first, the routes once it has loaded.
  registerOpenApi(http, agency);
  const projection = new InterceptionProjection(redis, config.HUB_NAMESPACE);
  const checked = new Counter({
    name: 'agency_interception_subjects_checked_total',
    help: 'Subjects checked through the interception API, by whether they were restricted',
    labelNames: ['restricted'],
    registers: [registry],
  });
  const [checkedRestricted, checkedFree] = [checked.labels('true'), checked.labels('false')];
  void http.after(() =>
    registerAgencyRoutes(http, {
      auth: new AgencyAuth(config.keys, redis, `${config.HUB_NAMESPACE || 'hub'}:${spec.service}:nonce:`),
      interception: {
        desk: new InterceptionDesk(projection, agency, () => deps.clock.now()),
        reports: new InterceptionReports(runtime.pool, spec.agency, runtime.events, () => deps.clock.now()),
        counted: (n, restricted) => {
          if (restricted > 0) checkedRestricted.inc(restricted);
          if (n > restricted) checkedFree.inc(n - restricted);
        },
      },
      inbox,
      waiters,
      holdReports: new HoldReports(runtime.pool, spec.agency, runtime.events, () => deps.clock.now()),
      resultSchemaFor: (measure) => resultSchemaFor(agency, measure as Measure),
    }),
  );

  const app = {
    name: spec.service,
    http,
    runtime,
    inbox,
    projection,
    waiters,
    listener,
    async start() {
      await redis.connect();
      await runtime.start();
      await listener.start();
      await http.listen({ host: config.host, port: config.port });
      logger.info({ port: config.port }, `${spec.service} listening`);
    },
    async stop() {
      waiters.close();
      await http.close();
      await listener.stop();
      await runtime.stop();
      redis.disconnect();
    },
  } satisfies ServiceApp & Record<string, unknown>;
  return app;
}
