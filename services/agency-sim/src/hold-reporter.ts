/**
 * A partner's hold-change reports (agency-kit `POST /v1/agency/hold-changes/batch`): what its books say
 * happened to holds the hub placed, sent on its own initiative. Reports wait in a queue until the adapter
 * has stored them (`ok`), so a failed send is retried on the next round and never lost; one the adapter
 * refuses for good (not our request, not a hold, malformed) is dropped with a warning, never resent for ever.
 * Each report's id is fixed when it is queued, so a resend after a lost reply is accepted once.
 */
import type { Logger } from '@hub/service-kit';
import type { NotedHoldChange } from './ledgers/hold-changes.js';

export interface HoldChangeReportBody {
  reportId: string;
  requestId: string;
  change: string;
  occurredAt: string;
  [field: string]: unknown;
}

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;
type Result = { reportId: string; ok: boolean; code?: string };

/** Codes after which sending the same report again may succeed. */
const TRANSIENT = new Set(['UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED']);
const SHORT: Record<NotedHoldChange['change'], string> = {
  promoted: 'P',
  'released-by-other-court': 'M',
  lapsed: 'L',
  disposed: 'X',
};

export class HoldReporter {
  private queue: HoldChangeReportBody[] = [];
  private seq = 0;
  reported = 0;

  constructor(
    private readonly institution: string,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly batch = 200,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Queue reports of the changes; holds the hub did not place as one request each are not reported. */
  add(changes: readonly NotedHoldChange[]): void {
    for (const c of changes) {
      // A freeze spread over several accounts keeps one hold per account (`<request>#<account>`); the hub
      // knows only the account its answer named, so only single holds are reported.
      if (c.holdId.includes('#')) continue;
      this.seq += 1;
      const { holdId, asset: _asset, at, change, ...fields } = c;
      const body: HoldChangeReportBody = {
        reportId: `${SHORT[change]}-${holdId}-${this.seq}`,
        requestId: holdId,
        change,
        occurredAt: at.toISOString(),
      };
      if (c.change === 'promoted') {
        body.queuePosition = 0;
        body.term = { from: c.from, until: c.until };
        body.registrationNo = c.registrationNo;
        if (c.frozenFen !== undefined) body.frozenFen = c.frozenFen;
      } else Object.assign(body, fields);
      this.queue.push(body);
    }
  }

  /** Send what is queued, oldest first; keeps whatever was not stored for good. */
  async flush(call: Call): Promise<void> {
    while (this.queue.length > 0) {
      const sending = this.queue.slice(0, this.batch);
      // A failed call throws: everything stays queued for the next round.
      const { results } = await call<{ results: Result[] }>('POST', '/v1/agency/hold-changes/batch', {
        reports: sending,
      });
      const retry: HoldChangeReportBody[] = [];
      for (const [i, report] of sending.entries()) {
        const r = results[i];
        if (r?.ok) {
          this.reported += 1;
          continue;
        }
        if (!r || TRANSIENT.has(r.code ?? '')) {
          retry.push(report);
          continue;
        }
        this.logger.warn(
          { institution: this.institution, reportId: report.reportId, change: report.change, code: r.code },
          'hold-change report refused by the adapter: dropped',
        );
      }
      this.queue = [...retry, ...this.queue.slice(sending.length)];
      if (retry.length > 0) return; // try again next round, in order
    }
  }
}
