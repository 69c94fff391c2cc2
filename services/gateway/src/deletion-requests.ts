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
import { NOTICE_NO_MAX, type NoticeSubmission } from '@hub/domain';
import type { BatchHandler } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import { issueFromCourtNotices } from './court-actions.js';
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
    const actions = events.flatMap(({ envelope }) =>
      envelope.payload?.$case === 'deletionRequested'
        ? [
            {
              r: envelope.payload.value,
              sourceNoticeId: envelope.payload.value.listingNoticeId,
              courtCode: envelope.payload.value.courtCode,
              at: envelope.occurredAt ?? deps.now(),
              trace: envelope.traceparent,
              ref: { listingNoticeId: envelope.payload.value.listingNoticeId },
            },
          ]
        : [],
    );
    // Only from a listing: a request naming any other notice issues nothing.
    await issueFromCourtNotices(tx, deps, 'a deletion at term end', actions, (listing, a) =>
      listing.measure === 'dishonest-list' ? deletionNotice(listing, a.r, a.at) : undefined,
    );
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
