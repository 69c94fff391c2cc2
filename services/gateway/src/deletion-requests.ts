/**
 * Deletions of listings whose term ended (失信期限届满 → 删除失信信息), issued as the court's notices. The punishment
 * service marks a listing expired at the end of its term and asks (`DeletionRequested`, topic `controlActions`); the
 * gateway, which alone holds the courts' seal keys and their notices with the debtor in clear, issues the
 * dishonest-list-removal from the court's own listing notice: same case, court, officer, debtor and legal basis,
 * reason `expired`, no targets (the punishment service sends it to every institution that received the listing).
 * The punishment service takes it in like a court's: the deletion is due within 3 working days of the term's end
 * (法释〔2017〕7号 art. 10) and tracked to completion, each institution's confirmation on time or breached.
 * Idempotent: the notice number is made from the listing's notice, so a redelivered request is a duplicate. A court
 * that deleted the listing itself first, or withdrew it, leaves this one refused at intake, with the reason.
 */
import type { DeletionRequested } from '@hub/contracts';
import { isHubError, NOTICE_NO_MAX, type NoticeSubmission, validateNotice } from '@hub/domain';
import type { BatchHandler } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { NoticeWriter } from './notice-writer.js';

/** The deletion's notice number, from the listing's notice: known again on a redelivery. */
export function deletionNoticeNo(caseNo: string, listingNoticeId: string): string {
  const short = listingNoticeId.replaceAll('-', '').slice(0, 10).toUpperCase();
  const no = `${caseNo}-届满删除${short}`;
  return no.length <= NOTICE_NO_MAX ? no : `届满删除${listingNoticeId}`;
}

export function deletionRequestHandler(deps: {
  writer: NoticeWriter;
  logger: Logger;
  now: () => Date;
}): BatchHandler {
  return async (tx, events) => {
    const requests = events.flatMap(({ envelope }) =>
      envelope.payload?.$case === 'deletionRequested'
        ? [{ r: envelope.payload.value, at: envelope.occurredAt ?? deps.now(), trace: envelope.traceparent }]
        : [],
    );
    if (requests.length === 0) return;
    const { rows } = await tx.query<{ id: string; court_code: string; body: NoticeSubmission }>(
      'SELECT id, court_code, body FROM notices WHERE id = ANY($1::uuid[])',
      [requests.map((x) => x.r.listingNoticeId)],
    );
    const listings = new Map(rows.map((row) => [row.id, row]));
    for (const { r, at, trace } of requests) {
      const listing = listings.get(r.listingNoticeId);
      if (!listing || listing.court_code !== r.courtCode || listing.body.measure !== 'dishonest-list') {
        deps.logger.error(
          { listingNoticeId: r.listingNoticeId },
          'a deletion at term end names no listing notice of its court',
        );
        continue;
      }
      const validation = validateNotice(deletionNotice(listing.body, r, at), { now: deps.now() });
      if (!validation.ok) {
        deps.logger.error(
          { listingNoticeId: r.listingNoticeId, issues: validation.issues },
          'a deletion at term end is invalid',
        );
        continue;
      }
      try {
        await deps.writer.submit(validation.value, validation.warnings, trace);
      } catch (err) {
        // The database is unwell: the batch is retried (the notice number keeps it from being issued twice).
        if (!isHubError(err) || err.code === 'UNAVAILABLE' || err.code === 'INTERNAL') throw err;
        deps.logger.error(
          { err, listingNoticeId: r.listingNoticeId },
          'a deletion at term end was not stored',
        );
      }
    }
  };
}

/** 删除失信信息 from the court's listing notice: the same case, court, officer, debtor and legal basis. */
function deletionNotice(listing: NoticeSubmission, r: DeletionRequested, at: Date): NoticeSubmission {
  return {
    noticeNo: deletionNoticeNo(listing.caseNo, r.listingNoticeId),
    caseNo: listing.caseNo,
    court: listing.court,
    officer: listing.officer,
    debtor: listing.debtor,
    measure: 'dishonest-list-removal',
    targets: [],
    params: { removalReason: 'expired' },
    legalBasis: listing.legalBasis,
    issuedAt: at.toISOString(),
    ...(listing.jurisdiction ? { jurisdiction: listing.jurisdiction } : {}),
    ...(listing.confirmWarnings ? { confirmWarnings: listing.confirmWarnings } : {}),
  };
}
