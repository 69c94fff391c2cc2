/**
 * Notices the hub issues as a court's own, from a notice the court filed before (a release of over-freezing from
 * its freeze, a deletion at term end from its listing): the source notice is read, the new one built from it,
 * validated and stored by the NoticeWriter like a submitted one, sealed with the court's seal. What cannot be
 * issued (no such notice of that court, an invalid result, a conflict) is logged and skipped; a database that
 * is unwell throws, so the batch is retried, and the notice number keeps it from being issued twice.
 */
import { isHubError, type NoticeSubmission, validateNotice } from '@hub/domain';
import type { Logger } from '@hub/service-kit';
import type { PoolClient } from '@hub/store';
import type { NoticeWriter } from './notice-writer.js';

export interface CourtAction {
  /** The court's notice the new one is made from. */
  sourceNoticeId: string;
  courtCode: string;
  at: Date;
  trace: string;
  /** What identifies the action in the logs (never personal data). */
  ref: Record<string, string>;
}

export async function issueFromCourtNotices<A extends CourtAction>(
  tx: PoolClient,
  deps: { writer: NoticeWriter; logger: Logger; now: () => Date },
  what: string,
  actions: readonly A[],
  build: (source: NoticeSubmission, action: A) => NoticeSubmission | undefined,
): Promise<void> {
  if (actions.length === 0) return;
  const { rows } = await tx.query<{ id: string; court_code: string; body: NoticeSubmission }>(
    'SELECT id, court_code, body FROM notices WHERE id = ANY($1::uuid[])',
    [actions.map((a) => a.sourceNoticeId)],
  );
  const sources = new Map(rows.map((row) => [row.id, row]));
  await Promise.all(
    actions.map(async (a) => {
      const source = sources.get(a.sourceNoticeId);
      const notice = source && source.court_code === a.courtCode ? build(source.body, a) : undefined;
      if (!notice) {
        deps.logger.error(a.ref, `${what} names no fitting notice of its court`);
        return;
      }
      const validation = validateNotice(notice, { now: deps.now() });
      if (!validation.ok) {
        deps.logger.error({ ...a.ref, issues: validation.issues }, `${what} is invalid`);
        return;
      }
      try {
        await deps.writer.submit(validation.value, validation.warnings, a.trace);
      } catch (err) {
        if (!isHubError(err) || err.code === 'UNAVAILABLE' || err.code === 'INTERNAL') throw err;
        deps.logger.error({ err, ...a.ref }, `${what} was not stored`);
      }
    }),
  );
}
