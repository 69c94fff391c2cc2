import type { FastifyInstance } from 'fastify';
import type { PunishmentClient } from '../adapters/punishment-client.js';
import { parsePublicListQuery, publicListingToBody } from '../public-list.js';
import { PUBLIC_LIST_DOCS } from './openapi.js';

export interface PublicRouteDeps {
  punishment: Pick<PunishmentClient, 'searchPublicList'>;
  /** Searches per client IP per minute (GATEWAY_PUBLIC_RATE_LIMIT_PER_MINUTE). */
  publicPerMinute: number;
}

/**
 * Routes anyone may call, without credentials. Each is rate-limited per client IP through Redis (shared by
 * every gateway instance; 429 RATE_LIMITED with Retry-After), and no answer is cached on the way: a listing
 * removed must stop showing at once (法释〔2017〕7号 art. 10).
 */
export function registerPublicRoutes(app: FastifyInstance, deps: PublicRouteDeps): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  /** 失信被执行人名单: live listings by exact name, narrowed by the ID's first characters. */
  app.get(
    '/v1/public/dishonest',
    {
      schema: PUBLIC_LIST_DOCS,
      // No HEAD twin: fastify's would run the same search under a rate limit of its own (30 more a minute).
      exposeHeadRoute: false,
      config: {
        rateLimit: { max: deps.publicPerMinute, timeWindow: 60_000, keyGenerator: (request) => request.ip },
      },
    },
    async (request) => {
      const query = parsePublicListQuery(request.query);
      const listings = await deps.punishment.searchPublicList({
        name: query.name,
        idPrefix: query.idPrefix ?? '',
        limit: query.limit,
      });
      return { listings: listings.slice(0, query.limit).map(publicListingToBody) };
    },
  );
}
