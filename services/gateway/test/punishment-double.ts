import { Metadata, Server, ServerCredentials, type status } from '@grpc/grpc-js';
import {
  type CheckPunishmentResult,
  type GetCaseRestrictionsRequest,
  type GetCaseRestrictionsResponse,
  type NoticeSubmission,
  type PublicListing,
  type PunishmentServiceServer,
  PunishmentServiceService,
  type SearchPublicListRequest,
} from '@hub/contracts';

/**
 * A stand-in for the punishment service (another service, not infrastructure): answers what the test
 * chose and records what it was asked. The real service is exercised end to end in services/hub/test.
 */
export class PunishmentDouble {
  readonly server = new Server();
  port = 0;
  /** Verdict per notice number; unlisted notices are accepted. */
  readonly verdicts = new Map<string, Omit<CheckPunishmentResult, 'ok'>>();
  readonly checked: NoticeSubmission[] = [];
  /** Awaited before a question is answered (a test holds one back while another notice is stored). */
  beforeAnswer: ((notices: readonly NoticeSubmission[]) => Promise<void>) | undefined;
  readonly restrictionCalls: GetCaseRestrictionsRequest[] = [];
  readonly searches: SearchPublicListRequest[] = [];
  restrictions: GetCaseRestrictionsResponse | { code: status; errorCode?: string } = {
    caseNo: '',
    restrictions: [],
  };
  listings: PublicListing[] = [];

  constructor() {
    const impl: PunishmentServiceServer = {
      checkPunishments: async (call, callback) => {
        this.checked.push(...call.request.notices);
        await this.beforeAnswer?.(call.request.notices);
        callback(null, {
          results: call.request.notices.map((n) => {
            const v = this.verdicts.get(n.noticeNo);
            return v ? { ok: false, ...v } : { ok: true, errorCode: '', errorDetailsJson: '' };
          }),
        });
      },
      getCaseRestrictions: (call, callback) => {
        this.restrictionCalls.push(call.request);
        const r = this.restrictions;
        if ('code' in r) {
          const metadata = new Metadata();
          if (r.errorCode) metadata.set('error-code', r.errorCode);
          return callback({ code: r.code, details: 'refused', metadata, name: 'Error', message: 'refused' });
        }
        callback(null, r);
      },
      searchPublicList: (call, callback) => {
        this.searches.push(call.request);
        callback(null, { listings: this.listings });
      },
    };
    this.server.addService(PunishmentServiceService, impl);
  }

  async start(): Promise<string> {
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      ),
    );
    return `127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
