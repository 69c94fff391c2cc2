/**
 * Admission of punishment notices (惩戒措施), one pure decision shared by the gateway's question
 * (CheckPunishments, each notice on its own) and intake's (the batch in order, each admitted notice counted
 * for the next): against the subject's entries in the case, whichever court placed them.
 */
import {
  type DishonestGroundCode,
  type ErrorCode,
  type PunishmentMeasure,
  RELISTING_BAR,
  REMOVAL_REASONS,
  type RemovalReasonCode,
  relistingBarEnds,
  relistingBarred,
  WITHDRAWAL_OF,
} from '@hub/domain';

/** A punishment notice as admission reads it. */
export interface PunishmentNotice {
  /** The debtor's subject hash (@hub/interception subjectHash). */
  subjectHash: string;
  caseNo: string;
  courtCode: string;
  measure: PunishmentMeasure;
  /** A listing's grounds (params.ground and otherGrounds); empty for other measures. */
  grounds: readonly DishonestGroundCode[];
  /** Where each ground was given (`params.ground`, `params.otherGrounds.1`), for a refusal's field path. */
  groundPaths?: Readonly<Partial<Record<DishonestGroundCode, string>>>;
  removalReason?: RemovalReasonCode | undefined;
  /** A listing's `params.groundAroseAt`: when the conduct it lists happened (a relisting's new conduct). */
  groundAroseAt?: Date | undefined;
  /** When the court decided it (issuedAt): a withdrawal is not decided before what it withdraws. */
  issuedAt?: Date | undefined;
}

export type EntryState = 'live' | 'removing' | 'removed' | 'expired';

/** What admission needs of a stored entry of the debtor itself (role debtor) in the notice's case. */
export interface DebtorEntry {
  id: string;
  noticeId: string;
  subjectHash: string;
  caseNo: string;
  courtCode: string;
  measure: string;
  state: EntryState;
  grounds: readonly string[];
  /** Set on an entry following from another (a listing's consumption restriction): never matched itself. */
  impliedBy: string | null;
  removalReason: string | null;
  /** When its removal was taken in (the bar runs from the deletion, 法释〔2017〕7号 art. 10). */
  removalStartedAt: Date | null;
  /**
   * `removing`, and its withdrawal completed without every institution confirming it (one refused, could not
   * assist, or failed): the court may send the withdrawal again.
   */
  removalSettled?: boolean;
  /** A listing's decided term end (null: no fixed term). */
  endsAt: Date | null;
  /** When the entry took effect (its notice taken in). */
  since: Date;
  /** When the court decided it (its notice's issuedAt); null for entries placed before this was kept. */
  decidedAt?: Date | null;
}

export type Admission =
  | { ok: true; withdraws?: DebtorEntry }
  | { ok: false; code: ErrorCode; details: Record<string, unknown>[] };

const refuse = (code: ErrorCode, detail: Record<string, unknown>): Admission => ({
  ok: false,
  code,
  details: [{ code, ...detail }],
});

const sameCase = (n: PunishmentNotice, e: DebtorEntry) =>
  e.subjectHash === n.subjectHash && e.caseNo === n.caseNo && e.impliedBy === null;

/** One notice against the debtor's entries in its case. A withdrawal names the entry it withdraws. */
export function admitPunishment(n: PunishmentNotice, entries: readonly DebtorEntry[], now: Date): Admission {
  const mine = entries.filter((e) => sameCase(n, e));
  const withdrawn = WITHDRAWAL_OF[n.measure];
  if (withdrawn) {
    const listing = withdrawn === 'dishonest-list';
    // A listing whose term ended still stands at the institutions until the court deletes it, within 3
    // working days of the end (法释〔2017〕7号 art. 10 第二款): it may be withdrawn like a live one. So may one
    // whose withdrawal some institution did not confirm: sent again, to the same institutions, until each has.
    const live = mine.filter(
      (e) =>
        e.measure === withdrawn &&
        (e.state === 'live' ||
          (listing && e.state === 'expired') ||
          (e.state === 'removing' && e.removalSettled)),
    );
    const own = withdrawnOf(
      live.filter((e) => e.courtCode === n.courtCode),
      n,
      now,
    );
    // Deleted as expired (第二款) only once its term has ended: not a listing still running, nor one without a term.
    if (own && n.removalReason === 'expired' && own.state !== 'expired' && !(own.endsAt && own.endsAt <= now))
      return refuse('LISTING_NOT_EXPIRED', {
        path: 'params.removalReason',
        endsAt: own.endsAt ? own.endsAt.toISOString() : null,
        source: REMOVAL_REASONS.expired.source,
      });
    // A deletion or lifting decided before the listing or restriction it withdraws was (a 2005 removal of a
    // listing decided this year) is no withdrawal of it.
    if (own?.decidedAt && n.issuedAt && n.issuedAt.getTime() < own.decidedAt.getTime())
      return refuse('WITHDRAWAL_BEFORE_DECISION', {
        path: 'issuedAt',
        decidedAt: own.decidedAt.toISOString(),
      });
    if (own) return { ok: true, withdraws: own };
    if (live.length > 0)
      return refuse(listing ? 'LISTING_OF_ANOTHER_COURT' : 'RESTRICTION_OF_ANOTHER_COURT', {
        path: 'caseNo',
        courtCode: live[0]!.courtCode,
      });
    return refuse(listing ? 'LISTING_NOT_FOUND' : 'RESTRICTION_NOT_FOUND', { path: 'caseNo' });
  }
  if (mine.some((e) => e.measure === n.measure && e.state === 'live'))
    return refuse(n.measure === 'dishonest-list' ? 'ALREADY_LISTED' : 'ALREADY_RESTRICTED', {
      path: 'measure',
    });
  if (n.measure === 'dishonest-list') {
    for (const e of mine) {
      if (e.measure !== 'dishonest-list' || !e.removalStartedAt || !e.removalReason) continue;
      const until = relistingBarEnds(e.removalReason as RemovalReasonCode, e.removalStartedAt);
      const ground = n.grounds.find((g) => e.grounds.includes(g));
      if (ground && relistingBarred(until, e.removalStartedAt, now, n.groundAroseAt))
        return refuse('RELISTING_BARRED', {
          path: n.groundPaths?.[ground] ?? 'params.ground',
          ground,
          rule: RELISTING_BAR.rule,
          source: RELISTING_BAR.source,
          until: until!.toISOString(),
          deletedAt: e.removalStartedAt.toISOString(),
          // What the rules allow instead: conduct after the deletion, dated in params.groundAroseAt.
          exception: {
            rule: RELISTING_BAR.exception.rule,
            source: RELISTING_BAR.exception.source,
            path: 'params.groundAroseAt',
          },
        });
    }
  }
  return { ok: true };
}

/**
 * Which of the court's withdrawable entries a withdrawal takes: a listing deleted as expired, the one whose term
 * ended; any other, the one in force (a debtor relisted after an earlier listing ran out, and that one never
 * deleted, has both: performing deletes the live one, which interception and the public list show, not the old
 * one, which neither does). Then one whose earlier withdrawal went unconfirmed, then the newest.
 */
function withdrawnOf(candidates: DebtorEntry[], n: PunishmentNotice, now: Date): DebtorEntry | undefined {
  const ended = (e: DebtorEntry) => e.state === 'expired' || (e.endsAt !== null && e.endsAt <= now);
  const rank = (e: DebtorEntry) =>
    n.removalReason === 'expired' ? (ended(e) ? 0 : 1) : e.state === 'live' ? 0 : ended(e) ? 2 : 1;
  return [...candidates].sort((a, b) => rank(a) - rank(b) || b.since.getTime() - a.since.getTime())[0];
}

/**
 * A batch in order: each admitted notice is counted for the ones after it (a listing makes a second one
 * ALREADY_LISTED; a removal makes a second removal LISTING_NOT_FOUND and a relisting on its ground barred).
 */
export function admitPunishments(
  notices: readonly { id: string; notice: PunishmentNotice }[],
  stored: readonly DebtorEntry[],
  now: Date,
): Admission[] {
  const entries = [...stored];
  return notices.map(({ id, notice: n }) => {
    const a = admitPunishment(n, entries, now);
    if (!a.ok) return a;
    if (a.withdraws) {
      const i = entries.indexOf(a.withdraws);
      entries[i] = {
        ...a.withdraws,
        state: 'removing',
        removalReason: n.removalReason ?? null,
        // A withdrawal sent again: the deletion started with the first one.
        removalStartedAt: a.withdraws.removalStartedAt ?? now,
        removalSettled: false,
      };
    } else {
      entries.push({
        id,
        noticeId: id,
        subjectHash: n.subjectHash,
        caseNo: n.caseNo,
        courtCode: n.courtCode,
        measure: n.measure,
        state: 'live',
        grounds: n.grounds,
        impliedBy: null,
        removalReason: null,
        removalStartedAt: null,
        endsAt: null,
        since: now,
      });
    }
    return a;
  });
}

/** The measure family a punishment notice acts in: a withdrawal's is the measure it withdraws. */
export const familyOf = (m: PunishmentMeasure): PunishmentMeasure => WITHDRAWAL_OF[m] ?? m;

/** A notice admitted for storage and not yet taken in by intake (table pending_admissions). */
export interface PendingAdmission {
  courtCode: string;
  noticeNo: string;
  subjectHash: string;
  caseNo: string;
  family: string;
  admittedAt: Date;
}

const familyKey = (subject: string, caseNo: string, family: string) =>
  `${subject}\u0000${caseNo}\u0000${family}`;
/** A notice by its court and number: what the gateway stores it under. */
export const noticeKey = (court: string, noticeNo: string) => `${court}\u0000${noticeNo}`;

const pending = (since: Date): Admission =>
  refuse('PUNISHMENT_PENDING', { path: 'caseNo', pendingSince: since.toISOString() });

/**
 * The gateway's question, with the notices admitted before and not yet taken in: intake reads notices from Kafka
 * partitions in any order, so a notice of the same measure family for the same debtor in the same case as one of
 * those (a removal right behind its listing, a second listing) is refused with PUNISHMENT_PENDING rather than
 * stored to fail at intake, or to be taken in before the notice it follows. Within the batch, likewise: the
 * first such notice is admitted (as `admitPunishments` judges it), the next ones of its family are pending. A
 * notice re-sent under its own number is never pending behind itself.
 *
 * One notice number twice in one question (a court's batch repeating a notice, or two notices under one number)
 * is one notice: judged once, where it first stands, and every repeat gets that answer. The gateway then stores
 * it once: the same content again is a duplicate of it, other content a NOTICE_CONFLICT. Judged one after the
 * other, the repeat of a restriction was ALREADY_RESTRICTED behind itself, and two different debtors under one
 * number were both admitted and recorded under one key, which failed the whole question.
 */
export function admitBeside(
  notices: readonly { id: string; notice: PunishmentNotice; noticeNo: string }[],
  stored: readonly DebtorEntry[],
  admittedBefore: readonly PendingAdmission[],
  now: Date,
): Admission[] {
  const keys = notices.map((n) => noticeKey(n.notice.courtCode, n.noticeNo));
  const firstAt = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!firstAt.has(k)) firstAt.set(k, i);
  });
  const firsts = notices.filter((_, i) => firstAt.get(keys[i]!) === i);
  if (firsts.length === notices.length) return admitDistinct(notices, stored, admittedBefore, now);
  const judged = admitDistinct(firsts, stored, admittedBefore, now);
  const answerOf = new Map(firsts.map((n, i) => [noticeKey(n.notice.courtCode, n.noticeNo), judged[i]!]));
  return keys.map((k) => answerOf.get(k)!);
}

/** `admitBeside` for notices of distinct numbers. */
function admitDistinct(
  notices: readonly { id: string; notice: PunishmentNotice; noticeNo: string }[],
  stored: readonly DebtorEntry[],
  admittedBefore: readonly PendingAdmission[],
  now: Date,
): Admission[] {
  const keyOf = (n: PunishmentNotice) => familyKey(n.subjectHash, n.caseNo, familyOf(n.measure));
  const before = new Map<string, PendingAdmission[]>();
  for (const p of admittedBefore) {
    const k = familyKey(p.subjectHash, p.caseNo, p.family);
    before.set(k, [...(before.get(k) ?? []), p]);
  }
  const blockedBy = notices.map(({ notice, noticeNo }) =>
    (before.get(keyOf(notice)) ?? []).find(
      (p) => noticeKey(p.courtCode, p.noticeNo) !== noticeKey(notice.courtCode, noticeNo),
    ),
  );
  const free = notices.filter((_, i) => !blockedBy[i]);
  const judged = new Map(free.map((n, i) => [n, i]));
  const admissions = admitPunishments(free, stored, now);
  const first = new Map<string, string>();
  return notices.map((n, i) => {
    const blocker = blockedBy[i];
    if (blocker) return pending(blocker.admittedAt);
    const a = admissions[judged.get(n)!]!;
    if (!a.ok) return a;
    const key = keyOf(n.notice);
    const own = noticeKey(n.notice.courtCode, n.noticeNo);
    const earlier = first.get(key);
    if (earlier !== undefined && earlier !== own) return pending(now);
    first.set(key, own);
    return a;
  });
}

/**
 * The moment a deletion's 3 working days (法释〔2017〕7号 art. 10) run from: when its ground arose, but never
 * before the listing itself took effect. A ground that arose earlier (the debtor had paid before the listing
 * was published, or the court states a date years back) cannot make the deletion due before there was
 * anything to delete: it is due 3 working days from the listing's start, which a court sending it later is
 * already past (breached at once, as the court's lateness).
 */
export function deletionRunsFrom(groundArose: Date, listing: Pick<DebtorEntry, 'since'>): Date {
  return groundArose < listing.since ? listing.since : groundArose;
}
