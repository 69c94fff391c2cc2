import { credentials, Metadata, status } from '@grpc/grpc-js';
import { type PropertyReport, QueryServiceClient } from '@hub/contracts';
import { HubError, isOpenRequest } from '@hub/domain';
import { GRPC_CLIENT_OPTIONS } from '@hub/service-kit';

/** The query service's read API over gRPC: a case's property report (财产报告). */
export class QueryClient {
  private readonly client: QueryServiceClient;

  constructor(url: string) {
    this.client = new QueryServiceClient(url, credentials.createInsecure(), GRPC_CLIENT_OPTIONS);
  }

  propertyReport(caseNo: string, courtCode: string, deadlineMs = 5000): Promise<PropertyReport> {
    return new Promise((resolve, reject) => {
      this.client.getPropertyReport(
        { caseNo, courtCode },
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => {
          if (err?.code === status.NOT_FOUND)
            return reject(new HubError('NOT_FOUND', [{ path: 'caseNo', code: 'NO_INQUIRY_FOR_CASE' }]));
          if (err || !res?.report)
            return reject(new HubError('UNAVAILABLE', [{ dependency: 'query' }], undefined, { cause: err }));
          resolve(res.report);
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

const TOTAL_FIELDS: Readonly<Record<string, string>> = {
  deposits_fen: 'depositsFen',
  provident_fund_fen: 'providentFundFen',
};
const unrepresentable = (d: PropertyReport['debtors'][number], name: string) =>
  d.unrepresentableTotals.includes(name);

/** The report as courts read it (REST JSON): money in fen, facts with their details, when reported. */
export function reportToBody(r: PropertyReport) {
  return {
    caseNo: r.caseNo,
    generatedAt: iso(r.generatedAt),
    debtors: r.debtors.map((d) => ({
      debtor: { kind: d.kind, name: d.nameMasked, id: d.idMasked },
      totals: {
        depositsFen: unrepresentable(d, 'deposits_fen') ? null : d.depositsFen,
        providentFundFen: unrepresentable(d, 'provident_fund_fen') ? null : d.providentFundFen,
        realEstateUnits: d.realEstateUnits,
        vehicles: d.vehicles,
      },
      // A total too large to state exactly is null and said so here; every fact still carries its amount.
      totalsUnrepresentable: d.unrepresentableTotals.map((name) => ({
        total: TOTAL_FIELDS[name] ?? name,
        code: 'SUM_EXCEEDS_SAFE_INTEGER',
        message: 'the sum exceeds 2^53−1 fen, more than can be stated exactly; add up the facts',
      })),
      pending: d.agencies.filter((a) => isOpenRequest(a.status)).length,
      breached: d.agencies.filter((a) => a.breached).length,
      agencies: d.agencies.map((a) => ({
        agency: a.agency,
        institution: a.institution,
        status: a.status,
        breached: a.breached,
        dueAt: iso(a.dueAt),
        reportedAt: iso(a.reportedAt),
        reused: a.reused,
        facts: a.facts.map((f) => ({
          kind: f.kind,
          key: f.key,
          amountFen: f.amountFen ?? null,
          detail: f.detailJson ? JSON.parse(f.detailJson) : null,
          reportedAt: iso(f.reportedAt),
        })),
      })),
    })),
  };
}
