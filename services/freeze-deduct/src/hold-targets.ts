/**
 * Where a measure on a hold the case already has goes (DESIGN §5: personal data never leaves the agency that needs
 * it). A deduction, release, renewal or unsealing that names only the agency kind (`{ agency: 'bank' }`) is sent
 * to the institutions holding that asset for the court's case, not to every bank with the debtor's ID and
 * account number: probing found a deduction reach all six banks, five answering "no account here". A target that
 * names its institution is kept as named; a kind with no hold on the asset keeps its target (admission has
 * refused such a notice already, NO_HOLD, unless the hold was placed since).
 */
import type { AgencyKind } from '@hub/domain';
import type { HookTarget, IntakeNotice, MeasureHooks } from '@hub/measure-kit';
import type { Queryable } from '@hub/store';
import { assetAt } from './domain/admission.js';
import { type HoldState, isLive } from './domain/holds.js';

/** Measures carried out on a hold the case has: they concern its holder only. */
const ON_A_HOLD: ReadonlySet<string> = new Set(['deduct', 'release', 'renew-freeze', 'renew-seal', 'unseal']);

const assetOf = (n: IntakeNotice, agency: AgencyKind) =>
  assetAt(agency, {
    accountNo: n.submission.params?.accountNo ?? '',
    unitNo: n.submission.params?.unitNo ?? '',
    plate: n.submission.params?.plate ?? '',
  });

export const holdTargets: NonNullable<MeasureHooks['targets']> = async (tx, { notices }) => {
  const asking = notices.filter(
    (n) => ON_A_HOLD.has(n.measure) && n.submission.targets.some((t) => !t.institution),
  );
  const out = new Map<string, readonly HookTarget[]>();
  if (asking.length === 0) return out;
  const holders = await holdersOf(
    tx,
    asking.flatMap((n) =>
      n.submission.targets.flatMap((t) => {
        const asset = t.institution ? undefined : assetOf(n, t.agency as AgencyKind);
        return asset
          ? [{ court: n.courtCode, caseNo: n.caseNo, agency: t.agency, asset: asset.assetKey }]
          : [];
      }),
    ),
  );
  for (const n of asking) {
    const targets = n.submission.targets.flatMap((t): HookTarget[] => {
      const agency = t.agency as AgencyKind;
      if (t.institution) return [{ agency, institution: t.institution }];
      const asset = assetOf(n, agency);
      const found = asset ? holders.get(key(n.courtCode, n.caseNo, agency, asset.assetKey)) : undefined;
      return found && found.length > 0 ? found.map((institution) => ({ agency, institution })) : [{ agency }];
    });
    out.set(n.id, targets);
  }
  return out;
};

const key = (court: string, caseNo: string, agency: string, asset: string) =>
  `${court}\u0000${caseNo}\u0000${agency}\u0000${asset}`;

/** The institutions holding each asked asset for the case: live holds, or, when none is live, any. */
async function holdersOf(
  tx: Queryable,
  asked: readonly { court: string; caseNo: string; agency: string; asset: string }[],
): Promise<Map<string, string[]>> {
  if (asked.length === 0) return new Map();
  const { rows } = await tx.query<{
    court_code: string;
    case_no: string;
    agency: string;
    asset_key: string;
    institution: string;
    state: HoldState;
  }>(
    `SELECT DISTINCT h.court_code, h.case_no, h.agency, h.asset_key, h.institution, h.state
     FROM holds h
     JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(court, case_no, agency, asset)
       ON h.court_code = k.court AND h.case_no = k.case_no AND h.agency = k.agency AND h.asset_key = k.asset`,
    [
      asked.map((a) => a.court),
      asked.map((a) => a.caseNo),
      asked.map((a) => a.agency),
      asked.map((a) => a.asset),
    ],
  );
  const live = new Map<string, Set<string>>();
  const any = new Map<string, Set<string>>();
  for (const r of rows) {
    const k = key(r.court_code, r.case_no, r.agency, r.asset_key);
    if (!any.has(k)) any.set(k, new Set());
    any.get(k)!.add(r.institution);
    if (isLive(r.state)) {
      if (!live.has(k)) live.set(k, new Set());
      live.get(k)!.add(r.institution);
    }
  }
  const out = new Map<string, string[]>();
  for (const [k, all] of any) out.set(k, [...(live.get(k) ?? all)].sort());
  return out;
}
