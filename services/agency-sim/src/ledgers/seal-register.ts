/**
 * A register of seals (查封) on assets — real-estate units, vehicles. One seal is in effect at a time: the
 * first served; later ones wait in line (轮候查封) ranked by service time and the earliest takes effect by
 * itself when the one ahead is lifted or lapses; its term runs from that day (a queued seal's term has not
 * started). A second seal by the same court for the same case on the same asset is the same seal: the
 * register answers with its receipt instead of queueing the court behind itself.
 *
 * Assets are kept per owner (the debtor's ID), loaded lazily from a source, so a notice only ever reaches
 * the debtor's own assets.
 */
import { addDaysToDay, isTermDays, termLastDay } from '@hub/domain';
import { dayOf } from './days.js';
import { HoldChangeLog, type HoldSnapshot, holdChanges } from './hold-changes.js';
import { Numbering, ReceiptLog } from './receipt-log.js';
import { type CourtCommand, failure, type Hold, type LedgerResult, type MeasureReceipt } from './types.js';

export interface SealHold {
  id: string;
  court: string;
  caseNo: string;
  servedAt: number;
  seq: number;
  termDays: number;
  registeredOn: string;
  from?: string;
  until?: string;
  registrationNo: string;
}

interface Asset<I> {
  assetNo: string;
  info: I;
  holds: SealHold[];
  day: string;
}

export interface SealCommand extends CourtCommand {
  owner: string;
  assetNo: string;
}
export interface SealTermCommand extends SealCommand {
  termDays: number;
}
export interface SealReceipt {
  assetNo: string;
  receipt: MeasureReceipt;
}

const effective = (h: SealHold) => h.from !== undefined;

export class SealRegister<I> {
  private readonly owners = new Map<string, Map<string, Asset<I>>>();
  private readonly log = new ReceiptLog<LedgerResult<SealReceipt>>();
  private readonly numbers: Numbering;
  private seq = 0;
  /** What happened to holds besides what their own courts asked: reported to the hub by the agency. */
  readonly holdChanges = new HoldChangeLog();

  constructor(
    readonly institution: string,
    private readonly source: (owner: string) => readonly { assetNo: string; info: I }[] = () => [],
  ) {
    this.numbers = new Numbering(institution);
  }

  /** Registers an asset to an owner directly (once). */
  register(owner: string, assetNo: string, info: I): void {
    const assets = this.load(owner);
    if (!assets.has(assetNo)) assets.set(assetNo, { assetNo, info, holds: [], day: '' });
  }

  private load(owner: string): Map<string, Asset<I>> {
    let assets = this.owners.get(owner);
    if (!assets) {
      assets = new Map();
      this.owners.set(owner, assets);
      for (const { assetNo, info } of this.source(owner))
        assets.set(assetNo, { assetNo, info, holds: [], day: '' });
    }
    return assets;
  }

  /** The owner's assets with their holds, brought up to `at`. */
  assetsOf(owner: string, at: Date): { assetNo: string; info: I; holds: Hold[] }[] {
    return [...this.load(owner).values()].map((a) => {
      this.touch(a, at);
      return { assetNo: a.assetNo, info: a.info, holds: a.holds.map((h) => view(a, h)) };
    });
  }

  /** Ranking data of the holds on an asset (tests, diagnostics). */
  inspect(owner: string, assetNo: string): readonly Readonly<SealHold>[] {
    return (this.owners.get(owner)?.get(assetNo)?.holds ?? []).map((h) => ({ ...h }));
  }

  seal(cmd: SealTermCommand): LedgerResult<SealReceipt> {
    return this.once(cmd, (asset, day) => {
      if (!isTermDays(cmd.termDays)) return failure('INVALID_TERM');
      const same = asset.holds.find((h) => h.court === cmd.court && h.caseNo === cmd.caseNo);
      if (same) return { ok: true, value: { assetNo: asset.assetNo, receipt: receiptOf(asset, same) } };
      const hold: SealHold = {
        id: cmd.requestId,
        court: cmd.court,
        caseNo: cmd.caseNo,
        servedAt: cmd.at.getTime(),
        seq: this.seq++,
        termDays: cmd.termDays,
        registeredOn: day,
        registrationNo: this.numbers.take(day),
      };
      const at = asset.holds.findIndex(
        (h) =>
          !effective(h) && (h.servedAt > hold.servedAt || (h.servedAt === hold.servedAt && h.seq > hold.seq)),
      );
      asset.holds.splice(at < 0 ? asset.holds.length : at, 0, hold);
      promote(asset, day);
      return { ok: true, value: { assetNo: asset.assetNo, receipt: receiptOf(asset, hold) } };
    });
  }

  /** 续封: the court's seal in effect runs `termDays` more after its last day; a queued one is unchanged. */
  renew(cmd: SealTermCommand): LedgerResult<SealReceipt> {
    return this.once(cmd, (asset, day) => {
      if (!isTermDays(cmd.termDays)) return failure('INVALID_TERM');
      const mine = asset.holds.find((h) => h.court === cmd.court && h.caseNo === cmd.caseNo);
      if (!mine) return failure('NO_SUCH_HOLD');
      if (!effective(mine))
        return { ok: true, value: { assetNo: asset.assetNo, receipt: receiptOf(asset, mine) } };
      const from = addDaysToDay(mine.until!, 1);
      mine.until = addDaysToDay(mine.until!, cmd.termDays);
      const receipt = {
        effective: true,
        queuePosition: 0,
        from,
        until: mine.until,
        registrationNo: this.numbers.take(day),
      };
      return { ok: true, value: { assetNo: asset.assetNo, receipt } };
    });
  }

  /** 解封: lifts the court's seal for the case; the earliest queued one takes effect today. */
  unseal(cmd: SealCommand): LedgerResult<SealReceipt> {
    return this.once(cmd, (asset, day) => {
      const before = asset.holds.length;
      asset.holds = asset.holds.filter((h) => !(h.court === cmd.court && h.caseNo === cmd.caseNo));
      if (asset.holds.length === before) return failure('NO_SUCH_HOLD');
      promote(asset, day);
      const receipt = { effective: true, queuePosition: 0, registrationNo: this.numbers.take(day) };
      return { ok: true, value: { assetNo: asset.assetNo, receipt } };
    });
  }

  private once(cmd: SealCommand, apply: (asset: Asset<I>, day: string) => LedgerResult<SealReceipt>) {
    return this.log.once(cmd.requestId, () => {
      const asset = this.load(cmd.owner).get(cmd.assetNo);
      if (!asset) return failure('NO_SUCH_ASSET');
      this.touch(asset, cmd.at);
      const before = snapshotOf(asset);
      const result = apply(asset, asset.day);
      // Other courts' seals moved by this command (an unseal ahead of them).
      this.holdChanges.note(holdChanges(asset.assetNo, before, snapshotOf(asset)), cmd.at);
      return result;
    });
  }

  /**
   * The asset was wholly disposed of (sold at auction, 拍卖成交) under the seal in effect: every seal on it
   * ends; the queued ones lapse (DESIGN §4) and are reported as such. False when there is no such asset.
   */
  dispose(owner: string, assetNo: string, at: Date): boolean {
    const asset = this.load(owner).get(assetNo);
    if (!asset) return false;
    this.touch(asset, at);
    const before = snapshotOf(asset);
    asset.holds = [];
    this.holdChanges.note(
      holdChanges(asset.assetNo, before, [], { disposed: before.filter((h) => h.queuePosition > 0) }),
      at,
    );
    return true;
  }

  private touch(asset: Asset<I>, at: Date): void {
    const before = snapshotOf(asset);
    const lapsed = lapseUntil(asset, dayOf(at));
    if (lapsed.length === 0) return;
    const ended = before.filter((h) => lapsed.some((l) => l.id === h.id));
    this.holdChanges.note(holdChanges(asset.assetNo, before, snapshotOf(asset), { lapsed: ended }), at);
  }
}

function snapshotOf(asset: Asset<unknown>): HoldSnapshot[] {
  return asset.holds.map((h) => ({
    id: h.id,
    queuePosition: queuePosition(asset, h),
    from: h.from,
    until: h.until,
    registrationNo: h.registrationNo,
  }));
}

/** With nothing in effect, the earliest-ranked queued seal takes effect on `day`. */
function promote(asset: Asset<unknown>, day: string): void {
  const next = asset.holds[0];
  if (next && !effective(next)) {
    next.from = day;
    next.until = termLastDay(day, next.termDays);
  }
}

/** Lapses the seals in effect whose last day is before `today`, promoting behind them; returns those lapsed. */
function lapseUntil(asset: Asset<unknown>, today: string): SealHold[] {
  const lapsed: SealHold[] = [];
  if (today <= asset.day) return lapsed;
  for (let head = asset.holds[0]; head?.until !== undefined && head.until < today; head = asset.holds[0]) {
    lapsed.push(asset.holds.shift()!);
    promote(asset, addDaysToDay(head.until, 1));
  }
  asset.day = today;
  return lapsed;
}

function queuePosition(asset: Asset<unknown>, hold: SealHold): number {
  if (effective(hold)) return 0;
  return asset.holds.filter((h) => !effective(h)).indexOf(hold) + 1;
}

function receiptOf(asset: Asset<unknown>, h: SealHold): MeasureReceipt {
  const receipt = {
    effective: effective(h),
    queuePosition: queuePosition(asset, h),
    registrationNo: h.registrationNo,
  };
  return effective(h) ? { ...receipt, from: h.from, until: h.until } : receipt;
}

function view(asset: Asset<unknown>, h: SealHold): Hold {
  const from = h.from ?? h.registeredOn;
  return {
    court: h.court,
    caseNo: h.caseNo,
    from,
    until: h.until ?? termLastDay(from, h.termDays),
    queuePosition: queuePosition(asset, h),
  };
}
