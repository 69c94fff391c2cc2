import { createHash, randomUUID } from 'node:crypto';
import { noticeToProto, noticeTopicFor } from '@hub/contracts';
import { canonicalJson, HubError, type NoticeSubmission } from '@hub/domain';
import {
  conditionalEvents,
  type EventFactory,
  isRefusedData,
  isRetryable,
  outboxWritten,
} from '@hub/messaging';
import type { Sealer } from '@hub/seal';
import type { Logger } from '@hub/service-kit';
import { GroupCommit, type Pool } from '@hub/store';

export interface Accepted {
  id: string;
  /** The same (court, notice number) was submitted before with the same content. */
  duplicate: boolean;
}

interface Pending {
  notice: NoticeSubmission;
  warnings: string[];
  traceparent: string;
}

/**
 * Stores notices and their NoticeIssued events with group commit (`GroupCommit` of @hub/store): submissions that
 * arrive while a transaction is in flight wait for the next one, which writes them all with multi-row
 * statements. Under load one transaction carries hundreds of notices; alone, a notice waits for nobody.
 *
 * One notice never sinks the others sharing its transaction: if the group's transaction fails, the group
 * is split in halves and each half written again on its own, down to the single notice that cannot be
 * written, which alone is refused. Each notice is all-or-nothing: its row and its event commit together,
 * so what a submitter is told is exactly what was stored and published.
 */
export class NoticeWriter {
  private readonly group: GroupCommit<Pending, Accepted | HubError>;

  constructor(
    private readonly pool: Pool,
    private readonly events: EventFactory,
    private readonly now: () => Date,
    private readonly sealer: Sealer,
    private readonly logger: Logger,
    maxBatch = 500,
  ) {
    // The database itself unwell: splitting would only multiply the load; everyone retries later.
    this.group = new GroupCommit((batch) => this.write(batch), {
      isolate: (err) => !isRetryable(err),
      maxGroup: maxBatch,
    });
  }

  /** Notices waiting for storage (the back-pressure measure). */
  get pending(): number {
    return this.group.pending;
  }

  async submit(notice: NoticeSubmission, warnings: string[], traceparent = ''): Promise<Accepted> {
    let result: Accepted | HubError;
    try {
      result = await this.group.submit({ notice, warnings, traceparent });
    } catch (err) {
      if (isRetryable(err)) {
        this.logger.warn({ err }, 'notice not stored: database unavailable');
        throw unavailable(err);
      }
      const refused = unstorable(err);
      this.logger[refused.code === 'INTERNAL' ? 'error' : 'warn']({ err }, 'notice not stored');
      throw refused;
    }
    if (result instanceof HubError) throw result;
    return result;
  }

  private async write(batch: readonly Pending[]): Promise<(Accepted | HubError)[]> {
    const receivedAt = this.now();
    const rows = batch.map((p) => {
      const body = canonicalJson(p.notice);
      return {
        id: randomUUID(),
        court: p.notice.court.code,
        noticeNo: p.notice.noticeNo,
        body,
        hash: createHash('sha256').update(body).digest('hex'),
      };
    });
    // Each notice's NoticeIssued is built (and sealed) beforehand; one statement stores the new notices and
    // writes the events of those it stored (a number already used stores nothing): no transaction needed.
    const events = conditionalEvents(
      batch.map((p, i) => {
        const id = rows[i]!.id;
        const notice = noticeToProto(p.notice);
        const seal = this.sealer.seal(p.notice.court.code, notice);
        return this.events.event(
          noticeTopicFor(p.notice.measure),
          id,
          'noticeIssued',
          { noticeId: id, notice, receivedAt, seal },
          p.traceparent,
        );
      }),
      rows.map((r) => r.id),
      10,
    );
    const inserted = await this.pool.query<{ id: string }>(
      `WITH stored AS (
         INSERT INTO notices (id, court_code, notice_no, case_no, measure, body, body_hash, warnings, received_at)
         SELECT id, court, notice_no, case_no, measure, body, hash, ARRAY(SELECT jsonb_array_elements_text(w)), $9
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::jsonb[])
           AS t(id, court, notice_no, case_no, measure, body, hash, w)
         ON CONFLICT (court_code, notice_no) DO NOTHING
         RETURNING id),
       announced AS (${events.sql('stored')})
       SELECT id FROM stored`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.court),
        rows.map((r) => r.noticeNo),
        batch.map((p) => p.notice.caseNo),
        batch.map((p) => p.notice.measure),
        rows.map((r) => r.body),
        rows.map((r) => r.hash),
        batch.map((p) => JSON.stringify(p.warnings)),
        receivedAt,
        ...events.params,
      ],
    );
    outboxWritten(this.pool);
    const fresh = new Set(inserted.rows.map((r) => r.id));
    // A number stored before keeps its notice for ever (id and content hash never change): read after is exact.
    const existing = new Map<string, { id: string; hash: string; body: unknown }>();
    if (fresh.size < rows.length) {
      const { rows: found } = await this.pool.query<{
        id: string;
        court_code: string;
        notice_no: string;
        body_hash: string;
        body: unknown;
      }>(
        `SELECT n.id, n.court_code, n.notice_no, n.body_hash, n.body FROM notices n
         JOIN unnest($1::text[], $2::text[]) AS k(court, notice_no)
           ON n.court_code = k.court AND n.notice_no = k.notice_no`,
        [
          rows.filter((r) => !fresh.has(r.id)).map((r) => r.court),
          rows.filter((r) => !fresh.has(r.id)).map((r) => r.noticeNo),
        ],
      );
      for (const f of found)
        existing.set(`${f.court_code}\u0000${f.notice_no}`, { id: f.id, hash: f.body_hash, body: f.body });
    }
    return rows.map((r, i) => {
      if (fresh.has(r.id)) return { id: r.id, duplicate: false };
      const prior = existing.get(`${r.court}\u0000${r.noticeNo}`);
      if (!prior) return new HubError('INTERNAL');
      // Same court and notice number but different content: a second document under a used number. The same
      // instant spelt another way (UTC for +08:00, with milliseconds or without) is the same document.
      if (prior.hash !== r.hash && sameInstants(prior.body) !== sameInstants(batch[i]!.notice))
        return new HubError('NOTICE_CONFLICT', [{ path: 'noticeNo', id: prior.id }]);
      return { id: prior.id, duplicate: true };
    });
  }
}

/** A notice's canonical JSON with each instant it carries (issuedAt, params.groundAroseAt) written one way. */
function sameInstants(notice: unknown): string {
  const instant = (v: unknown) => {
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    return Number.isFinite(t) ? new Date(t).toISOString() : v;
  };
  if (typeof notice !== 'object' || notice === null) return canonicalJson(notice);
  const n = notice as { issuedAt?: unknown; params?: Record<string, unknown> };
  const params = n.params && { ...n.params, groundAroseAt: instant(n.params.groundAroseAt) };
  return canonicalJson({ ...n, issuedAt: instant(n.issuedAt), ...(params ? { params } : {}) });
}

/**
 * A notice that fails alone, for a reason that is not the database being unavailable. When its content is
 * what PostgreSQL or protobuf refuses (validation did not foresee it), the court is told it is its input,
 * never a 500; anything else is ours.
 */
function unstorable(err: unknown): HubError {
  if (!isRefusedData(err)) return new HubError('INTERNAL', [], undefined, { cause: err });
  return new HubError(
    'VALIDATION_FAILED',
    [{ path: '', code: 'NOT_STORABLE', message: 'the notice holds a value the hub cannot store or send' }],
    undefined,
    { cause: err },
  );
}

function unavailable(err: unknown): HubError {
  return new HubError('UNAVAILABLE', [{ dependency: 'postgres' }], undefined, { cause: err });
}
