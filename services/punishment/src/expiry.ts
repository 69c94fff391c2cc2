/**
 * A listing's term (法释〔2017〕7号 art. 2) as a durable timer (@hub/timers), armed when the listing is placed:
 * at its end the listing and what follows from it go `expired`, the subjects' standings are announced (cause
 * `expired`), and its deletion is asked of the gateway (DeletionRequested on `controlActions`), which issues it as
 * the court's dishonest-list-removal notice (reason `expired`): the institutions that received the listing are told
 * to delete it, due within 3 working days of the end (art. 10), tracked and breached like any request. All in one
 * transaction. A listing withdrawn before then is no longer live, and its timer changes nothing.
 */
import { type EventFactory, enqueue, type OutboxMessage } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { PoolClient } from '@hub/store';
import type { TransactionalHandler } from '@hub/timers';
import { markExpired } from './sql/entries.js';
import { announce } from './standings.js';

export const EXPIRY_TIMER = 'punishment.listing-expiry';

export function expiryTimerHandlers(deps: { events: EventFactory; logger: Logger }): TransactionalHandler[] {
  return [
    {
      kind: EXPIRY_TIMER,
      mode: 'transaction',
      async fire(tx: PoolClient, timers, { now }) {
        const expired = await markExpired(
          tx,
          timers.map((t) => t.subjectId),
          now,
        );
        const out: OutboxMessage[] = [];
        // Deleted everywhere it was sent, as the court's notice (the gateway issues it): one per listing notice.
        const listings = new Map(
          expired.filter((e) => e.measure === 'dishonest-list').map((e) => [e.noticeId, e]),
        );
        for (const [noticeId, e] of listings)
          out.push(
            deps.events.event('controlActions', noticeId, 'deletionRequested', {
              listingNoticeId: noticeId,
              courtCode: e.courtCode,
              caseNo: e.caseNo,
              endsAt: e.endsAt,
            }),
          );
        await announce(
          tx,
          expired.map((e) => ({ subjectHash: e.subjectHash, cause: 'expired', noticeId: '' })),
          deps.events,
          now,
          out,
        );
        await enqueue(tx, out);
        if (expired.length > 0)
          deps.logger.info(
            { entries: expired.length, deletionsRequested: listings.size },
            'listings expired at term end; their deletion requested',
          );
      },
    },
  ];
}
