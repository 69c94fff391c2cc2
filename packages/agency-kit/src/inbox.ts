import { answerTopicFor, NoticeSubmission } from '@hub/contracts';
import { canonicalJson, HubError, isErrorCode, OPEN_REQUEST_STATUSES } from '@hub/domain';
import {
  conditionalEvents,
  type EventFactory,
  isRefusedData,
  isRetryable,
  type OutboxMessage,
  outboxWritten,
} from '@hub/messaging';
import { sealedBytes } from '@hub/seal';
import { GroupCommit, type Pool, type Queryable } from '@hub/store';
import type { Answer } from './answers.js';
import type { SealedRequest } from './sealed-request.js';

/** What an agency is shown of a request: every notice field decoded from the bytes the court sealed. */
export interface SealedItem {
  id: string;
  noticeId: string;
  noticeNo: string;
  caseNo: string;
  measure: string;
  court: unknown;
  officer: unknown;
  debtor: unknown;
  params: unknown;
  legalBasis: string;
  issuedAt: string;
  receivedAt: string;
  /** The court's seal and the exact bytes it signs (protobuf NoticeSubmission), base64, for the agency to verify. */
  seal: unknown;
  sealedNotice: string;
}

export interface InboxItem extends SealedItem {
  status: string;
  leaseUntil: string;
}

/** An inquiry the hub answered with this institution's earlier answer to the same court: nothing to answer. */
export interface ReuseRecord extends SealedItem {
  reusedFromRequestId: string;
}

// The domain's open statuses: a request the agency may still lease, acknowledge or answer (a reuse record never).
const OPEN = OPEN_REQUEST_STATUSES;
const isOpen = (status: string) => (OPEN as readonly string[]).includes(status);

/** What the inbox knows of a request before changing it: enough to build its progress event beforehand. */
export interface RequestRef {
  noticeId: string;
  measure: string;
  /** As read from the database; absent when the ref came from the cache (a request's status moves on). */
  status?: string;
}

/** Requests whose notice and measure the inbox remembers (they never change): most acks and answers read nothing. */
const REF_CACHE_SIZE = 50_000;

/**
 * The notice and measure of recently leased or read requests, per institution, oldest forgotten first. Only
 * facts that never change are kept, so a stale entry cannot exist; a request not in it (another replica leased
 * it, or it was forgotten) is read from the database.
 */
class RefCache {
  private readonly refs = new Map<string, { institution: string; noticeId: string; measure: string }>();

  get(institution: string, id: string): RequestRef | undefined {
    const r = this.refs.get(id);
    return r && r.institution === institution ? { noticeId: r.noticeId, measure: r.measure } : undefined;
  }

  set(institution: string, id: string, noticeId: string, measure: string): void {
    if (this.refs.has(id)) return;
    this.refs.set(id, { institution, noticeId, measure });
    if (this.refs.size > REF_CACHE_SIZE) this.refs.delete(this.refs.keys().next().value!);
  }
}

/**
 * A request id as the database writes it (lower case): partners may send a UUID in upper case, which the
 * database matches but a lookup by the text sent would not. Results still echo the id as sent.
 */
export const requestKey = (id: string) => id.toLowerCase();

/** Times a lease looks again when other workers took every request it found free (see `lease`). */
const LEASE_ATTEMPTS = 3;

export type ItemResult =
  | { requestId: string; ok: true; status: string }
  | { requestId: string; ok: false; code: string; details?: readonly unknown[] };

/**
 * One adapter's inbox: requests stored as they arrive from Kafka, leased to the agency's workers
 * (FOR UPDATE SKIP LOCKED: two workers never take the same request; an expired lease returns it),
 * acknowledged and answered. Every change commits with its progress event in the outbox.
 * An institution only ever sees and touches its own rows: every statement is scoped by it.
 */
export class Inbox {
  private readonly cache = new RefCache();
  /**
   * Acknowledgements and answers of all institutions that arrive together are written by one statement (group
   * commit): a notice's requests reach several institutions of an agency at once, and their workers lease,
   * acknowledge and answer at once, so one statement and one relay round serve them all instead of one each.
   */
  private readonly acks: GroupCommit<AckCall, Set<string>>;
  private readonly answers: GroupCommit<AnswerCall, Set<string>>;
  /** Leases likewise: the free requests of each are read by one statement, and claimed by one. */
  private readonly freeReads: GroupCommit<
    FreeRead,
    { free: FreeRow[]; expiryMs: number | null; held: string[] }
  >;
  private readonly claims: GroupCommit<Claim, LeasedRow[]>;

  constructor(
    private readonly pool: Pool,
    private readonly agency: string,
    private readonly events: EventFactory,
    private readonly now: () => Date,
  ) {
    // A group fails whole only when the database is unavailable; any other failure is looked for call by call.
    const isolate = (err: unknown) => !isRetryable(err);
    // A group's statement carries at most some 5,000 requests (a call carries up to 500).
    this.acks = new GroupCommit((calls) => this.ackGroup(calls), { isolate, weight: (c) => c.ids.length });
    this.answers = new GroupCommit((calls) => this.answerGroup(calls), {
      isolate,
      weight: (c) => c.rows.length,
    });
    this.freeReads = new GroupCommit((calls) => this.freeGroup(calls), { isolate, weight: (c) => c.limit });
    this.claims = new GroupCommit((calls) => this.claimGroup(calls), {
      isolate,
      weight: (c) => c.free.length,
    });
  }

  /**
   * Store requests whose seal and contents were checked (sealed-request.ts). Every column an agency sees is
   * taken from the sealed notice, never from the event's copies; a reuse record is stored already settled.
   */
  async store(tx: Queryable, requests: SealedRequest[]): Promise<void> {
    if (requests.length === 0) return;
    await tx.query(
      `INSERT INTO requests (id, notice_id, institution, measure, notice_no, case_no, params, sealed_notice, seal,
                             reused_from, status, received_at)
       SELECT *, $12::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                                   $7::jsonb[], $8::bytea[], $9::jsonb[], $10::uuid[], $11::text[])
       ON CONFLICT (id) DO NOTHING`,
      [
        requests.map((r) => r.requestId),
        requests.map((r) => r.noticeId),
        requests.map((r) => r.institution),
        requests.map((r) => r.notice.measure),
        requests.map((r) => r.notice.noticeNo),
        requests.map((r) => r.notice.caseNo),
        requests.map((r) => JSON.stringify(r.notice.params ?? {})),
        requests.map((r) => sealedBytes(r.notice)),
        requests.map((r) =>
          JSON.stringify({
            keyId: r.seal.keyId,
            algorithm: r.seal.algorithm,
            signature: Buffer.from(r.seal.signature).toString('base64'),
          }),
        ),
        requests.map((r) => r.reusedFrom),
        requests.map((r) => (r.reusedFrom ? 'reused' : 'pending')),
        this.now(),
      ],
    );
  }

  /**
   * Lease up to `limit` open requests of `institution` for `leaseSeconds`; first delivery is announced.
   *
   * Two statements and no transaction (each statement is atomic): the oldest free requests are read, then one
   * statement claims those still free (FOR UPDATE SKIP LOCKED: two workers never take the same request),
   * leases them and writes the events of their first deliveries, built beforehand (`conditionalEvents`). An
   * empty inbox costs one read. If other workers took every request found meanwhile, it looks again, a few
   * times, rather than answer "nothing" while work waits. Both statements are shared with the leases of other
   * institutions made at the same moment (`freeReads`, `claims`: group commit).
   */
  async lease(
    institution: string,
    worker: string,
    limit: number,
    leaseSeconds: number,
    options: { acknowledge?: boolean | undefined; key?: string | undefined } = {},
  ): Promise<InboxItem[]> {
    return (
      await this.leaseOrExpiry(institution, worker, limit, leaseSeconds, { ...options, withExpiry: false })
    ).items;
  }

  /**
   * What a lease call made with this Idempotency-Key leased and still holds (`ids`, as the free read found them):
   * its requests of `institution` not answered since and whose lease has not run out, oldest first. The same call
   * repeated gets them again without leasing more; if none is left, it leases as a new one.
   */
  private async leasedUnder(institution: string, key: string, ids: string[]): Promise<InboxItem[]> {
    const { rows } = await this.pool.query<LeasedRow>(
      `SELECT * FROM requests r
       WHERE r.id = ANY($4::uuid[]) AND r.institution = $1 AND r.answered_at IS NULL AND r.reused_from IS NULL
         AND r.lease_key = $2 AND r.lease_until >= now() AND r.status = ANY($3::text[])
         AND r.sealed_notice IS NOT NULL
       ORDER BY r.received_at, r.id`,
      [institution, key, OPEN, ids],
    );
    for (const r of rows) this.cache.set(institution, r.id, r.notice_id, r.measure);
    return rows.map((r) => ({
      ...sealedItemOf(r),
      status: r.status,
      leaseUntil: r.lease_until.toISOString(),
    }));
  }

  /**
   * `lease`, and when it finds nothing free, what `nextLeaseExpiryMs` would say, read by the same statement (a
   * waiting lease needs it before it waits: one read fewer per empty lease, and most long polls end with one).
   */
  async leaseOrExpiry(
    institution: string,
    worker: string,
    limit: number,
    leaseSeconds: number,
    {
      withExpiry = true,
      acknowledge = false,
      key,
    }: {
      /** The call's Idempotency-Key, kept on what it leases (`leasedUnder`). */
      key?: string | undefined;
      /** Read when the earliest live lease ends if nothing is free (the default). */
      withExpiry?: boolean;
      /**
       * 签收 with the lease: the requests it takes that are still pending or delivered are acknowledged by the same
       * statement (one RequestAcknowledged each, which implies delivery), sparing the partner the acknowledgement
       * call and the hub its statement and event, for a partner that acknowledges whatever it receives.
       */
      acknowledge?: boolean | undefined;
    } = {},
  ): Promise<{ items: InboxItem[]; nextExpiryMs: number | null }> {
    for (let attempt = 1; ; attempt++) {
      const { free, expiryMs, held } = await this.freeReads.submit({
        institution,
        limit,
        withExpiry,
        key: key ?? null,
      });
      // The same call again (its reply was lost): what it leased and still holds, and nothing more.
      if (held.length > 0 && key)
        return { items: await this.leasedUnder(institution, key, held), nextExpiryMs: null };
      if (free.length === 0) return { items: [], nextExpiryMs: expiryMs };
      const rows = await this.claims.submit({
        institution,
        worker,
        leaseSeconds,
        free,
        acknowledge,
        key: key ?? null,
      });
      for (const r of rows) this.cache.set(institution, r.id, r.notice_id, r.measure);
      if (rows.length > 0 || attempt >= LEASE_ATTEMPTS)
        return {
          items: rows.map((r) => ({
            ...sealedItemOf(r),
            status: r.status,
            leaseUntil: r.lease_until.toISOString(),
          })),
          // Others took what was found: a lease of theirs ends at the earliest then (the caller reads it again).
          nextExpiryMs: rows.length > 0 ? null : 0,
        };
    }
  }

  /**
   * The oldest free requests of each lease that came together (`freeReads`), by one statement; for a lease that
   * finds nothing and asked for it, when the earliest live lease of its institution ends (ms, by the database
   * clock), or null if none is leased.
   */
  private async freeGroup(
    calls: readonly FreeRead[],
  ): Promise<{ free: FreeRow[]; expiryMs: number | null; held: string[] }[]> {
    // By the open-inbox index in lease order (migration 1007). Only an answer leaves a dead entry in it (claims and
    // acknowledgements are HOT updates), so PostgreSQL may read it as it likes. 1007's `inbox_free_requests`, the
    // same statement in a function that forbade bitmap scans, re-planned at every call: 1.27–1.59 ms a read at
    // 350 requests/s against 0.16–0.30 ms for this (pg_stat_statements, 2026-12-07). The function stays in the
    // schema for adapters of the previous version during a rolling update; a later migration drops it.
    // A keyed lease also finds what a call with its key leased and still holds (the open-inbox index, filtered by
    // the key: not indexed, so that a claim stays a HOT update), in this same statement: a repeated call gets it
    // back, a new one (nearly all) costs no extra round trip.
    const { rows } = await this.pool.query<
      FreeRow & { ask: number; expiry_ms: number | null; held: boolean }
    >(
      `WITH asks AS (
         SELECT * FROM unnest($1::text[], $2::int[], $3::bool[], $5::text[])
           WITH ORDINALITY AS a(institution, lim, expiry, key, ask)),
       held AS (
         SELECT a.ask, r.id FROM asks a JOIN requests r ON r.institution = a.institution
         WHERE a.key IS NOT NULL AND r.lease_key = a.key AND r.answered_at IS NULL AND r.reused_from IS NULL
           AND r.status = ANY($4::text[]) AND r.lease_until >= now() AND r.sealed_notice IS NOT NULL),
       free AS (
         SELECT a.ask, f.* FROM asks a CROSS JOIN LATERAL (
           SELECT r.id, r.notice_id, r.measure, r.delivered_at IS NULL AS first FROM requests r
           WHERE r.institution = a.institution AND r.answered_at IS NULL AND r.reused_from IS NULL
             AND r.status = ANY($4::text[])
             AND (r.lease_until IS NULL OR r.lease_until < now()) AND r.sealed_notice IS NOT NULL
           ORDER BY r.received_at, r.id LIMIT a.lim) f)
       SELECT f.ask::int, f.id, f.notice_id, f.measure, f.first, NULL::float8 AS expiry_ms, false AS held FROM free f
       UNION ALL
       SELECT h.ask::int, h.id, NULL::uuid, NULL::text, NULL::boolean, NULL::float8, true FROM held h
       UNION ALL
       SELECT a.ask::int, NULL::uuid, NULL::uuid, NULL::text, NULL::boolean,
         (SELECT (extract(epoch FROM min(r.lease_until) - now()) * 1000)::float8 FROM requests r
          WHERE r.institution = a.institution AND r.answered_at IS NULL AND r.reused_from IS NULL
            AND r.status = ANY($4::text[]) AND r.lease_until >= now() AND r.sealed_notice IS NOT NULL), false
       FROM asks a WHERE a.expiry AND NOT EXISTS (SELECT 1 FROM free f WHERE f.ask = a.ask)`,
      [
        calls.map((c) => c.institution),
        calls.map((c) => c.limit),
        calls.map((c) => c.withExpiry),
        OPEN,
        calls.map((c) => c.key),
      ],
    );
    const out = calls.map(() => ({
      free: [] as FreeRow[],
      expiryMs: null as number | null,
      held: [] as string[],
    }));
    for (const r of rows) {
      const o = out[r.ask - 1]!;
      if (r.held) o.held.push(r.id);
      else if (r.id !== null)
        o.free.push({ id: r.id, notice_id: r.notice_id, measure: r.measure, first: r.first });
      else if (r.expiry_ms !== null) o.expiryMs = Math.max(0, Math.ceil(r.expiry_ms));
    }
    return out;
  }

  /**
   * The claims of leases that came together (`claims`), by one statement: each claims, for its own institution,
   * those of the requests it found that are still free (FOR UPDATE SKIP LOCKED: two workers never take the same
   * request; a request two leases of the group found goes to the first), leases them to its worker for its
   * seconds and writes the events of their first deliveries, built beforehand (`conditionalEvents`).
   */
  private async claimGroup(calls: readonly Claim[]): Promise<LeasedRow[][]> {
    const ids: string[] = [];
    const asks: number[] = [];
    const institutions: string[] = [];
    const events: OutboxMessage[] = [];
    // Each event's subject: the request id and what the claim did to it (`:d` first delivered, `:a` acknowledged).
    const subjects: string[] = [];
    const seen = new Set<string>();
    calls.forEach((c, i) => {
      for (const r of c.free) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        ids.push(r.id);
        asks.push(i + 1);
        institutions.push(c.institution);
        // An acknowledging lease announces the acknowledgement only (if the claim made one): it implies delivery.
        if (!r.first && !c.acknowledge) continue;
        subjects.push(`${r.id}${c.acknowledge ? ':a' : ':d'}`);
        events.push(
          this.events.event(
            'progress',
            r.notice_id,
            c.acknowledge ? 'requestAcknowledged' : 'requestDelivered',
            {
              requestId: r.id,
              noticeId: r.notice_id,
              agency: this.agency,
              institution: c.institution,
              measure: r.measure,
            },
          ),
        );
      }
    });
    const announced = conditionalEvents(events, subjects, 10);
    const { rows } = await this.pool.query<LeasedRow & { ask: number }>(
      `WITH asks AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[]) AS a(id, institution, ask)),
       workers AS (
         SELECT * FROM unnest($4::text[], $5::float8[], $8::bool[], $9::text[])
           WITH ORDINALITY AS w(worker, secs, ack, key, ask)),
       claimed AS (
         SELECT r.id, a.ask, w.ack AND r.status IN ('pending', 'delivered') AS acking
         FROM requests r JOIN asks a ON r.id = a.id AND r.institution = a.institution
           JOIN workers w ON w.ask = a.ask
         WHERE r.status = ANY($6::text[]) AND (r.lease_until IS NULL OR r.lease_until < now())
           AND r.sealed_notice IS NOT NULL
         FOR UPDATE OF r SKIP LOCKED),
       leased AS (
         UPDATE requests r SET lease_owner = w.worker, lease_until = now() + make_interval(secs => w.secs),
           lease_key = w.key,
           status = CASE WHEN c.acking THEN 'acknowledged' WHEN r.status = 'pending' THEN 'delivered'
                         ELSE r.status END,
           acknowledged_at = CASE WHEN c.acking THEN $7 ELSE r.acknowledged_at END,
           delivered_at = COALESCE(r.delivered_at, $7)
         FROM claimed c JOIN workers w ON w.ask = c.ask
         WHERE r.id = c.id
         RETURNING r.*, c.ask, (r.delivered_at = $7) AS first_delivery, c.acking),
       changed AS (
         SELECT id::text || ':d' AS id FROM leased WHERE first_delivery AND NOT acking
         UNION ALL SELECT id::text || ':a' FROM leased WHERE acking),
       announced AS (${announced.sql('changed')})
       SELECT * FROM leased ORDER BY received_at, id`,
      [
        ids,
        institutions,
        asks,
        calls.map((c) => c.worker),
        calls.map((c) => c.leaseSeconds),
        OPEN,
        this.now(),
        calls.map((c) => c.acknowledge),
        calls.map((c) => c.key),
        ...announced.params,
      ],
    );
    if (events.length > 0) outboxWritten(this.pool);
    const out = calls.map(() => [] as LeasedRow[]);
    for (const r of rows) out[r.ask - 1]!.push(r);
    return out;
  }

  /**
   * Notice and measure of the requests of `institution` among `ids`, by `requestKey` (ids not its own, or
   * unknown, are absent): from the cache where it has them (no status then), else read with their status.
   */
  async refs(institution: string, ids: readonly string[]): Promise<Map<string, RequestRef>> {
    const out = new Map<string, RequestRef>();
    const missing: string[] = [];
    for (const id of ids.map(requestKey)) {
      if (out.has(id)) continue;
      const hit = this.cache.get(institution, id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const { rows } = await this.pool.query<{
      id: string;
      notice_id: string;
      measure: string;
      status: string;
    }>(
      'SELECT id, notice_id, measure, status FROM requests WHERE id = ANY($1::uuid[]) AND institution = $2',
      [missing, institution],
    );
    for (const r of rows) {
      this.cache.set(institution, r.id, r.notice_id, r.measure);
      out.set(r.id, { noticeId: r.notice_id, measure: r.measure, status: r.status });
    }
    return out;
  }

  /**
   * Milliseconds until the earliest live lease on an open request of `institution` ends (it becomes leasable
   * again then, with nothing stored to announce it), or null if none is leased. By the database clock, as
   * leases are.
   */
  async nextLeaseExpiryMs(institution: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ ms: number | null }>(
      `SELECT (extract(epoch FROM min(lease_until) - now()) * 1000)::float8 AS ms FROM requests
       WHERE institution = $1 AND answered_at IS NULL AND reused_from IS NULL AND status = ANY($2::text[])
         AND lease_until >= now() AND sealed_notice IS NOT NULL`,
      [institution, OPEN],
    );
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? null : Math.max(0, Math.ceil(ms));
  }

  /**
   * The reuse records of `institution` after the record `after` (oldest first): every court inquiry that was
   * answered from this institution's earlier answer stays known to it. First listing is kept as delivery.
   */
  async reuseRecords(institution: string, after: string | undefined, limit: number): Promise<ReuseRecord[]> {
    const { rows } = await this.pool.query(
      `WITH page AS (
         SELECT id FROM requests
         WHERE institution = $1 AND reused_from IS NOT NULL
           AND ($2::uuid IS NULL OR (received_at, id) >
                (SELECT received_at, id FROM requests WHERE id = $2::uuid AND institution = $1))
         ORDER BY received_at, id LIMIT $3)
       UPDATE requests r SET delivered_at = COALESCE(r.delivered_at, $4)
       FROM page WHERE r.id = page.id
       RETURNING r.*`,
      [institution, after ?? null, limit, this.now()],
    );
    return rows
      .sort((a, b) => a.received_at.getTime() - b.received_at.getTime() || (a.id < b.id ? -1 : 1))
      .map((r) => ({ ...sealedItemOf(r), reusedFromRequestId: r.reused_from }));
  }

  /**
   * 签收: acknowledge requests; repeating an acknowledgement is harmless. One statement, shared with the
   * acknowledgements made at the same moment (`acks`), acknowledges those still pending or delivered and writes
   * their events, built beforehand from `refs` (no transaction needed).
   */
  async acknowledge(institution: string, ids: string[]): Promise<ItemResult[]> {
    const before = await this.refs(institution, ids);
    const acking = [...before].filter(
      ([, r]) => r.status === undefined || r.status === 'pending' || r.status === 'delivered',
    );
    const changed =
      acking.length > 0
        ? await this.acks.submit({
            institution,
            ids: acking.map(([id]) => id),
            events: acking.map(([id, r]) =>
              this.events.event('progress', r.noticeId, 'requestAcknowledged', {
                requestId: id,
                noticeId: r.noticeId,
                agency: this.agency,
                institution,
                measure: r.measure,
              }),
            ),
          })
        : new Set<string>();
    // One that another call moved between the read and the change is read again: its result is its state now.
    const moved = acking.map(([id]) => id).filter((id) => !changed.has(id));
    const now = await this.statuses(this.pool, institution, moved);
    return ids.map((id): ItemResult => {
      const key = requestKey(id);
      if (changed.has(key)) return { requestId: id, ok: true, status: 'acknowledged' };
      const status = now.get(key) ?? before.get(key)?.status;
      if (status === undefined) return { requestId: id, ok: false, code: 'REQUEST_NOT_FOUND' };
      if (status === 'acknowledged') return { requestId: id, ok: true, status };
      return { requestId: id, ok: false, code: 'ILLEGAL_TRANSITION' };
    });
  }

  /**
   * The acknowledgements of calls that came together (`acks`), by one statement that acknowledges the requests
   * still pending or delivered, each only for its own institution, and writes their events. A request in two
   * calls is acknowledged (and announced) once; each call learns which of its requests this group changed.
   */
  private async ackGroup(calls: readonly AckCall[]): Promise<Set<string>[]> {
    const ids: string[] = [];
    const institutions: string[] = [];
    const events: OutboxMessage[] = [];
    const seen = new Set<string>();
    for (const c of calls)
      c.ids.forEach((id, i) => {
        if (seen.has(id)) return;
        seen.add(id);
        ids.push(id);
        institutions.push(c.institution);
        events.push(c.events[i]!);
      });
    const announced = conditionalEvents(events, ids, 4);
    const { rows } = await this.pool.query<{ id: string }>(
      `WITH acked AS (
         UPDATE requests r SET status = 'acknowledged', acknowledged_at = $3,
           delivered_at = COALESCE(r.delivered_at, $3)
         FROM unnest($1::uuid[], $2::text[]) AS a(id, institution)
         WHERE r.id = a.id AND r.institution = a.institution AND r.status IN ('pending', 'delivered')
         RETURNING r.id),
       announced AS (${announced.sql('acked')})
       SELECT id FROM acked`,
      [ids, institutions, this.now(), ...announced.params],
    );
    outboxWritten(this.pool);
    const changed = new Set(rows.map((r) => r.id));
    return calls.map((c) => new Set(c.ids.filter((id) => changed.has(id))));
  }

  /**
   * The answers of calls that came together (`answers`), by one statement that records those of requests still
   * open, each only for its own institution and with its own call's signature, and writes their events. The
   * first answer to a request, in the order the calls came, is the one recorded; each call learns which of its
   * answers (by request key) this group applied.
   */
  private async answerGroup(calls: readonly AnswerCall[]): Promise<Set<string>[]> {
    const rows: { call: number; key: string; institution: string; a: AnswerRow; event: OutboxMessage }[] = [];
    const seen = new Set<string>();
    for (const [call, c] of calls.entries())
      for (const [i, a] of c.rows.entries()) {
        if (seen.has(a.key)) continue;
        seen.add(a.key);
        rows.push({ call, key: a.key, institution: c.institution, a, event: c.events[i]! });
      }
    const events = conditionalEvents(
      rows.map((r) => r.event),
      rows.map((r) => r.key),
      9,
    );
    const { rows: changed } = await this.pool.query<{ id: string }>(
      `WITH answered AS (
         UPDATE requests r SET status = a.outcome, outcome = a.outcome, reason = a.reason, result = a.result,
           answered_at = $6, lease_until = NULL, answer_signature = a.signature
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $8::jsonb[])
           AS a(id, outcome, reason, result, institution, signature)
         WHERE r.id = a.id AND r.institution = a.institution AND r.status = ANY($7::text[])
         RETURNING r.id),
       announced AS (${events.sql('answered')})
       SELECT id FROM answered`,
      [
        rows.map((r) => r.key),
        rows.map((r) => r.a.outcome),
        rows.map((r) => r.a.reason),
        rows.map((r) => r.a.result),
        rows.map((r) => r.institution),
        this.now(),
        OPEN,
        rows.map((r) => calls[r.call]!.signature),
        ...events.params,
      ],
    );
    outboxWritten(this.pool);
    const applied = new Set(changed.map((r) => r.id));
    const out = calls.map(() => new Set<string>());
    for (const r of rows) if (applied.has(r.key)) out[r.call]!.add(r.key);
    return out;
  }

  /**
   * Record answers (already validated); the first answer is final. A repeat is accepted only if it is the
   * same answer (outcome, reason and result); any other second answer, in a later call or later in the
   * same batch, is an ILLEGAL_TRANSITION, so an agency is never told a changed answer was taken.
   */
  async answer(
    institution: string,
    answers: { requestId: string; answer: Answer }[],
    signature: unknown = null,
    /** The requests as read just before (`refs`), when the caller has them: one read fewer. */
    known?: ReadonlyMap<string, RequestRef>,
  ): Promise<ItemResult[]> {
    const refs = known ?? (await this.refs(institution, [...new Set(answers.map((a) => a.requestId))]));
    try {
      return await this.answerTogether(institution, answers, signature, refs);
    } catch (err) {
      // Nothing was stored: the database being unwell is the caller's 503, whole.
      if (isRetryable(err)) throw err;
      return this.answerInHalves(institution, answers, signature, refs, err);
    }
  }

  /**
   * One answer the database refuses must not sink the others in its batch: the halves are recorded in turn,
   * each all-or-nothing, down to the single answer that cannot be stored. Halves keep their order, so the
   * first answer to a request still wins. Each item's result says exactly whether it was stored.
   */
  private async answerInHalves(
    institution: string,
    answers: { requestId: string; answer: Answer }[],
    signature: unknown,
    refs: ReadonlyMap<string, RequestRef>,
    failure: unknown,
  ): Promise<ItemResult[]> {
    if (answers.length === 1) return [notStored(answers[0]!.requestId, failure)];
    const half = Math.ceil(answers.length / 2);
    const out: ItemResult[] = [];
    for (const part of [answers.slice(0, half), answers.slice(half)]) {
      try {
        out.push(...(await this.answerTogether(institution, part, signature, refs)));
      } catch (err) {
        out.push(
          ...(isRetryable(err)
            ? part.map((a) => notStored(a.requestId, err))
            : await this.answerInHalves(institution, part, signature, refs, err)),
        );
      }
    }
    return out;
  }

  /**
   * One statement (shared with the answers made at the same moment: `answers`, group commit) records the
   * answers of the requests still open among those `refs` knows and writes their
   * RequestAnswered events, built beforehand from `refs` (no transaction needed: the statement is atomic, and it
   * changes only requests whose event it was given). What it did not apply (a request
   * answered before, or by another call meanwhile) is then read to say whether it was the same answer.
   */
  private async answerTogether(
    institution: string,
    answers: { requestId: string; answer: Answer }[],
    signature: unknown,
    refs: ReadonlyMap<string, RequestRef>,
  ): Promise<ItemResult[]> {
    const first = new Map<string, { requestId: string; answer: Answer }>();
    for (const a of answers) if (!first.has(requestKey(a.requestId))) first.set(requestKey(a.requestId), a);
    const unique = [...first.values()];
    const results = unique.map((a) =>
      'result' in a.answer ? (JSON.stringify(a.answer.result) ?? null) : null,
    );
    const open = unique.flatMap((a, i) => {
      const ref = refs.get(requestKey(a.requestId));
      return ref && (ref.status === undefined || isOpen(ref.status)) ? [{ a, ref, result: results[i]! }] : [];
    });
    const appliedKeys =
      open.length > 0
        ? await this.answers.submit({
            institution,
            signature: signature === null ? null : JSON.stringify(signature),
            rows: open.map(({ a, result }) => ({
              key: requestKey(a.requestId),
              outcome: a.answer.outcome,
              reason: a.answer.reason ?? null,
              result,
            })),
            events: open.map(({ a, ref, result }) =>
              this.events.event(answerTopicFor(ref.measure), ref.noticeId, 'requestAnswered', {
                requestId: requestKey(a.requestId),
                noticeId: ref.noticeId,
                agency: this.agency,
                institution,
                outcome: a.answer.outcome,
                reason: a.answer.reason ?? '',
                resultJson: result === null || result === 'null' ? '' : result,
                measure: ref.measure,
              }),
            ),
          })
        : new Set<string>();
    const applied = (a: { requestId: string }) =>
      appliedKeys.has(requestKey(a.requestId)) && first.get(requestKey(a.requestId)) === a;
    const stored = await this.answersOf(
      this.pool,
      institution,
      answers.filter((a) => !applied(a)).map((a) => a.requestId),
    );
    return answers.map((a): ItemResult => {
      if (applied(a)) return { requestId: a.requestId, ok: true, status: a.answer.outcome };
      const s = stored.get(requestKey(a.requestId));
      if (s === undefined) return { requestId: a.requestId, ok: false, code: 'REQUEST_NOT_FOUND' };
      if (sameAnswer(s, a.answer)) return { requestId: a.requestId, ok: true, status: s.status };
      return { requestId: a.requestId, ok: false, code: 'ILLEGAL_TRANSITION' };
    });
  }

  private async statuses(tx: Queryable, institution: string, ids: string[]): Promise<Map<string, string>> {
    return new Map([...(await this.answersOf(tx, institution, ids))].map(([id, r]) => [id, r.status]));
  }

  private async answersOf(
    tx: Queryable,
    institution: string,
    ids: string[],
  ): Promise<Map<string, StoredAnswer>> {
    if (ids.length === 0) return new Map();
    const { rows } = await tx.query<StoredAnswer & { id: string }>(
      'SELECT id, status, outcome, reason, result FROM requests WHERE id = ANY($1::uuid[]) AND institution = $2',
      [ids, institution],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }
}

/** An inbox row as the agency sees it: the notice's fields decoded from the sealed bytes, nothing else. */
function sealedItemOf(row: {
  id: string;
  notice_id: string;
  received_at: Date;
  seal: unknown;
  sealed_notice: Buffer;
}): SealedItem {
  const n = NoticeSubmission.decode(row.sealed_notice);
  return {
    id: row.id,
    noticeId: row.notice_id,
    noticeNo: n.noticeNo,
    caseNo: n.caseNo,
    measure: n.measure,
    court: n.court ?? {},
    officer: n.officer ?? {},
    debtor: n.debtor ?? {},
    params: n.params ?? {},
    legalBasis: n.legalBasis,
    issuedAt: n.issuedAt,
    receivedAt: row.received_at.toISOString(),
    seal: row.seal,
    sealedNotice: row.sealed_notice.toString('base64'),
  };
}

/** One lease's read of its institution's free requests (`freeReads`). */
interface FreeRead {
  institution: string;
  limit: number;
  withExpiry: boolean;
  /** The call's Idempotency-Key: what a call with it leased and still holds is read too (`held`). */
  key: string | null;
}

/** A free request as a lease found it: `first` if it was never delivered. */
interface FreeRow {
  id: string;
  notice_id: string;
  measure: string;
  first: boolean;
}

/** One lease's claim of the free requests it found (`claims`). */
interface Claim {
  institution: string;
  worker: string;
  leaseSeconds: number;
  /** The lease call's Idempotency-Key, kept on what it leases (`leasedUnder`). */
  key: string | null;
  free: FreeRow[];
  /** Acknowledge (签收) what it takes that is still pending or delivered. */
  acknowledge: boolean;
}

/** A leased request's row as the claim returns it. */
interface LeasedRow {
  id: string;
  notice_id: string;
  measure: string;
  status: string;
  lease_until: Date;
  received_at: Date;
  seal: unknown;
  sealed_notice: Buffer;
}

/** One call's acknowledgements for a group commit: its requests to acknowledge and their events, in order. */
interface AckCall {
  institution: string;
  ids: string[];
  events: OutboxMessage[];
}

/** An answer as written: the request's key, and the result as JSON text (or null). */
interface AnswerRow {
  key: string;
  outcome: string;
  reason: string | null;
  result: string | null;
}

/** One call's answers for a group commit, each with its RequestAnswered event, and the call's signature. */
interface AnswerCall {
  institution: string;
  signature: string | null;
  rows: AnswerRow[];
  events: OutboxMessage[];
}

interface StoredAnswer {
  status: string;
  outcome: string | null;
  reason: string | null;
  result: unknown;
}

function sameAnswer(stored: StoredAnswer, answer: Answer): boolean {
  return (
    stored.outcome === answer.outcome &&
    stored.reason === (answer.reason ?? null) &&
    canonicalJson(stored.result) === canonicalJson('result' in answer ? answer.result : null)
  );
}

/** An answer not stored: its own data refused (a 400 for that item alone), or the database unavailable. */
function notStored(requestId: string, err: unknown): ItemResult {
  if (isRetryable(err)) return { requestId, ok: false, code: 'UNAVAILABLE' };
  if (!isRefusedData(err)) return { requestId, ok: false, code: 'INTERNAL' };
  return {
    requestId,
    ok: false,
    code: 'VALIDATION_FAILED',
    details: [{ path: '', code: 'NOT_STORABLE', message: 'the answer holds a value the hub cannot store' }],
  };
}

export function throwIfFailed(result: ItemResult): ItemResult {
  if (!result.ok)
    throw new HubError(isErrorCode(result.code) ? result.code : 'INTERNAL', result.details ?? []);
  return result;
}
