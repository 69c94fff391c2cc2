/**
 * Reconciliation (对账) at the gateway: `GET /v1/cases/:caseNo/reconciliation`. The agencies' books are what
 * their latest query answers showed (every hold on each account, unit or vehicle, by any court); the query
 * service keeps those answers as the case's property facts. The gateway turns each institution's facts back
 * into that institution's query result and asks freeze-deduct (ReconcileCase) to compare them with its holds.
 */
import type { PropertyReport, ReconcileCaseAnswer, ReconcileCaseResponse } from '@hub/contracts';
import { HubError, isHubError } from '@hub/domain';
import type { ControlsClient } from './adapters/controls-client.js';
import type { QueryClient } from './adapters/query-client.js';

type AgencyReport = PropertyReport['debtors'][number]['agencies'][number];
type Fact = AgencyReport['facts'][number];

/** The fact kind each agency's query result is cut into (services/query/src/domain/facts.ts). */
const ASSET_FACT: Readonly<Record<string, string>> = {
  bank: 'deposit',
  'provident-fund': 'provident-fund',
  'real-estate': 'real-estate',
  'public-security': 'vehicle',
};

const detailOf = (f: Fact): Record<string, unknown> =>
  f.detailJson ? (JSON.parse(f.detailJson) as Record<string, unknown>) : {};

/**
 * One institution's query result, rebuilt from its facts as the query service cut them: bank accounts
 * {accountNo = key, balanceFen = amount, …detail}, the provident-fund account likewise, real-estate units
 * {unitNo = key, …detail}, vehicles {plate = key, …detail}. Facts accumulate over answers, so only those of
 * the latest answer that reported any (the newest `reportedAt`) are its books. Undefined for an institution
 * that has not answered, or an agency kind with no query books.
 */
export function queryResultOf(a: AgencyReport): unknown {
  const kind = ASSET_FACT[a.agency];
  if (!kind || !a.reportedAt) return undefined;
  const assets = a.facts.filter((f) => f.kind === kind);
  const latest = Math.max(...assets.map((f) => f.reportedAt?.getTime() ?? 0));
  const current = assets.filter((f) => (f.reportedAt?.getTime() ?? 0) === latest);
  const money = (f: Fact) => ({ accountNo: f.key, balanceFen: f.amountFen, ...detailOf(f) });
  switch (a.agency) {
    case 'bank':
      return { accounts: current.map(money) };
    case 'provident-fund':
      return current[0] ? { account: money(current[0]) } : {};
    case 'real-estate':
      return { units: current.map((f) => ({ unitNo: f.key, ...detailOf(f) })) };
    default:
      // Household and exit/entry are not books of holds: left out, as the schema allows.
      return { vehicles: current.map((f) => ({ plate: f.key, ...detailOf(f) })), exitEntry: [] };
  }
}

/** Every institution's books the report can tell, one answer per debtor and institution that answered. */
export function answersOfReport(report: PropertyReport): ReconcileCaseAnswer[] {
  const answers: ReconcileCaseAnswer[] = [];
  for (const d of report.debtors)
    for (const a of d.agencies) {
      const result = queryResultOf(a);
      if (result === undefined) continue;
      answers.push({
        agency: a.agency,
        institution: a.institution,
        resultJson: JSON.stringify(result),
        reportedAt: a.reportedAt,
      });
    }
  return answers;
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

/** The reconciliation as courts read it (REST JSON): asset numbers as on /controls, money in fen. */
export function reconciliationToBody(
  caseNo: string,
  report: PropertyReport,
  r: ReconcileCaseResponse,
  at: Date,
) {
  return {
    caseNo,
    reconciledAt: at.toISOString(),
    // As of when each institution's books were read: its latest answer, per debtor.
    books: report.debtors.flatMap((d) =>
      d.agencies
        .filter((a) => queryResultOf(a) !== undefined)
        .map((a) => ({
          debtor: { kind: d.kind, name: d.nameMasked, id: d.idMasked },
          agency: a.agency,
          institution: a.institution,
          reportedAt: iso(a.reportedAt),
        })),
    ),
    checked: r.checked,
    discrepancies: r.discrepancies.map((x) => ({
      kind: x.kind,
      institution: x.institution,
      asset: { kind: x.assetKind, key: x.assetKey },
      hub: x.hub
        ? {
            state: x.hub.state,
            queuePosition: x.hub.queuePosition,
            amountFen: x.hub.amountFen ?? null,
            termUntil: x.hub.termUntil || null,
          }
        : null,
      agency: x.agency.map((s) => ({
        queuePosition: s.queuePosition,
        amountFen: s.amountFen ?? null,
        until: s.until,
      })),
    })),
    unchecked: r.unchecked.map((u) => ({
      institution: u.institution,
      asset: { kind: u.assetKind, key: u.assetKey },
      reason: u.reason,
    })),
    unreadable: r.unreadable,
  };
}

/**
 * The route's work: the property report (query) and the comparison (freeze-deduct). A case the court has no
 * control notice of is not found for it, as on /controls; one of its cases never queried has no books.
 */
export async function reconcileCase(
  query: QueryClient,
  controls: ControlsClient,
  court: string,
  caseNo: string,
  now: () => Date,
) {
  const report = await query.propertyReport(caseNo, court).catch((err: unknown) => {
    if (isHubError(err) && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  const r = await controls.reconcile({
    caseNo,
    courtCode: court,
    answers: report ? answersOfReport(report) : [],
  });
  if (!report) throw new HubError('NO_PROPERTY_REPORT', [{ path: 'caseNo', code: 'NO_PROPERTY_REPORT' }]);
  return reconciliationToBody(caseNo, report, r, now());
}
