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
import { isHubError, type NoticeSubmission, validateNotice } from '@hub/domain';
import type { BatchHandler } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { NoticeWriter } from './notice-writer.js';

export function releaseRequestHandler(deps: {
  writer: NoticeWriter;
  logger: Logger;
  now: () => Date;
}): BatchHandler {
  return async (tx, events) => {
    const requests = events.flatMap(({ envelope }) =>
      envelope.payload?.$case === 'releaseRequested'
        ? [{ r: envelope.payload.value, at: envelope.occurredAt ?? deps.now(), trace: envelope.traceparent }]
        : [],
    );
    if (requests.length === 0) return;
    const { rows } = await tx.query<{ id: string; court_code: string; body: NoticeSubmission }>(
      'SELECT id, court_code, body FROM notices WHERE id = ANY($1::uuid[])',
      [requests.map((x) => x.r.freezeNoticeId)],
    );
    const freezes = new Map(rows.map((row) => [row.id, row]));
    await Promise.all(
      requests.map(async ({ r, at, trace }) => {
        const freeze = freezes.get(r.freezeNoticeId);
        if (!freeze || freeze.court_code !== r.courtCode) {
          deps.logger.error(
            { releaseId: r.releaseId },
            'a release of excess names no freeze notice of its court',
          );
          return;
        }
        const validation = validateNotice(releaseNotice(freeze.body, r, at), { now: deps.now() });
        if (!validation.ok) {
          deps.logger.error(
            { releaseId: r.releaseId, issues: validation.issues },
            'a release of excess is invalid',
          );
          return;
        }
        try {
          await deps.writer.submit(validation.value, validation.warnings, trace);
        } catch (err) {
          // The database is unwell: the batch is retried (the notice number keeps it from being issued twice).
          if (!isHubError(err) || err.code === 'UNAVAILABLE' || err.code === 'INTERNAL') throw err;
          deps.logger.error({ err, releaseId: r.releaseId }, 'a release of excess was not stored');
        }
      }),
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
