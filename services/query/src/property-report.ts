import type { AgencyReport, DebtorReport, PropertyReport } from '@hub/contracts';
import { isBreached, isFen, isOpenRequest } from '@hub/domain';
import type { Queryable } from '@hub/store';

interface RequestRow {
  subject_key: string;
  debtor: { kind: string; name: string; id: string };
  agency: string;
  institution: string;
  status: string;
  due_at: Date | null;
  answered_at: Date | null;
  reused_from: string | null;
}

interface FactRow {
  subject_key: string;
  agency: string;
  institution: string;
  kind: string;
  key: string;
  amount_fen: number | null;
  detail: unknown;
  last_reported_at: Date;
}

/**
 * 财产报告 of a case: for each debtor, every fact found, by agency and institution, with totals in fen;
 * what is still pending or breached; when each fact was reported; whether an answer was reused. Partial
 * results show as soon as they arrive. Undefined when this court has no inquiry for the case.
 */
export async function propertyReport(
  db: Queryable,
  caseNo: string,
  court: string,
  now: Date,
): Promise<PropertyReport | undefined> {
  // The latest request per (debtor, institution) across the case's inquiries.
  const { rows: requests } = await db.query<RequestRow>(
    `SELECT DISTINCT ON (n.subject_key, r.agency, r.institution)
            n.subject_key, n.debtor, r.agency, r.institution, r.status, r.due_at, r.answered_at, r.reused_from
     FROM notices n JOIN requests r ON r.notice_id = n.id
     WHERE n.case_no = $1 AND n.court_code = $2
     ORDER BY n.subject_key, r.agency, r.institution, n.created_at DESC, r.updated_at DESC`,
    [caseNo, court],
  );
  if (requests.length === 0) return undefined;
  const { rows: facts } = await db.query<FactRow>(
    `SELECT subject_key, agency, institution, kind, key, amount_fen, detail, last_reported_at
     FROM facts WHERE case_no = $1 AND subject_key = ANY($2::text[]) ORDER BY agency, institution, kind, key`,
    [caseNo, [...new Set(requests.map((r) => r.subject_key))]],
  );
  const debtors = new Map<string, DebtorReport>();
  for (const r of requests) {
    let d = debtors.get(r.subject_key);
    if (!d) {
      d = {
        kind: r.debtor?.kind ?? '',
        nameMasked: r.debtor?.name ?? '',
        idMasked: r.debtor?.id ?? '',
        depositsFen: 0,
        providentFundFen: 0,
        realEstateUnits: 0,
        vehicles: 0,
        agencies: [],
        unrepresentableTotals: [],
      };
      debtors.set(r.subject_key, d);
    }
    const agencyFacts = facts.filter(
      (f) => f.subject_key === r.subject_key && f.agency === r.agency && f.institution === r.institution,
    );
    const entry: AgencyReport = {
      agency: r.agency,
      institution: r.institution,
      status: r.status,
      breached: isBreached(
        { open: isOpenRequest(r.status), dueAt: r.due_at, answeredAt: r.answered_at },
        now,
      ),
      dueAt: r.due_at ?? undefined,
      reportedAt: r.answered_at ?? undefined,
      reused: r.reused_from !== null,
      facts: agencyFacts.map((f) => ({
        kind: f.kind,
        key: f.key,
        amountFen: f.amount_fen ?? undefined,
        detailJson: JSON.stringify(f.detail),
        reportedAt: f.last_reported_at,
      })),
    };
    d.agencies.push(entry);
    for (const f of agencyFacts) {
      if (f.kind === 'deposit') addTo(d, 'depositsFen', f.amount_fen);
      if (f.kind === 'provident-fund') addTo(d, 'providentFundFen', f.amount_fen);
      if (f.kind === 'real-estate') d.realEstateUnits += 1;
      if (f.kind === 'vehicle') d.vehicles += 1;
    }
  }
  return { caseNo, generatedAt: now, debtors: [...debtors.values()] };
}

const TOTAL_NAMES = { depositsFen: 'deposits_fen', providentFundFen: 'provident_fund_fen' } as const;

/**
 * Adds an amount to a debtor's total unless the sum leaves the safe-integer range (two balances of 2^53−1
 * fen can both be real, their sum is not a number any reader holds exactly): then the total reads 0 and
 * is named in `unrepresentableTotals`, and the report still answers.
 */
function addTo(d: DebtorReport, total: keyof typeof TOTAL_NAMES, amount: number | null) {
  const name = TOTAL_NAMES[total];
  if (d.unrepresentableTotals.includes(name)) return;
  const sum = d[total] + (amount ?? 0);
  if (isFen(sum)) d[total] = sum;
  else {
    d[total] = 0;
    d.unrepresentableTotals.push(name);
  }
}
