/**
 * Over-freezing released automatically (超标的冻结 → 解冻). After answers change a case's holds of money, in the
 * same transaction: if the case now holds more than it owes (several institutions answered at once), the
 * excess is released, latest holds first, partly where a hold is only partly in excess (releasesForExcess).
 *
 * Each release is a notice of the court (解冻通知书): it must carry the court's seal, and only the gateway holds
 * the courts' seal keys and their notices with the debtor in clear. So freeze-deduct records the release here
 * (its amount counts as being released until its answer comes, so it is never released twice) and announces
 * `ReleaseRequested` through its outbox; the gateway issues the notice from the court's own freeze notice,
 * sealed, under the number chosen here; it comes back as any notice and is tracked to completion.
 */
import { randomUUID } from 'node:crypto';
import { NOTICE_NO_MAX } from '@hub/domain';
import { type EventFactory, enqueue } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { Queryable } from '@hub/store';
import { releasesForExcess } from './domain/over-freeze.js';
import { selectCaseDeducted } from './sql/case-held.js';
import { type ExcessReleaseRow, insertExcessReleases, selectMoneyHolds } from './sql/excess-releases.js';
import { lockCase } from './sql/freeze-plans.js';
import { owedKey, selectOwed } from './sql/owed.js';

/** The release notice's number: the case's, marked as a release of excess, unique by the release id. */
export function releaseNoticeNo(caseNo: string, releaseId: string): string {
  const short = releaseId.replaceAll('-', '').slice(0, 10).toUpperCase();
  const no = `${caseNo}-超冻解${short}`;
  return no.length <= NOTICE_NO_MAX ? no : `超冻解${releaseId}`;
}

export async function releaseExcess(
  tx: Queryable,
  cases: readonly { courtCode: string; caseNo: string; at: Date }[],
  events: EventFactory,
  logger: Pick<Logger, 'info'>,
): Promise<void> {
  // In the order recordOwed locks cases (code units of the key), so two transactions never wait on each other.
  const unique = [...new Map(cases.map((c) => [owedKey(c.courtCode, c.caseNo), c])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, c]) => c);
  const owed = await selectOwed(tx, unique);
  const rows: ExcessReleaseRow[] = [];
  for (const c of unique) {
    const owedFen = owed.get(owedKey(c.courtCode, c.caseNo));
    if (owedFen === undefined) continue; // what is owed was never stated: nothing to measure against
    // Serialised with freeze plans and other answers of the case: each reads what the others wrote.
    await lockCase(tx, c.courtCode, c.caseNo);
    // What is still owed: money already deducted for the case paid that much of it.
    const stillOwedFen = Math.max(0, owedFen - (await selectCaseDeducted(tx, c.courtCode, c.caseNo)));
    for (const r of releasesForExcess(stillOwedFen, await selectMoneyHolds(tx, c.courtCode, c.caseNo))) {
      const id = randomUUID();
      rows.push({
        ...r,
        id,
        courtCode: c.courtCode,
        caseNo: c.caseNo,
        noticeNo: releaseNoticeNo(c.caseNo, id),
        owedFen,
        at: c.at,
      });
    }
  }
  if (rows.length === 0) return;
  await insertExcessReleases(tx, rows);
  await enqueue(
    tx,
    rows.map((r) =>
      events.event('controlActions', r.noticeId, 'releaseRequested', {
        releaseId: r.id,
        courtCode: r.courtCode,
        caseNo: r.caseNo,
        freezeNoticeId: r.noticeId,
        agency: r.agency,
        institution: r.institution,
        accountNo: r.accountNo,
        amountFen: r.amountFen,
        frozenFen: r.frozenFen,
        owedFen: r.owedFen,
        noticeNo: r.noticeNo,
      }),
    ),
  );
  logger.info(
    { releases: rows.length, fen: rows.reduce((t, r) => t + r.amountFen, 0) },
    'a case held more than it owes: releasing the excess',
  );
}
