/**
 * Interception reports (DESIGN §6): after an interception check said a subject is restricted, the partner
 * reports what it blocked. Each report names the entry that bound the subject; it is stored once per
 * (institution, the partner's reference) with the partner's signature and announced on the interceptions
 * topic (InterceptionReported), enveloped by the notice that placed the entry so the court sees it on that
 * notice's timeline. A repeat that says the same gets the same report id; a different one is a conflict.
 */
import { randomUUID } from 'node:crypto';
import { type AgencyKind, canonicalJson, HubError, maskIdNumber } from '@hub/domain';
import type { InterceptionEntry } from '@hub/interception';
import { type EventFactory, enqueue } from '@hub/messaging';
import { type Pool, withTransaction } from '@hub/store';
import { z } from 'zod';
import { parseSubjectId } from './subject-id.js';

/** What a partner blocked: 贷款, 不动产转移登记, 公积金提取, 出境, 高消费, other. */
export const INTERCEPTION_ACTIONS = [
  'loan',
  'property-transfer',
  'fund-withdrawal',
  'exit',
  'high-consumption',
  'other',
] as const;

export type InterceptionAction = (typeof INTERCEPTION_ACTIONS)[number];

/**
 * What each kind of institution can block: a bank a loan or a high spend (a card's), a registry a transfer of
 * property, public security an exit at the border, a provident-fund centre a withdrawal or its own housing loan;
 * any of them `other`. A report of a block its kind cannot make (public security "blocked a loan") would count in
 * the statistics per measure and agency kind as something that never happened.
 */
export const ACTIONS_OF: Readonly<Record<AgencyKind, readonly InterceptionAction[]>> = {
  bank: ['loan', 'high-consumption', 'other'],
  'real-estate': ['property-transfer', 'other'],
  'public-security': ['exit', 'other'],
  'provident-fund': ['fund-withdrawal', 'loan', 'other'],
};

/** Why a report's action cannot be what this kind did because of this entry, or undefined when it can. */
export function actionIssue(
  agency: AgencyKind,
  action: InterceptionAction,
  measure: string,
): 'ACTION_NOT_FOR_AGENCY' | 'ACTION_NOT_FOR_MEASURE' | undefined {
  if (!ACTIONS_OF[agency].includes(action)) return 'ACTION_NOT_FOR_AGENCY';
  // An exit is blocked because of an exit restriction, and an exit restriction blocks nothing else.
  if (action !== 'other' && (action === 'exit') !== (measure === 'restrict-exit'))
    return 'ACTION_NOT_FOR_MEASURE';
  return undefined;
}

const subjectId = z.string().transform((s, ctx) => {
  const r = parseSubjectId(s);
  if (r.ok) return r.id;
  ctx.addIssue({ code: 'custom', message: r.code });
  return z.NEVER;
});

export const interceptionReportSchema = z.strictObject({
  /** The partner's own reference of this report: sending it again is harmless, it is accepted once. */
  reportRef: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/),
  /** The subject checked: resident ID or unified social credit code. */
  id: subjectId,
  /** The entry the check returned that the partner acted on. */
  entryId: z.string().min(1).max(128),
  action: z.enum(INTERCEPTION_ACTIONS),
  /** When the partner blocked it. */
  occurredAt: z.iso.datetime({ offset: true }),
});
export type InterceptionReport = z.infer<typeof interceptionReportSchema>;

/** The batch envelope only: each report in it is checked on its own (even one that is no object at all). */
export const interceptionReportBatchSchema = z.strictObject({
  reports: z.array(z.unknown()).min(1).max(500),
});

export interface StoredReport {
  reportRef: string;
  reportId: string;
  status: 'accepted' | 'duplicate';
}

interface Row {
  report_id: string;
  body: unknown;
}

/** What is stored and compared: the report with the subject as its hash, never the ID in clear. */
const bodyOf = (report: InterceptionReport, hash: string) => {
  const { id: _id, ...rest } = report;
  return canonicalJson({ ...rest, occurredAt: new Date(report.occurredAt).toISOString(), subjectHash: hash });
};

export class InterceptionReports {
  constructor(
    private readonly pool: Pool,
    private readonly agency: string,
    private readonly events: EventFactory,
    private readonly now: () => Date,
  ) {}

  /** The stored report under (institution, ref), if any: a repeat is answered from it without a lookup. */
  async earlier(
    institution: string,
    report: InterceptionReport,
    hash: string,
  ): Promise<StoredReport | undefined> {
    const { rows } = await this.pool.query<Row>(
      'SELECT report_id, body FROM interception_reports WHERE institution = $1 AND report_ref = $2',
      [institution, report.reportRef],
    );
    return rows[0] && this.sameOrConflict(rows[0], report, hash);
  }

  /**
   * Stores a report about `entry` (the caller checked it binds the subject now and is visible to this
   * agency kind) and its InterceptionReported event, together; a concurrent twin is answered as a repeat.
   */
  async record(
    institution: string,
    report: InterceptionReport,
    hash: string,
    entry: InterceptionEntry,
    signature: unknown,
  ): Promise<StoredReport> {
    const reportId = randomUUID();
    const masked = maskIdNumber(report.id);
    const signatureJson = signature === null ? null : JSON.stringify(signature);
    const inserted = await withTransaction(this.pool, async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO interception_reports (institution, report_ref, report_id, subject_hash, subject_masked,
           entry_id, notice_id, measure, court_code, case_no, action, occurred_at, body, signature, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14::jsonb, $15)
         ON CONFLICT (institution, report_ref) DO NOTHING`,
        [
          institution,
          report.reportRef,
          reportId,
          hash,
          masked,
          entry.entryId,
          entry.noticeId,
          entry.measure,
          entry.courtCode,
          entry.caseNo,
          report.action,
          new Date(report.occurredAt),
          bodyOf(report, hash),
          signatureJson,
          this.now(),
        ],
      );
      if (rowCount !== 1) return false;
      await enqueue(tx, [
        this.events.event('interceptions', entry.noticeId, 'interceptionReported', {
          reportId,
          partnerRef: report.reportRef,
          agency: this.agency,
          institution,
          entryId: entry.entryId,
          measure: entry.measure,
          courtCode: entry.courtCode,
          caseNo: entry.caseNo,
          noticeId: entry.noticeId,
          action: report.action,
          occurredAt: new Date(report.occurredAt),
          subjectMasked: masked,
          signatureJson: signatureJson ?? '',
        }),
      ]);
      return true;
    });
    if (inserted) return { reportRef: report.reportRef, reportId, status: 'accepted' };
    const again = await this.earlier(institution, report, hash);
    if (!again) throw new HubError('INTERNAL');
    return again;
  }

  private sameOrConflict(row: Row, report: InterceptionReport, hash: string): StoredReport {
    if (canonicalJson(row.body) !== bodyOf(report, hash)) throw new HubError('INTERCEPTION_REPORT_CONFLICT');
    return { reportRef: report.reportRef, reportId: row.report_id, status: 'duplicate' };
  }
}
