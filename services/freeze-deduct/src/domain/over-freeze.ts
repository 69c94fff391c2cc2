/**
 * Over-freezing (超标的冻结): when several institutions answer a case's freezes at once, each freezing up to
 * its notice's amount, the case can end up holding more than it owes. The excess is released (解冻), latest
 * holds first, so the holds served first (and ranking first) stay; a hold only partly in excess is released
 * in part (the release notice's `amountFen`, answered with `releasedFen`). Pure: the case's live money holds,
 * what releases of them are already under way, and what is owed in; the releases to issue out.
 *
 * 民事诉讼法 on 划拨/变价 limits and 查封规定 against excessive seizure: what is frozen never exceeds the debt
 * plus costs, and once it is covered the rest is released (DESIGN §4).
 */

/** A live hold of money of the case (bank deposit, provident fund). */
export interface MoneyHold {
  holdId: string;
  /** The notice whose freeze placed the hold: the release is issued from it. */
  noticeId: string;
  agency: string;
  institution: string;
  accountNo: string;
  frozenFen: number;
  /** Releases of this hold issued and not yet answered. */
  releasingFen: number;
  /** When the hold was placed: the latest is released first. */
  placedAt: Date;
}

export interface ExcessRelease {
  holdId: string;
  noticeId: string;
  agency: string;
  institution: string;
  accountNo: string;
  /** What to release; below `frozenFen` it is a partial release. */
  amountFen: number;
  frozenFen: number;
}

/** The releases that bring what the case holds (less what is being released) down to what it owes. */
export function releasesForExcess(owedFen: number, holds: readonly MoneyHold[]): ExcessRelease[] {
  const releasable = (h: MoneyHold) => Math.max(0, h.frozenFen - h.releasingFen);
  let left = holds.reduce((t, h) => t + releasable(h), 0) - owedFen;
  if (left <= 0) return [];
  const latestFirst = [...holds].sort(
    (a, b) => b.placedAt.getTime() - a.placedAt.getTime() || b.holdId.localeCompare(a.holdId),
  );
  const out: ExcessRelease[] = [];
  for (const h of latestFirst) {
    if (left === 0) break;
    const amountFen = Math.min(releasable(h), left);
    if (amountFen === 0) continue;
    left -= amountFen;
    out.push({
      holdId: h.holdId,
      noticeId: h.noticeId,
      agency: h.agency,
      institution: h.institution,
      accountNo: h.accountNo,
      amountFen,
      frozenFen: h.frozenFen,
    });
  }
  return out;
}
