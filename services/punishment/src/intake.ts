/**
 * The punishment service's rules as measure-kit hooks, in the batch's transaction: admission (the same
 * decision CheckPunishments gives the gateway), where each notice goes (every institution acting on the
 * measure; a withdrawal exactly where the withdrawn measure went), the deletion deadline, the entries placed or
 * withdrawn with each subject's new standing, and the entries removed once every institution confirmed.
 */
import { randomUUID } from 'node:crypto';
import type { NoticeSubmission } from '@hub/contracts';
import {
  type AgencyKind,
  agenciesActingOn,
  dishonestDeletionDeadline,
  ERROR_CATALOG,
  isRemovalReason,
  type PunishmentMeasure,
  WITHDRAWAL_OF,
  type WorkingDayCalendar,
} from '@hub/domain';
import type { InterceptionProjection } from '@hub/interception';
import { subjectHash } from '@hub/interception';
import type { HookTarget, IntakeNotice, MeasureHooks, RequestFailure } from '@hub/measure-kit';
import { type EventFactory, enqueue, type OutboxMessage } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import { type Pool, type Queryable, withTransaction } from '@hub/store';
import { scheduleTimers } from '@hub/timers';
import {
  type Admission,
  admitBeside,
  admitPunishments,
  type DebtorEntry,
  deletionRunsFrom,
  familyOf,
  noticeKey,
  type PendingAdmission,
  type PunishmentNotice,
} from './domain/admission.js';
import { debtorIdOf, entriesPlacedBy, groundPathsOf, groundsOf } from './domain/entries.js';
import { EXPIRY_TIMER } from './expiry.js';
import { holdRebuildOff } from './projection.js';
import {
  debtorEntries,
  insertEntries,
  lockDebtors,
  markRemoved,
  markRemoving,
  reachedBy,
} from './sql/entries.js';
import { announce, type Cause, type Change } from './standings.js';

/** A submitted or sealed notice as admission reads it. */
export function punishmentNoticeOf(n: NoticeSubmission): PunishmentNotice {
  const reason = n.params?.removalReason;
  return {
    subjectHash: subjectHash(debtorIdOf(n)),
    caseNo: n.caseNo,
    courtCode: n.court?.code ?? '',
    measure: n.measure as PunishmentMeasure,
    grounds: groundsOf(n),
    groundPaths: groundPathsOf(n),
    removalReason: isRemovalReason(reason) ? reason : undefined,
    groundAroseAt:
      n.measure === 'dishonest-list' && n.params?.groundAroseAt
        ? (validDate(new Date(n.params.groundAroseAt)) ?? undefined)
        : undefined,
    issuedAt: n.issuedAt ? (validDate(new Date(n.issuedAt)) ?? undefined) : undefined,
  };
}

/** How long an admitted notice counts as pending when intake never takes it in (it was not stored after all). */
export const PENDING_ADMISSION_MS = 5 * 60_000;

const familyOfNotice = (n: PunishmentNotice) => familyOf(n.measure);

/**
 * The gateway's question, against what is stored and what was admitted and not yet taken in, in the order asked:
 * a court's batch is judged as intake would take it in one after another (a second listing of one debtor is
 * ALREADY_LISTED), and a notice following another of its measure family for the same debtor and case before
 * intake has that one is PUNISHMENT_PENDING (see admitBeside), not left to whichever Kafka partition intake reads
 * first. Each admitted notice is recorded as pending until intake takes it in; concurrent questions about one
 * debtor, and intake, take the debtor's lock, so two courts' clerks cannot both be admitted.
 */
export async function checkPunishments(
  pool: Pool,
  submissions: readonly NoticeSubmission[],
  now: Date,
): Promise<Admission[]> {
  const notices = submissions.map(punishmentNoticeOf);
  return withTransaction(pool, async (tx) => {
    await lockDebtors(
      tx,
      notices.map((n) => n.subjectHash),
    );
    const [stored, before] = await Promise.all([
      debtorEntries(tx, notices),
      pendingAdmissions(tx, notices, new Date(now.getTime() - PENDING_ADMISSION_MS)),
    ]);
    const items = notices.map((notice, i) => ({
      id: `check-${i}`,
      notice,
      noticeNo: submissions[i]!.noticeNo,
    }));
    const admissions = admitBeside(items, stored, before, now);
    // A notice number asked about twice is one notice (admitBeside): recorded once.
    const recorded = new Set<string>();
    await recordPending(
      tx,
      items.filter((item, i) => {
        const key = noticeKey(item.notice.courtCode, item.noticeNo);
        if (!admissions[i]!.ok || recorded.has(key)) return false;
        recorded.add(key);
        return true;
      }),
      now,
    );
    return admissions;
  });
}

/** The notices admitted since `since` and not yet taken in, for these notices' debtors, cases and families. */
async function pendingAdmissions(
  q: Queryable,
  notices: readonly PunishmentNotice[],
  since: Date,
): Promise<PendingAdmission[]> {
  const { rows } = await q.query<{
    court_code: string;
    notice_no: string;
    subject_hash: string;
    case_no: string;
    family: string;
    admitted_at: Date;
  }>(
    `SELECT p.court_code, p.notice_no, p.subject_hash, p.case_no, p.family, p.admitted_at
       FROM pending_admissions p
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(subject_hash, case_no, family)
         USING (subject_hash, case_no, family)
      WHERE p.admitted_at > $4`,
    [notices.map((n) => n.subjectHash), notices.map((n) => n.caseNo), notices.map(familyOfNotice), since],
  );
  return rows.map((r) => ({
    courtCode: r.court_code,
    noticeNo: r.notice_no,
    subjectHash: r.subject_hash,
    caseNo: r.case_no,
    family: r.family,
    admittedAt: r.admitted_at,
  }));
}

async function recordPending(
  q: Queryable,
  admitted: readonly { notice: PunishmentNotice; noticeNo: string }[],
  now: Date,
): Promise<void> {
  if (admitted.length === 0) return;
  await q.query(
    `INSERT INTO pending_admissions (court_code, notice_no, subject_hash, case_no, family, admitted_at)
     SELECT u.*, $6::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u
     ON CONFLICT (court_code, notice_no) DO UPDATE
       SET subject_hash = EXCLUDED.subject_hash, case_no = EXCLUDED.case_no, family = EXCLUDED.family,
           admitted_at = EXCLUDED.admitted_at`,
    [
      admitted.map((a) => a.notice.courtCode),
      admitted.map((a) => a.noticeNo),
      admitted.map((a) => a.notice.subjectHash),
      admitted.map((a) => a.notice.caseNo),
      admitted.map((a) => familyOfNotice(a.notice)),
      now,
    ],
  );
}

/** Intake has these notices (admitted or refused): they are pending no more; nor is anything long expired. */
async function takenIn(q: Queryable, notices: readonly IntakeNotice[], now: Date): Promise<void> {
  await q.query(
    `DELETE FROM pending_admissions
      WHERE (court_code, notice_no) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         OR admitted_at < $3`,
    [
      notices.map((n) => n.submission.court?.code ?? ''),
      notices.map((n) => n.submission.noticeNo),
      new Date(now.getTime() - PENDING_ADMISSION_MS),
    ],
  );
}

export const checkResultOf = (a: Admission) =>
  a.ok
    ? { ok: true, errorCode: '', errorDetailsJson: '' }
    : { ok: false, errorCode: a.code, errorDetailsJson: JSON.stringify(a.details) };

const failureOf = (a: Extract<Admission, { ok: false }>): RequestFailure => ({
  code: a.code,
  reason: `${ERROR_CATALOG[a.code].message} ${JSON.stringify(a.details)}`,
});

const CAUSE: Record<PunishmentMeasure, Cause> = {
  'dishonest-list': 'listed',
  'restrict-consumption': 'restricted',
  'restrict-exit': 'restricted',
  'dishonest-list-removal': 'removed',
  'restrict-consumption-lift': 'lifted',
  'restrict-exit-lift': 'lifted',
};

/** When a removal's ground arose: as the court states it, else when it issued the removal. */
const groundAroseAt = (n: NoticeSubmission) => new Date(n.params?.groundAroseAt || n.issuedAt);

const validDate = (d: Date) => (Number.isNaN(d.getTime()) ? null : d);

export interface PunishmentHookDeps {
  logger: Logger;
  events: EventFactory;
  calendar: WorkingDayCalendar;
  projection: InterceptionProjection;
  /** The namespace's rebuild lock (projection.ts). */
  rebuildLock: string;
}

export function punishmentHooks(deps: PunishmentHookDeps): MeasureHooks {
  // One batch's admissions, judged once (refuses) and read again by the hooks after it (same notices array).
  const judged = new WeakMap<readonly IntakeNotice[], Map<string, Admission>>();
  async function judge(tx: Queryable, notices: readonly IntakeNotice[], now: Date) {
    const known = judged.get(notices);
    if (known) return known;
    const batch = notices.map((n) => ({ id: n.id, notice: punishmentNoticeOf(n.submission) }));
    await lockDebtors(
      tx,
      batch.map((b) => b.notice.subjectHash),
    );
    await takenIn(tx, notices, now);
    const admissions = admitPunishments(
      batch,
      await debtorEntries(
        tx,
        batch.map((b) => b.notice),
      ),
      now,
    );
    const byId = new Map(batch.map((b, i) => [b.id, admissions[i]!]));
    judged.set(notices, byId);
    return byId;
  }
  /**
   * When a deletion is due: 3 working days from its ground (法释〔2017〕7号 art. 10) — as the court states it,
   * else the end of the listing's term for a listing that expired (第二款), else when the court issued it —
   * but never from before the listing took effect (`deletionRunsFrom`).
   */
  const removalDue = (n: IntakeNotice, withdrawn: DebtorEntry): Date | null => {
    if (n.measure !== 'dishonest-list-removal') return null;
    const arose =
      n.submission.params?.groundAroseAt || withdrawn.state !== 'expired' || !withdrawn.endsAt
        ? groundAroseAt(n.submission)
        : withdrawn.endsAt;
    if (Number.isNaN(arose.getTime())) return null;
    try {
      return dishonestDeletionDeadline(deletionRunsFrom(arose, withdrawn), deps.calendar);
    } catch (err) {
      // A year the calendar does not cover (HUB_CALENDAR_FILE): the SLA policy's deadline stands, and ops hear.
      deps.logger.warn({ err, noticeId: n.id }, 'deletion deadline not computable: calendar year missing');
      return null;
    }
  };
  // Each withdrawal's deletion deadline, from its admission (targets), read when its requests are planned
  // and stored (keyed by the batch's notice objects, like `judged`, so nothing outlives the batch).
  const dueOf = new WeakMap<IntakeNotice, Date | null>();

  return {
    refuses: async (tx, { notices, now }) => {
      const refused = new Map<string, RequestFailure>();
      for (const [id, a] of await judge(tx, notices, now)) if (!a.ok) refused.set(id, failureOf(a));
      return refused;
    },

    // 法释〔2017〕7号 art. 9 and 法释〔2015〕17号: a listing or restriction goes to every institution acting on it
    // (public security alone for exit); its deletion or lifting to exactly those that received it.
    targets: async (tx, { notices, directory, now }) => {
      const admissions = await judge(tx, notices, now);
      const broadcast = (measure: IntakeNotice['measure']): HookTarget[] => {
        const acting = agenciesActingOn(measure);
        const connected = acting.filter((k) => (directory.get(k)?.length ?? 0) > 0);
        // With no institution of any kind connected, the kinds still fail visibly (AGENCY_NOT_CONNECTED).
        return (connected.length > 0 ? connected : acting).map((agency) => ({ agency }));
      };
      const out = new Map<string, HookTarget[]>();
      const withdrawing = new Map<string, string>();
      for (const n of notices) {
        const a = admissions.get(n.id);
        if (a?.ok && a.withdraws) {
          withdrawing.set(n.id, a.withdraws.noticeId);
          dueOf.set(n, removalDue(n, a.withdraws));
        }
        // A refused notice is planned as broadcast too: each of its requests fails at once with the code.
        else out.set(n.id, broadcast(n.measure));
      }
      const reached = await reachedBy(tx, [...withdrawing.values()]);
      for (const [id, placedBy] of withdrawing) {
        const to = (reached.get(placedBy) ?? []).map((r) => ({
          agency: r.agency as AgencyKind,
          institution: r.institution,
        }));
        // What reached no institution (none was connected) is withdrawn where it would go now, so the
        // withdrawal still completes and its entries are removed.
        const n = notices.find((x) => x.id === id)!;
        out.set(id, to.length > 0 ? to : broadcast(n.measure));
      }
      return out;
    },

    // A deletion is confirmed within 3 working days of its ground (法释〔2017〕7号 art. 10): no later than that
    // whatever the SLA policy says, so a late confirmation is breached and escalated like any other.
    // Never before the institution must acknowledge it, though: a deletion the court issues late (its ground
    // arose days ago) is the court's lateness, not a breach by every institution the moment it is sent.
    deadlines: (n, planned) => {
      const due = dueOf.get(n) ?? null;
      if (!due || due >= planned.answerBy) return planned;
      return { ...planned, answerBy: new Date(Math.max(due.getTime(), planned.acknowledgeBy.getTime())) };
    },

    onPlanned: async (tx, { notices, now }) => {
      const admissions = await judge(tx, notices, now);
      const placed = [];
      const removals = [];
      const changes: Change[] = [];
      for (const n of notices) {
        const a = admissions.get(n.id);
        if (!a?.ok) continue;
        if (!a.withdraws) {
          placed.push(...entriesPlacedBy(n.id, n.submission, now, randomUUID));
          continue;
        }
        const reason = n.submission.params?.removalReason;
        removals.push({
          notice: n,
          removal: {
            placedBy: a.withdraws.noticeId,
            removalNoticeId: n.id,
            reason: reason || null,
            groundAroseAt:
              n.measure === 'dishonest-list-removal'
                ? validDate(
                    a.withdraws.state === 'expired' &&
                      a.withdraws.endsAt &&
                      !n.submission.params?.groundAroseAt
                      ? a.withdraws.endsAt
                      : groundAroseAt(n.submission),
                  )
                : null,
            dueAt: dueOf.get(n) ?? null,
          },
        });
      }
      await insertEntries(tx, placed);
      // Named by the notice (a listing's implied restriction is part of the listing).
      const causeOf = new Map(notices.map((n) => [n.id, CAUSE[n.measure as PunishmentMeasure]]));
      for (const e of placed)
        changes.push({ subjectHash: e.subjectHash, cause: causeOf.get(e.noticeId)!, noticeId: e.noticeId });
      // A listing's term ends by itself (art. 2): a durable timer per listing with a term.
      await scheduleTimers(
        tx,
        placed
          .filter((e) => e.measure === 'dishonest-list' && e.endsAt)
          .map((e) => ({ kind: EXPIRY_TIMER, subjectId: e.id, dueAt: e.endsAt!, payload: {} })),
      );
      if (removals.length > 0) {
        // Held until commit: a rebuild of the projection waits for this batch, or this batch for the rebuild.
        await holdRebuildOff(tx, deps.rebuildLock);
        for (const { notice, removal } of removals) {
          for (const h of await markRemoving(tx, [removal], now))
            changes.push({
              subjectHash: h,
              cause: CAUSE[notice.measure as PunishmentMeasure],
              noticeId: notice.id,
            });
        }
      }
      const out: OutboxMessage[] = [];
      const standings = await announce(tx, changes, deps.events, now, out);
      await enqueue(tx, out);
      if (removals.length === 0) return;
      // Interception stops answering a withdrawn entry before the withdrawal commits: the standing is written
      // now (its version wins over anything older), and again from the event after the commit.
      const removed = new Set(
        changes.filter((c) => c.cause === 'removed' || c.cause === 'lifted').map((c) => c.subjectHash),
      );
      try {
        await deps.projection.apply(standings.filter((s) => removed.has(s.hash)));
      } catch (err) {
        // Redis is unreachable: the withdrawal does not commit (nor go out to any institution) until its
        // standing is written, so no institution can confirm a deletion the interception API still denies.
        // Retried with backoff, then redelivered; interception answers 503 meanwhile if Redis is down for all.
        throw Object.assign(
          new Error('withdrawn standings not written to the interception projection', { cause: err }),
          {
            retriable: true,
          },
        );
      }
    },

    // Every institution confirmed the deletion or lifting: its entries are removed (art. 10). A withdrawal one
    // institution refused, could not assist with or never got completes as a notice (each request has its
    // answer) but is not confirmed: its entries stay `removing`, the refusal shown with its confirmations.
    onCompleted: async (tx, completed, { now }) => {
      const ids = completed.filter((c) => c.counts.done === c.counts.requests).map((c) => c.noticeId);
      if (ids.length === 0) return;
      const { rows } = await tx.query<{ id: string; measure: PunishmentMeasure }>(
        'SELECT id, measure FROM notices WHERE id = ANY($1::uuid[])',
        [ids],
      );
      const withdrawals = rows.filter((r) => WITHDRAWAL_OF[r.measure]);
      const measureOf = new Map(withdrawals.map((r) => [r.id, r.measure]));
      const moved = await markRemoved(
        tx,
        withdrawals.map((r) => r.id),
        now,
      );
      const out: OutboxMessage[] = [];
      await announce(
        tx,
        moved.map((m) => ({
          subjectHash: m.subjectHash,
          cause: CAUSE[measureOf.get(m.removalNoticeId)!],
          noticeId: m.removalNoticeId,
        })),
        deps.events,
        now,
        out,
      );
      await enqueue(tx, out);
    },
  };
}
