/**
 * Agencies' hold-change reports (HoldChangeReported on `holdReports`, from the adapters) folded into the hub's
 * holds: each report finds its hold by the request that placed it (this service's own request records:
 * the court's case, the institution) and the asset, and moves it by the pure `applyHoldReport`, writing
 * hold_history in the consumer's transaction, where the event is also recorded as processed. A report about
 * an unknown hold, or a move the table forbids, changes nothing: it is kept with its reason, logged and
 * counted, never a crash and never a dead letter.
 */
import { type HoldChangeReported, payloadAs } from '@hub/contracts';
import { type AgencyKind, isUuid, type WorkingDayCalendar } from '@hub/domain';
import type { BatchHandler } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import { Counter, type Registry } from 'prom-client';
import { applyHoldReport, holdReportOf } from './domain/hold-reports.js';
import { armHoldTimers, type ChangedHold, lockHoldTimers } from './hold-timers.js';
import { insertReceivedReports, type ReceivedReport, selectPlacingRequests } from './sql/hold-reports.js';
import { type HoldChange, type HoldKey, holdKeyOf, lockHolds, writeHoldChanges } from './sql/holds.js';

export function holdReportHandler(deps: {
  logger: Pick<Logger, 'warn'>;
  registry: Registry;
  now: () => Date;
  /** Working days for renewal reminders of holds a report puts in force (HUB_CALENDAR_FILE). */
  calendar?: WorkingDayCalendar;
}): BatchHandler {
  const counted = new Counter({
    name: 'hub_hold_reports_total',
    help: 'Hold-change reports received from agencies, by change and outcome (applied, or why not)',
    labelNames: ['change', 'outcome'] as const,
    registers: [deps.registry],
  });
  return async (tx, events) => {
    const received = events.flatMap((e) => {
      const value = payloadAs(e.envelope, 'holdChangeReported');
      return value ? [{ eventId: e.envelope.eventId, at: e.envelope.occurredAt, value }] : [];
    });
    if (received.length === 0) return;
    const refuse = (value: HoldChangeReported, code: string) => {
      counted.inc({ change: value.change.slice(0, 32), outcome: code });
      deps.logger.warn(
        {
          reportId: value.reportId,
          requestId: value.requestId,
          institution: value.institution,
          change: value.change,
          code,
        },
        'a hold-change report the hub cannot take: no hold changed',
      );
    };
    const wellFormed = received.filter(({ value }) => {
      const ok = isUuid(value.requestId) && holdReportOf(value) !== null;
      if (!ok) refuse(value, 'MALFORMED');
      return ok;
    });
    const placing = await selectPlacingRequests(
      tx,
      wellFormed.map((r) => r.value.requestId),
    );
    const keyOf = (v: HoldChangeReported): HoldKey | undefined => {
      const p = placing.get(v.requestId);
      // A request of another institution is no request of this reporter's.
      if (!p || p.institution !== v.institution) return undefined;
      return {
        courtCode: p.courtCode,
        caseNo: p.caseNo,
        institution: p.institution,
        assetKind: v.assetKind as HoldKey['assetKind'],
        assetKey: v.assetKey,
      };
    };
    const keys = wellFormed.flatMap((r) => keyOf(r.value) ?? []);
    // Timers before holds, as answers and the lapse sweeper take them (hold-timers.ts).
    await lockHoldTimers(tx, keys);
    // A report can overtake the answer that placed its hold (another topic, another consumer); the adapter
    // took it only because that answer was given, so it is on its way: wait for it rather than refuse.
    const early = wellFormed.filter((r) => keyOf(r.value) && placing.get(r.value.requestId)?.open);
    if (early.length > 0) throw new AnswerNotYetTakenIn(early.map((r) => r.value.requestId));
    const holds = await lockHolds(tx, keys);
    const timed = new Map<string, ChangedHold>();
    const changes: HoldChange[] = [];
    const kept: ReceivedReport[] = [];
    const now = deps.now();
    // In the order received: one asset's reports share a partition, so they come in the agency's order.
    for (const { eventId, at, value } of wellFormed) {
      const key = keyOf(value);
      const current = key && holds.get(holdKeyOf(key));
      const decision = applyHoldReport(current, holdReportOf(value)!);
      const occurredAt = value.occurredAt ?? at ?? now;
      kept.push({
        eventId,
        reportId: value.reportId,
        agency: value.agency,
        institution: value.institution,
        requestId: value.requestId,
        change: value.change,
        holdId: current?.id ?? null,
        outcome: decision.ok ? 'applied' : decision.code,
        occurredAt,
        receivedAt: now,
      });
      if (!decision.ok) {
        refuse(value, decision.code);
        continue;
      }
      counted.inc({ change: value.change, outcome: 'applied' });
      const hold = { ...decision.hold, id: current!.id };
      holds.set(holdKeyOf(key!), hold);
      const placed = placing.get(value.requestId)!;
      // A promotion starts the hold's term; a lapse, release or deduction in full ends it.
      timed.set(hold.id, {
        before: timed.has(hold.id) ? timed.get(hold.id)?.before : current,
        after: hold,
        agency: placed.agency as AgencyKind,
        noticeId: value.noticeId,
      });
      changes.push({
        key: key!,
        subjectKey: placed.subjectKey,
        agency: placed.agency,
        hold,
        from: current!.state,
        // The history row of a report is named by the report's event (its row in hold_reports).
        requestId: eventId,
        measure: value.change,
        at: occurredAt,
      });
    }
    await writeHoldChanges(tx, changes);
    await armHoldTimers(tx, [...timed.values()], deps.calendar);
    await insertReceivedReports(tx, kept);
  };
}

/** Retried with backoff by the batch consumer (`retriable`), then redelivered by Kafka: never dead-lettered. */
class AnswerNotYetTakenIn extends Error {
  readonly retriable = true;
  constructor(readonly requestIds: string[]) {
    super(
      `hold-change reports came before the answers of requests ${requestIds.join(', ')}: waiting for them`,
    );
  }
}
