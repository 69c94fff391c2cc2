/**
 * Reconciliation (对账): the hub's holds for one court's case against what each agency's books say, as the
 * agency's latest query answer shows them (every hold on each account, unit or vehicle, by any court).
 * Pure: the hub's holds and the agencies' books come in, the differences go out.
 *
 * A hold is matched by (institution, asset, court, case): the hub keeps one hold per such key. What the
 * books can show about a hold is its place in line (0 = in effect, 1, 2, … = 轮候), the money it holds (in
 * effect) or waits for (queued), and its last day; the comparison is on those.
 */
import type { AssetHold, Hold as BookHold, ParsedAnswerResult } from '@hub/contracts/answers';
import type { AgencyKind } from '@hub/domain';
import { type AssetKey, type Hold, isLive } from './holds.js';

/** A hold of the hub, with whose and where it is. */
export interface HubHold extends Hold {
  courtCode: string;
  caseNo: string;
  institution: string;
}

/** One asset as an agency's books show it; `holds` undefined when the answer did not report them. */
export interface BookAsset extends AssetKey {
  holds: readonly (BookHold | AssetHold)[] | undefined;
}

/** One institution's books, read off its latest query answer about the debtor. */
export interface AgencyBooks {
  institution: string;
  assets: readonly BookAsset[];
}

export const DISCREPANCY_KINDS = [
  /** The hub holds it as live; the agency's books have no hold of this court's case on the asset. */
  'missing-at-agency',
  /** The agency holds it for this court's case; the hub has no live hold there. */
  'missing-at-hub',
  /** More than one hold of this court's case on one asset at the agency: the hub keeps one per asset. */
  'several-at-agency',
  /** In effect on one side, queued (轮候) on the other. */
  'state',
  /** Both queued, at different places in line. */
  'queue-position',
  /** Money frozen (in effect) or waited for (queued) differs. */
  'amount',
  /** Both in effect, with different last days. */
  'term',
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export interface HubSide {
  state: Hold['state'];
  queuePosition: number;
  amountFen: number | null;
  termUntil: string | null;
}
export interface AgencySide {
  queuePosition: number;
  amountFen: number | null;
  until: string;
}

export interface Discrepancy extends AssetKey {
  kind: DiscrepancyKind;
  institution: string;
  hub?: HubSide;
  agency?: AgencySide[];
}

/** A hub hold the books could not confirm either way. */
export interface Unchecked extends AssetKey {
  institution: string;
  reason: 'institution-not-queried' | 'holds-not-reported';
}

export interface Reconciliation {
  /** Holds compared (hub's, plus the agency's the hub does not have). */
  checked: number;
  discrepancies: Discrepancy[];
  unchecked: Unchecked[];
}

const assetId = (institution: string, a: AssetKey) => `${institution}|${a.assetKind}|${a.assetKey}`;
const inEffect = (state: Hold['state']) => state === 'effective' || state === 'renewed';

/** Money a hub hold holds (in effect) or waits for (queued), as the books would state it. */
function hubAmount(h: Hold): number | null {
  if (h.assetKind !== 'account') return null;
  if (h.state === 'queued') return h.requestedFen === null ? null : h.requestedFen - h.deductedFen;
  return h.frozenFen;
}

const hubSide = (h: Hold): HubSide => ({
  state: h.state,
  queuePosition: h.queuePosition,
  amountFen: hubAmount(h),
  termUntil: h.termUntil,
});
const agencySide = (h: BookHold | AssetHold): AgencySide => ({
  queuePosition: h.queuePosition,
  amountFen: 'amountFen' in h && h.amountFen !== undefined ? h.amountFen : null,
  until: h.until,
});

/** What differs between one live-or-ended hub hold and the agency's one hold of the same case there. */
function compare(h: Hold, a: AgencySide): DiscrepancyKind[] {
  const kinds: DiscrepancyKind[] = [];
  const effective = inEffect(h.state);
  if (effective !== (a.queuePosition === 0)) kinds.push('state');
  else if (!effective && h.queuePosition !== a.queuePosition) kinds.push('queue-position');
  const amount = hubAmount(h);
  if (amount !== null && a.amountFen !== null && amount !== a.amountFen) kinds.push('amount');
  if (effective && a.queuePosition === 0 && h.termUntil !== a.until) kinds.push('term');
  return kinds;
}

/**
 * The differences between the hub's holds of one court's case and the agencies' books. Institutions with no
 * books are not judged: their hub holds are listed as unchecked, as are holds on assets whose answer did not
 * report holds (an older bank answer may leave them out).
 */
export function reconcile(
  theCase: { courtCode: string; caseNo: string },
  hubHolds: readonly HubHold[],
  books: readonly AgencyBooks[],
): Reconciliation {
  const ours = (h: { court: string; caseNo: string }) =>
    h.court === theCase.courtCode && h.caseNo === theCase.caseNo;
  const institutions = new Set(books.map((b) => b.institution));
  const assets = new Map<string, BookAsset & { institution: string }>();
  for (const b of books) for (const a of b.assets) assets.set(assetId(b.institution, a), { ...a, ...b });

  const out: Reconciliation = { checked: 0, discrepancies: [], unchecked: [] };
  const seen = new Set<string>();
  for (const h of hubHolds) {
    if (h.courtCode !== theCase.courtCode || h.caseNo !== theCase.caseNo) continue;
    const id = assetId(h.institution, h);
    seen.add(id);
    const where = { institution: h.institution, assetKind: h.assetKind, assetKey: h.assetKey };
    if (!institutions.has(h.institution)) {
      out.unchecked.push({ ...where, reason: 'institution-not-queried' });
      continue;
    }
    const asset = assets.get(id);
    if (asset && asset.holds === undefined) {
      out.unchecked.push({ ...where, reason: 'holds-not-reported' });
      continue;
    }
    out.checked += 1;
    const theirs = (asset?.holds ?? []).filter(ours).map(agencySide);
    const found = (kind: DiscrepancyKind) =>
      out.discrepancies.push({ kind, ...where, hub: hubSide(h), agency: theirs });
    if (theirs.length === 0) {
      if (isLive(h.state)) found('missing-at-agency');
    } else if (!isLive(h.state)) found('missing-at-hub');
    else if (theirs.length > 1) found('several-at-agency');
    else for (const kind of compare(h, theirs[0]!)) found(kind);
  }
  // Holds of this case on the agencies' books that the hub has no record of at all.
  for (const [id, asset] of assets) {
    if (seen.has(id) || asset.holds === undefined) continue;
    const theirs = asset.holds.filter(ours).map(agencySide);
    if (theirs.length === 0) continue;
    out.checked += 1;
    out.discrepancies.push({
      kind: 'missing-at-hub',
      institution: asset.institution,
      assetKind: asset.assetKind,
      assetKey: asset.assetKey,
      agency: theirs,
    });
  }
  const order = (d: Discrepancy | Unchecked) => `${assetId(d.institution, d)}|${'kind' in d ? d.kind : ''}`;
  out.discrepancies.sort((x, y) => order(x).localeCompare(order(y)));
  out.unchecked.sort((x, y) => order(x).localeCompare(order(y)));
  return out;
}

/**
 * An institution's books as its query answer shows them; undefined for a result that is not a query
 * answer (or did not parse). The provident fund shows its one account, if the debtor has one.
 */
export function booksOf(institution: string, r: ParsedAnswerResult): AgencyBooks | undefined {
  if (!r.ok || r.measure !== 'query') return undefined;
  const account = (accountNo: string, holds: BookAsset['holds']): BookAsset => ({
    assetKind: 'account',
    assetKey: accountNo,
    holds,
  });
  switch (r.agency as AgencyKind) {
    case 'bank': {
      const v = (r as ParsedAnswerResult<'bank', 'query'> & { ok: true }).value;
      return { institution, assets: v.accounts.map((a) => account(a.accountNo, a.holds)) };
    }
    case 'provident-fund': {
      const v = (r as ParsedAnswerResult<'provident-fund', 'query'> & { ok: true }).value;
      return { institution, assets: v.account ? [account(v.account.accountNo, v.account.holds)] : [] };
    }
    case 'real-estate': {
      const v = (r as ParsedAnswerResult<'real-estate', 'query'> & { ok: true }).value;
      return {
        institution,
        assets: v.units.map((u) => ({ assetKind: 'unit', assetKey: u.unitNo, holds: u.holds })),
      };
    }
    case 'public-security': {
      const v = (r as ParsedAnswerResult<'public-security', 'query'> & { ok: true }).value;
      return {
        institution,
        assets: v.vehicles.map((c) => ({ assetKind: 'plate', assetKey: c.plate, holds: c.holds })),
      };
    }
  }
  return undefined;
}
