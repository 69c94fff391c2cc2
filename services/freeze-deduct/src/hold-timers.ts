/**
 * Holds over time as durable timers (@hub/timers, DESIGN §5): a lapse at the end of each running term and a
 * renewal reminder at its lead time, armed and disarmed in the transaction that changes the hold, fired by the
 * service's sweeper in a transaction with everything they cause (the hold moved and its history, the event in
 * the outbox). A timer row is taken by one sweeper only (SKIP LOCKED) and deleted as it fires, so across
 * restarts and replicas a hold lapses once and a term is reminded of once.
 */
import { randomUUID } from 'node:crypto';
import {
  type AgencyKind,
  daysBetween,
  holdLapsesAt,
  maskAccount,
  shanghaiDate,
  type WorkingDayCalendar,
} from '@hub/domain';
import { type EventFactory, enqueue, type OutboxMessage } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { PoolClient, Queryable } from '@hub/store';
import { cancelTimers, scheduleTimers, type TimerSpec, type TransactionalHandler } from '@hub/timers';
import { Counter, type Registry } from 'prom-client';
import { holdTimerPlan, lapseHold, runningTerm } from './domain/hold-timers.js';
import type { Hold } from './domain/holds.js';
import { type HoldChange, type HoldKey, lockHolds, type StoredHold, writeHoldChanges } from './sql/holds.js';

/** The timer kinds, each keyed by hold id. */
export const HOLD_TIMERS = { lapse: 'hold.lapse', reminder: 'hold.reminder' } as const;
const KINDS = [HOLD_TIMERS.lapse, HOLD_TIMERS.reminder];

/** What a hold timer carries: the term it is about, and the notice that set that term (the events' key). */
interface HoldTimerPayload {
  termUntil: string;
  noticeId: string;
  leadWorkingDays: number;
}

/** A hold as a batch changed it: before the batch, after it, and the notice of its last change. */
export interface ChangedHold {
  before: Hold | undefined;
  after: StoredHold;
  agency: AgencyKind;
  noticeId: string;
}

/**
 * Lock the timers of the holds at these keys before the holds themselves: the sweeper takes a timer before
 * its hold, so taking them in the same order means an answer and a firing timer wait for each other instead
 * of deadlocking.
 */
export async function lockHoldTimers(tx: Queryable, keys: readonly HoldKey[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `SELECT 1 FROM timers t
     JOIN holds h ON t.subject_id = h.id::text
     JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS k(c, n, i, ak, key)
       ON h.court_code = k.c AND h.case_no = k.n AND h.institution = k.i AND h.asset_kind = k.ak
      AND h.asset_key = k.key
     WHERE t.kind = ANY($6::text[])
     ORDER BY t.kind, t.subject_id FOR UPDATE OF t`,
    [
      keys.map((k) => k.courtCode),
      keys.map((k) => k.caseNo),
      keys.map((k) => k.institution),
      keys.map((k) => k.assetKind),
      keys.map((k) => k.assetKey),
      KINDS,
    ],
  );
}

/** Arm, move or disarm each changed hold's lapse and reminder, in the transaction that changed it. */
export async function armHoldTimers(
  tx: Queryable,
  changed: readonly ChangedHold[],
  calendar?: WorkingDayCalendar,
): Promise<void> {
  const arm: TimerSpec<HoldTimerPayload>[] = [];
  const disarm: string[] = [];
  for (const c of changed) {
    const plan = holdTimerPlan(c.before, c.after, c.agency, calendar);
    if (plan.kind === 'disarm') disarm.push(c.after.id);
    if (plan.kind !== 'arm') continue;
    const payload = {
      termUntil: plan.termUntil,
      noticeId: c.noticeId,
      leadWorkingDays: plan.leadWorkingDays,
    };
    arm.push(
      { kind: HOLD_TIMERS.lapse, subjectId: c.after.id, dueAt: plan.lapsesAt, payload },
      { kind: HOLD_TIMERS.reminder, subjectId: c.after.id, dueAt: plan.remindAt, payload },
    );
  }
  await cancelTimers(tx, KINDS, disarm);
  await scheduleTimers(tx, arm);
}

interface LockedHold {
  key: HoldKey;
  subjectKey: string;
  agency: string;
  hold: StoredHold;
}

/** The holds with these ids, locked, with their keys. */
async function lockHoldsById(tx: Queryable, ids: readonly string[]): Promise<Map<string, LockedHold>> {
  const { rows } = await tx.query<{
    id: string;
    court_code: string;
    case_no: string;
    institution: string;
    asset_kind: Hold['assetKind'];
    asset_key: string;
    subject_key: string;
    agency: string;
  }>(
    `SELECT id, court_code, case_no, institution, asset_kind, asset_key, subject_key, agency
     FROM holds WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const keys = rows.map((r) => ({
    courtCode: r.court_code,
    caseNo: r.case_no,
    institution: r.institution,
    assetKind: r.asset_kind,
    assetKey: r.asset_key,
  }));
  const locked = [...(await lockHolds(tx, keys)).values()];
  const byId = new Map(rows.map((r, i) => [r.id, { row: r, key: keys[i]! }]));
  return new Map(
    locked.map((hold) => {
      const { row, key } = byId.get(hold.id)!;
      return [hold.id, { key, subjectKey: row.subject_key, agency: row.agency, hold }];
    }),
  );
}

const common = (l: LockedHold, p: HoldTimerPayload, lapsesAt: Date) => ({
  holdId: l.hold.id,
  noticeId: p.noticeId,
  courtCode: l.key.courtCode,
  caseNo: l.key.caseNo,
  agency: l.agency,
  institution: l.key.institution,
  assetKind: l.key.assetKind,
  assetKey: l.key.assetKey,
  termUntil: p.termUntil,
  lapsesAt,
});

/** The sweeper's handlers for the hold timers. */
export function holdTimerHandlers(deps: {
  events: EventFactory;
  logger: Logger;
  registry: Registry;
}): TransactionalHandler[] {
  const lapsed = new Counter({
    name: 'hub_holds_lapsed_total',
    help: 'Holds that ran out unrenewed at the end of their term',
    labelNames: ['agency'],
    registers: [deps.registry],
  });
  const reminded = new Counter({
    name: 'hub_hold_reminders_total',
    help: 'Renewal reminders raised for holds running out',
    labelNames: ['agency'],
    registers: [deps.registry],
  });
  const logged = (l: LockedHold, p: HoldTimerPayload) => ({
    holdId: l.hold.id,
    noticeId: p.noticeId,
    institution: l.key.institution,
    asset: maskAccount(l.key.assetKey),
    termUntil: p.termUntil,
  });

  const lapse: TransactionalHandler = {
    kind: HOLD_TIMERS.lapse,
    mode: 'transaction',
    async fire(tx: PoolClient, timers, { now }) {
      const holds = await lockHoldsById(
        tx,
        timers.map((t) => t.subjectId),
      );
      const changes: HoldChange[] = [];
      const out: OutboxMessage[] = [];
      for (const t of timers) {
        const l = holds.get(t.subjectId);
        const p = t.payload as HoldTimerPayload;
        if (!l) continue;
        const decision = lapseHold(l.hold, p.termUntil, now);
        if (!decision.ok) {
          deps.logger.warn({ ...logged(l, p), code: decision.code }, 'a lapse timer found its hold moved on');
          continue;
        }
        changes.push({
          key: l.key,
          subjectKey: l.subjectKey,
          agency: l.agency,
          hold: { ...decision.hold, id: l.hold.id },
          from: l.hold.state,
          // No request made this change: the history row gets an id of its own (measure `lapse`).
          requestId: randomUUID(),
          measure: 'lapse',
          at: t.dueAt,
        });
        out.push(
          deps.events.event('holds', p.noticeId, 'holdLapsed', {
            ...common(l, p, t.dueAt),
            lapsedAt: t.dueAt,
            daysLeft: 0,
            frozenFen: l.hold.frozenFen,
          }),
        );
        lapsed.inc({ agency: l.agency });
        deps.logger.info(logged(l, p), 'hold lapsed unrenewed');
      }
      // A reminder still scheduled (it falls due before the lapse, so only when both came due at once) is left
      // to fire and find no running term: cancelling it here would lock timers after holds, against the order.
      await writeHoldChanges(tx, changes);
      await enqueue(tx, out);
    },
  };

  const reminder: TransactionalHandler = {
    kind: HOLD_TIMERS.reminder,
    mode: 'transaction',
    async fire(tx: PoolClient, timers, { now }) {
      const holds = await lockHoldsById(
        tx,
        timers.map((t) => t.subjectId),
      );
      const out: OutboxMessage[] = [];
      for (const t of timers) {
        const l = holds.get(t.subjectId);
        const p = t.payload as HoldTimerPayload;
        // A hold that ended or moved to another term since is not reminded of this one.
        if (!l || runningTerm(l.hold) !== p.termUntil) continue;
        out.push(
          deps.events.event('holds', p.noticeId, 'holdExpiring', {
            ...common(l, p, holdLapsesAt(p.termUntil)),
            daysLeft: Math.max(0, daysBetween(shanghaiDate(now), p.termUntil)),
            leadWorkingDays: p.leadWorkingDays,
          }),
        );
        reminded.inc({ agency: l.agency });
        deps.logger.info(logged(l, p), 'hold expiring: renewal reminder raised');
      }
      await enqueue(tx, out);
    },
  };
  return [lapse, reminder];
}
