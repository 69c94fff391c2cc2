/**
 * What happened to holds on one asset while the books moved (a court's release, a lapse, a disposal): the
 * changes an agency reports to the hub on its own initiative (agency-kit hold-change reports). Pure: two
 * snapshots of an asset's holds, before and after, and the ids of the holds that lapsed or went with a
 * disposal, give the changes of every other court's hold that survived or ended that way.
 *
 *   promoted                 轮候生效: a queued hold took effect (its term from that day)
 *   released-by-other-court  前序解除: a hold ahead was lifted and this one moved up the queue
 *   lapsed                   失效: the hold ran out unrenewed
 *   disposed                 前序处分: the asset ahead was wholly disposed of; this queued hold lapsed
 * A hold its own court released or spent is not reported: that court was answered.
 */

export interface HoldSnapshot {
  /** The request that placed the hold (the hub's request id). */
  id: string;
  queuePosition: number;
  from?: string | undefined;
  until?: string | undefined;
  registrationNo: string;
  /** Money holds: frozen now. */
  frozenFen?: number | undefined;
}

export type LedgerHoldChange = { holdId: string; asset: string } & (
  | { change: 'promoted'; from: string; until: string; registrationNo: string; frozenFen?: number }
  | { change: 'released-by-other-court'; queuePosition: number }
  | { change: 'lapsed'; lastDay?: string }
  | { change: 'disposed' }
);

export function holdChanges(
  asset: string,
  before: readonly HoldSnapshot[],
  after: readonly HoldSnapshot[],
  ended: { lapsed?: readonly HoldSnapshot[]; disposed?: readonly HoldSnapshot[] } = {},
): LedgerHoldChange[] {
  const out: LedgerHoldChange[] = [];
  for (const h of ended.lapsed ?? [])
    out.push({ holdId: h.id, asset, change: 'lapsed', ...(h.until ? { lastDay: h.until } : {}) });
  for (const h of ended.disposed ?? []) out.push({ holdId: h.id, asset, change: 'disposed' });
  const was = new Map(before.map((h) => [h.id, h]));
  for (const now of after) {
    const then = was.get(now.id);
    if (!then || then.queuePosition === 0) continue;
    if (now.queuePosition === 0 && now.from && now.until) {
      out.push({
        holdId: now.id,
        asset,
        change: 'promoted',
        from: now.from,
        until: now.until,
        registrationNo: now.registrationNo,
        ...(now.frozenFen !== undefined ? { frozenFen: now.frozenFen } : {}),
      });
    } else if (now.queuePosition > 0 && now.queuePosition < then.queuePosition) {
      out.push({
        holdId: now.id,
        asset,
        change: 'released-by-other-court',
        queuePosition: now.queuePosition,
      });
    }
  }
  return out;
}

export type NotedHoldChange = LedgerHoldChange & { at: Date };

/** Changes noted by a ledger, with when they happened, taken (once) by whoever reports them. */
export class HoldChangeLog {
  private pending: NotedHoldChange[] = [];

  note(changes: readonly LedgerHoldChange[], at: Date): void {
    for (const c of changes) this.pending.push({ ...c, at });
  }

  /** Every change noted since the last call, oldest first. */
  take(): NotedHoldChange[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }
}
