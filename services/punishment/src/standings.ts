/**
 * After every change of a subject's entries: a new version, and one RestrictionsChanged (topic
 * `restrictions`, keyed by the subject hash) carrying its whole standing (live entries, and those ended within the
 * report window, marked `until`), in the outbox of the
 * transaction that changed it. The projection applies the newest version it sees (projection.ts).
 */
import type { SubjectStanding } from '@hub/interception';
import type { EventFactory, OutboxMessage } from '@hub/messaging';
import type { Queryable } from '@hub/store';
import { bumpSubjects, liveEntries } from './sql/entries.js';

export type Cause = 'listed' | 'restricted' | 'removed' | 'lifted' | 'expired';

export interface Change {
  subjectHash: string;
  cause: Cause;
  /** The notice whose intake or completion changed it; empty for an expiry. */
  noticeId: string;
}

/** Bumps each changed subject once and announces its standing; returns the standings (for Redis at once). */
export async function announce(
  tx: Queryable,
  changes: readonly Change[],
  events: EventFactory,
  now: Date,
  out: OutboxMessage[],
): Promise<SubjectStanding[]> {
  // The last change of a subject in the batch names the cause.
  const bySubject = new Map(changes.map((c) => [c.subjectHash, c]));
  if (bySubject.size === 0) return [];
  const versions = await bumpSubjects(tx, [...bySubject.keys()], now);
  const live = await liveEntries(tx, [...bySubject.keys()], now);
  const standings: SubjectStanding[] = [];
  for (const [hash, c] of bySubject) {
    const version = versions.get(hash)!;
    const entries = live.get(hash) ?? [];
    standings.push({ hash, version, entries });
    out.push(
      events.event('restrictions', hash, 'restrictionsChanged', {
        subjectHash: hash,
        version,
        entries: entries.map((e) => ({
          ...e,
          since: new Date(e.since),
          endsAt: e.endsAt ? new Date(e.endsAt) : undefined,
          until: e.until ? new Date(e.until) : undefined,
          ground: e.ground ?? '',
          impliedBy: e.impliedBy ?? '',
        })),
        cause: c.cause,
        noticeId: c.noticeId,
      }),
    );
  }
  return standings;
}
