import { holdReportKey } from '@hub/contracts';
import { canonicalJson } from '@hub/domain';
import { type EventFactory, enqueue, isRetryable, type OutboxMessage } from '@hub/messaging';
import { type Pool, type Queryable, withTransaction } from '@hub/store';
import { HOLD_MEASURES, type HoldChangeReport } from './hold-changes.js';

export type ReportResult =
  | { reportId: string; ok: true; status: 'accepted' | 'duplicate' }
  | { reportId: string; ok: false; code: string; details?: readonly unknown[] };

/** The asset a hold is on, as the request's answer (or else its notice) names it. */
export interface HeldAsset {
  assetKind: 'account' | 'unit' | 'plate';
  assetKey: string;
}

interface PlacingRequest {
  id: string;
  notice_id: string;
  measure: string;
  status: string;
  params: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  received_at: Date;
}

/**
 * How far a partner's clock may run from the hub's: a change reported as happening more than this after now, or
 * before the adapter received the request that placed the hold, cannot have happened.
 */
export const CLOCK_SLACK_MS = 5 * 60_000;

type Checked = { report: HoldChangeReport; request: PlacingRequest; asset: HeldAsset };

const ANSWERED_WITH_A_HOLD = ['done', 'partial'];

/** The held asset: the answer's account, unit or plate, else the notice's. */
export function heldAssetOf(request: Pick<PlacingRequest, 'params' | 'result'>): HeldAsset | undefined {
  for (const source of [request.result, request.params]) {
    if (!source) continue;
    if (typeof source.accountNo === 'string') return { assetKind: 'account', assetKey: source.accountNo };
    if (typeof source.unitNo === 'string') return { assetKind: 'unit', assetKey: source.unitNo };
    if (typeof source.plate === 'string') return { assetKind: 'plate', assetKey: source.plate };
  }
  return undefined;
}

/**
 * Hold-change reports of one adapter's institutions. An institution may report only on holds placed
 * through requests addressed to it, answered with the hold in place (checked against this adapter's own
 * request records). Each report is stored once per (institution, report id) and announced on the holds
 * topic in the same transaction; a repeat that says the same is a harmless duplicate, a different one a
 * conflict. Each report stands alone: one that cannot be stored never sinks the others.
 */
export class HoldReports {
  constructor(
    private readonly pool: Pool,
    private readonly agency: string,
    private readonly events: EventFactory,
    private readonly now: () => Date,
  ) {}

  async record(
    institution: string,
    reports: HoldChangeReport[],
    signature: unknown = null,
  ): Promise<ReportResult[]> {
    const requests = await this.placingRequests(
      institution,
      reports.map((r) => r.requestId),
    );
    const results: ReportResult[] = new Array(reports.length);
    const checked: Checked[] = [];
    const checkedAt: number[] = [];
    for (const [i, report] of reports.entries()) {
      const request = requests.get(report.requestId);
      const refused = (code: string, details?: unknown[]) =>
        (results[i] = { reportId: report.reportId, ok: false, code, ...(details ? { details } : {}) });
      if (!request) {
        refused('REQUEST_NOT_FOUND');
        continue;
      }
      const asset = heldAssetOf(request);
      if (
        !HOLD_MEASURES.includes(request.measure) ||
        !ANSWERED_WITH_A_HOLD.includes(request.status) ||
        !asset
      ) {
        refused('NOT_A_HOLD');
        continue;
      }
      // Evidence dated when the change cannot have happened (year 0, 9999: seen probing) never reaches the holds.
      const at = Date.parse(report.occurredAt);
      if (at > this.now().getTime() + CLOCK_SLACK_MS) {
        refused('VALIDATION_FAILED', [
          { path: 'occurredAt', code: 'IN_THE_FUTURE', message: 'occurredAt is later than now' },
        ]);
        continue;
      }
      if (at < request.received_at.getTime() - CLOCK_SLACK_MS) {
        refused('VALIDATION_FAILED', [
          {
            path: 'occurredAt',
            code: 'BEFORE_HOLD',
            message: `occurredAt is before the hold was asked for (${request.received_at.toISOString()})`,
          },
        ]);
        continue;
      }
      const moneyOnly =
        report.change === 'deducted' || (report.change === 'promoted' && report.frozenFen !== undefined);
      if (moneyOnly && asset.assetKind !== 'account') {
        refused('VALIDATION_FAILED', [
          { path: report.change === 'deducted' ? 'change' : 'frozenFen', code: 'NOT_FOR_THIS_ASSET' },
        ]);
        continue;
      }
      checked.push({ report, request, asset });
      checkedAt.push(i);
    }
    const stored = await this.storeIsolated(institution, checked, signature);
    for (const [j, s] of stored.entries()) results[checkedAt[j]!] = s;
    return results;
  }

  private async placingRequests(institution: string, ids: string[]): Promise<Map<string, PlacingRequest>> {
    const { rows } = await this.pool.query<PlacingRequest>(
      `SELECT id, notice_id, measure, status, params, result, received_at FROM requests
       WHERE id = ANY($1::uuid[]) AND institution = $2`,
      [[...new Set(ids)], institution],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** All together; if the database refuses the whole, each report alone, so only the bad one fails. */
  private async storeIsolated(
    institution: string,
    items: Checked[],
    signature: unknown,
  ): Promise<ReportResult[]> {
    if (items.length === 0) return [];
    try {
      return await this.store(institution, items, signature);
    } catch (err) {
      if (isRetryable(err) || items.length === 1) throw err;
      const out: ReportResult[] = [];
      for (const item of items) {
        try {
          out.push(...(await this.store(institution, [item], signature)));
        } catch (e) {
          if (isRetryable(e)) throw e;
          out.push({ reportId: item.report.reportId, ok: false, code: 'INTERNAL' });
        }
      }
      return out;
    }
  }

  private store(institution: string, items: Checked[], signature: unknown): Promise<ReportResult[]> {
    // The first report under an id is the one stored; later ones in the batch are compared with it.
    const first = new Map<string, Checked>();
    for (const item of items) if (!first.has(item.report.reportId)) first.set(item.report.reportId, item);
    const unique = [...first.values()];
    return withTransaction(this.pool, async (tx) => {
      const { rows } = await tx.query<{ report_id: string }>(
        `INSERT INTO hold_reports (institution, report_id, request_id, change, body, signature, received_at)
         SELECT $1, r, q, c, b, $6::jsonb, $7 FROM unnest($2::text[], $3::uuid[], $4::text[], $5::jsonb[]) AS x(r, q, c, b)
         ON CONFLICT (institution, report_id) DO NOTHING
         RETURNING report_id`,
        [
          institution,
          unique.map((i) => i.report.reportId),
          unique.map((i) => i.report.requestId),
          unique.map((i) => i.report.change),
          unique.map((i) => canonicalJson(i.report)),
          signature === null ? null : JSON.stringify(signature),
          this.now(),
        ],
      );
      const inserted = new Set(rows.map((r) => r.report_id));
      await enqueue(
        tx,
        unique
          .filter((i) => inserted.has(i.report.reportId))
          .map((i) => this.announcement(institution, i, signature)),
      );
      const earlier = await storedBodies(
        tx,
        institution,
        items
          .filter((i) => !(inserted.has(i.report.reportId) && first.get(i.report.reportId) === i))
          .map((i) => i.report.reportId),
      );
      return items.map((item): ReportResult => {
        const reportId = item.report.reportId;
        if (inserted.has(reportId) && first.get(reportId) === item)
          return { reportId, ok: true, status: 'accepted' };
        const body = earlier.get(reportId);
        if (body !== undefined && body === canonicalJson(item.report))
          return { reportId, ok: true, status: 'duplicate' };
        return { reportId, ok: false, code: 'HOLD_REPORT_CONFLICT' };
      });
    });
  }

  private announcement(
    institution: string,
    { report, request, asset }: Checked,
    signature: unknown,
  ): OutboxMessage {
    const message = this.events.event('holdReports', request.notice_id, 'holdChangeReported', {
      reportId: report.reportId,
      requestId: request.id,
      noticeId: request.notice_id,
      agency: this.agency,
      institution,
      change: report.change,
      occurredAt: new Date(report.occurredAt),
      assetKind: asset.assetKind,
      assetKey: asset.assetKey,
      queuePosition: 'queuePosition' in report ? report.queuePosition : undefined,
      termFrom: report.change === 'promoted' ? report.term.from : undefined,
      termUntil: report.change === 'promoted' ? report.term.until : undefined,
      registrationNo: report.change === 'promoted' ? report.registrationNo : undefined,
      frozenFen: report.change === 'promoted' ? report.frozenFen : undefined,
      amountFen: report.change === 'deducted' ? report.amountFen : undefined,
      transferRef: report.change === 'deducted' ? report.transferRef : undefined,
      reason: report.reason ?? '',
      signatureJson: signature === null ? '' : JSON.stringify(signature),
    });
    // One asset's reports in order, whichever notice placed each hold on it.
    return { ...message, key: holdReportKey(institution, asset.assetKind, asset.assetKey) };
  }
}

async function storedBodies(tx: Queryable, institution: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<{ report_id: string; body: unknown }>(
    'SELECT report_id, body FROM hold_reports WHERE institution = $1 AND report_id = ANY($2::text[])',
    [institution, ids],
  );
  return new Map(rows.map((r) => [r.report_id, canonicalJson(r.body)]));
}
