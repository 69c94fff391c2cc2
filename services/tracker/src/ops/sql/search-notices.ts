import { createHash } from 'node:crypto';
import { canonicalCaseNo } from '@hub/domain';
import type { Queryable } from '@hub/store';
import { breachedSql } from '../../sql/request-status.js';

export interface NoticeHit {
  id: string;
  noticeNo: string;
  caseNo: string;
  courtCode: string;
  measure: string;
  status: string;
  issuedAt: Date | null;
  debtorMasked: string;
  breached: boolean;
}

/** A resident ID (GB 11643) and a credit code (GB 32100) are both 18 letters or digits. */
const SUBJECT_ID = /^[0-9A-Za-z]{18}$/;

/**
 * The hash an exact ID number or credit code is stored under (`notices.subject_key`, hex SHA-256), so
 * the console can find a debtor by number while the number itself is never stored or shown. Both the
 * typed and the upper-case spelling are tried (`…002x` and `…002X` are the same ID).
 */
export function subjectKeysOf(q: string): string[] {
  if (!SUBJECT_ID.test(q)) return [];
  const spellings = [...new Set([q, q.toUpperCase()])];
  return spellings.map((s) => createHash('sha256').update(s).digest('hex'));
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Notices whose case number, notice number or masked debtor contains `q`, or whose debtor has exactly
 * the ID number `q`; newest first. An empty `q` lists the newest notices.
 */
export async function searchNotices(
  db: Queryable,
  options: { q: string; now: Date; limit: number },
): Promise<NoticeHit[]> {
  // A whole case number in any spelling finds the notices stored under its one spelling (canonicalCaseNo).
  options = { ...options, q: canonicalCaseNo(options.q) ?? options.q };
  // The page first, then whether each of its notices has a breach: the EXISTS on the outer query runs once per hit.
  // (On the same query, the planner may choose to evaluate it hashed over every request: 2.7 s at 10 million.)
  const { rows } = await db.query<NoticeHit>(
    `SELECT n.id, COALESCE(n.notice_no, '') AS "noticeNo", COALESCE(n.case_no, '') AS "caseNo",
            COALESCE(n.court_code, '') AS "courtCode", COALESCE(n.measure, '') AS "measure", n.status,
            n.issued_at AS "issuedAt", COALESCE(n.debtor_masked, '') AS "debtorMasked",
            EXISTS (SELECT 1 FROM requests r WHERE r.notice_id = n.id AND ${breachedSql('r', '$4')}
                   ) AS "breached"
     FROM (
       SELECT n.* FROM notices n
       WHERE ${
         // Spelled apart so that each is planned for what it is: the newest from the index notices_newest, or the
         // matches from the trigram and subject indexes (migration 1013), then sorted.
         options.q === ''
           ? `$1::text = '' AND $2::text IS NOT NULL AND $3::text[] IS NOT NULL`
           : `$1::text <> '' AND (n.case_no ILIKE $2 OR n.notice_no ILIKE $2 OR n.debtor_masked ILIKE $2
                                  OR n.subject_key = ANY($3::text[]))`
       }
       ORDER BY n.issued_at DESC NULLS LAST, n.id
       LIMIT $5
     ) n
     ORDER BY n.issued_at DESC NULLS LAST, n.id`,
    [options.q, likePattern(options.q), subjectKeysOf(options.q), options.now, options.limit],
  );
  return rows;
}
