import { Server } from '@grpc/grpc-js';
import { type PublicListing, type PunishmentServiceServer, PunishmentServiceService } from '@hub/contracts';
import { type Clock, DISHONEST_GROUNDS, HubError, isDishonestGround } from '@hub/domain';
import { type Logger, unary } from '@hub/service-kit';
import type { Pool } from '@hub/store';
import { caseRestrictions } from '../case-restrictions.js';
import { fitsVisibleId, visibleIdPattern } from '../domain/public-list.js';
import { checkPunishments, checkResultOf } from '../intake.js';

const PUBLIC_LIMIT = 50;

/**
 * The punishment service's API for the gateway: admission of punishment notices before they are stored, a
 * case's listings and restrictions (its own court only), and the public list of live listings.
 */
export function createPunishmentGrpcServer(deps: { pool: Pool; clock: Clock; logger: Logger }): Server {
  const impl: PunishmentServiceServer = {
    checkPunishments: unary(deps.logger, async (call) => {
      const admissions = await checkPunishments(deps.pool, call.request.notices, deps.clock.now());
      return { results: admissions.map(checkResultOf) };
    }),
    getCaseRestrictions: unary(deps.logger, async (call) => {
      const { caseNo, courtCode } = call.request;
      const now = deps.clock.now();
      const restrictions = await caseRestrictions(deps.pool, caseNo, courtCode, now);
      if (!restrictions)
        throw new HubError('NOT_FOUND', [{ path: 'caseNo', code: 'NO_RESTRICTION_FOR_CASE' }]);
      return { caseNo, generatedAt: now, restrictions };
    }),
    searchPublicList: unary(deps.logger, async (call) => {
      const { name, idPrefix } = call.request;
      const limit = Math.min(Math.max(call.request.limit || PUBLIC_LIMIT, 1), PUBLIC_LIMIT);
      if (!name.trim()) return { listings: [] };
      // Live listings of debtors only: never one being deleted, deleted or past its term (法释〔2017〕7号 art. 10).
      const { rows } = await deps.pool.query<{
        public_name: string;
        public_id: string;
        court_code: string;
        court_name: string;
        case_no: string;
        grounds: string[];
        since: Date;
        debtor_kind: string;
        public_representative: string | null;
      }>(
        `SELECT public_name, public_id, court_code, court_name, case_no, grounds, since, debtor_kind,
                public_representative
         FROM entries
         WHERE public_name = $1 AND state = 'live' AND measure = 'dishonest-list' AND role = 'debtor'
           AND (ends_at IS NULL OR ends_at > $2) AND public_id ~ $3
         ORDER BY since DESC, id
         LIMIT $4`,
        [name.trim(), deps.clock.now(), visibleIdPattern(idPrefix), limit],
      );
      const listings: PublicListing[] = rows
        .filter((r) => fitsVisibleId(r.public_id, idPrefix))
        .slice(0, limit)
        .map((r) => {
          const ground = r.grounds[0] ?? '';
          return {
            name: r.public_name,
            idMasked: r.public_id,
            courtCode: r.court_code,
            courtName: r.court_name,
            caseNo: r.case_no,
            ground,
            groundZh: isDishonestGround(ground) ? DISHONEST_GROUNDS[ground].zh : '',
            listedAt: r.since,
            debtorKind: r.debtor_kind,
            legalRepresentative: r.public_representative ?? '',
          };
        });
      return { listings };
    }),
  };
  const server = new Server();
  server.addService(PunishmentServiceService, impl);
  return server;
}
