/**
 * Releases of over-freezing (超标的冻结 → 解冻), issued as the court's notices. freeze-deduct finds a case holding
 * more than it owes and asks (`ReleaseRequested`, topic `controlActions`); the gateway, which alone holds the
 * courts' seal keys and their notices with the debtor in clear, issues the release from the court's own
 * freeze notice: same court, officer, debtor, legal basis and institution, the account and the amount to
 * release, under the notice number freeze-deduct chose. Stored and sealed by the NoticeWriter exactly as a
 * submitted notice, so it is tracked to completion like any. Idempotent: a redelivered request finds its
 * notice number taken by the same body (a duplicate, no second NoticeIssued).
 */
import type { ReleaseRequested } from '@hub/contracts';
import type { NoticeSubmission } from '@hub/domain';
import type { BatchHandler } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import { issueFromCourtNotices } from './court-actions.js';
import type { NoticeWriter } from './notice-writer.js';

export function releaseRequestHandler(deps: {
  writer: NoticeWriter;
  logger: Logger;
  now: () => Date;
}): BatchHandler {
  return async (tx, events) => {
    const actions = events.flatMap(({ envelope }) =>
      envelope.payload?.$case === 'releaseRequested'
        ? [
            {
              r: envelope.payload.value,
              sourceNoticeId: envelope.payload.value.freezeNoticeId,
              courtCode: envelope.payload.value.courtCode,
              at: envelope.occurredAt ?? deps.now(),
              trace: envelope.traceparent,
              ref: { releaseId: envelope.payload.value.releaseId },
            },
          ]
        : [],
    );
    await issueFromCourtNotices(tx, deps, 'a release of excess', actions, (freeze, a) =>
      releaseNotice(freeze, a.r, a.at),
    );
  };
}

/** 解冻通知书 from the court's freeze notice: the same case, court, officer, debtor and legal basis. */
function releaseNotice(freeze: NoticeSubmission, r: ReleaseRequested, at: Date): NoticeSubmission {
  return {
    noticeNo: r.noticeNo,
    caseNo: freeze.caseNo,
    court: freeze.court,
    officer: freeze.officer,
    debtor: freeze.debtor,
    measure: 'release',
    targets: [
      { agency: r.agency as NoticeSubmission['targets'][number]['agency'], institution: r.institution },
    ],
    params: { accountNo: r.accountNo, amountFen: r.amountFen },
    legalBasis: freeze.legalBasis,
    issuedAt: at.toISOString(),
    ...(freeze.jurisdiction ? { jurisdiction: freeze.jurisdiction } : {}),
    ...(freeze.confirmWarnings ? { confirmWarnings: freeze.confirmWarnings } : {}),
  };
}
