import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@hub/contracts';
import {
  type AgencyKind,
  DEFAULT_SLA,
  deadlinesFor,
  isMeasure,
  isMoneyMeasure,
  isRequestStatus,
  type Measure,
  maskIdNumber,
  maskName,
  PRC_CALENDAR,
  requestStatusRank,
  slaFor,
  type VersionedSlaPolicy,
  type WorkingDayCalendar,
} from '@hub/domain';
import type { ConsumedEvent } from '@hub/messaging';
import type { Queryable } from '@hub/store';
import { amountOfAnswer } from './reports/answer-amounts.js';
import { armBreachDeadlines, lockAgainstProjection } from './sla/sla-timers.js';
import { closedSql, openSql, ranksAboveSql, TERMINAL_RANK } from './sql/request-status.js';

type StatusChange = {
  id: string;
  noticeId: string;
  agency: string;
  institution: string;
  status: string;
  rank: number;
  deliveredAt?: Date;
  acknowledgedAt?: Date;
  answeredAt?: Date;
  outcome?: string;
  reason?: string;
  resultJson?: string;
};

// An unknown outcome string ranks as terminal: an answer is an answer even if this build cannot name it.
const rankOf = (status: string) => (isRequestStatus(status) ? requestStatusRank(status) : TERMINAL_RANK);

/**
 * Folds a batch of events into the read model with one multi-row statement per kind of change.
 * Events of one request may arrive in any order across topics: statuses only move up their rank
 * (pending < delivered < acknowledged < terminal), so a late "delivered" never undoes an answer.
 * A request's deadlines are the ones its measure service stamped on RequestDispatched; only an older event
 * without them gets them computed here, from `sla` (recorded with that policy's version). Its answer deadline
 * is armed as a durable timer shared by the deadlines of the same second, which the answer leaves alone
 * (sla/sla-timers.ts, sla/detector.ts).
 */
export async function project(
  tx: Queryable,
  events: ConsumedEvent[],
  sla: VersionedSlaPolicy = DEFAULT_SLA,
  calendar: WorkingDayCalendar = PRC_CALENDAR,
) {
  const issued: Parameters<typeof upsertNotices>[1] = [];
  const dispatched: Parameters<typeof upsertDispatched>[1] = [];
  const changes = new Map<string, StatusChange>();
  const completed: { id: string; at: Date; requests: number }[] = [];
  const timeline: {
    noticeId: string;
    at: Date;
    event: string;
    requestId: string | null;
    detail: string | null;
  }[] = [];

  for (const { envelope } of events) {
    const at = envelope.occurredAt ?? new Date();
    const p = envelope.payload;
    if (!p) continue;
    switch (p.$case) {
      case 'noticeIssued': {
        const n = p.value.notice;
        const debtorId = n?.debtor?.idNumber || n?.debtor?.creditCode || '';
        issued.push({
          id: p.value.noticeId,
          noticeNo: n?.noticeNo ?? '',
          caseNo: n?.caseNo ?? '',
          court: n?.court?.code ?? '',
          measure: n?.measure ?? '',
          at: p.value.receivedAt ?? at,
          // Search by debtor without keeping the ID in clear: masked for people, hashed for exact match.
          debtorMasked: `${maskName(n?.debtor?.name ?? '')} ${maskIdNumber(debtorId)}`.trim(),
          subjectKey: debtorId ? createHash('sha256').update(debtorId).digest('hex') : null,
        });
        timeline.push(entry(envelope, at, null, n?.measure ?? null));
        break;
      }
      case 'requestDispatched': {
        const r = p.value;
        // The case and court come from the sealed notice (events written before 2026-12-07 also carried copies).
        dispatched.push({
          ...r,
          caseNo: r.notice?.caseNo || r.caseNo,
          court: r.notice?.court ?? r.court,
          at,
          ...stampedOrComputed(r, at, sla, calendar),
        });
        timeline.push(entry(envelope, at, r.requestId, r.institution));
        break;
      }
      case 'requestDelivered':
      case 'requestAcknowledged':
      case 'requestAnswered':
      case 'requestFailed': {
        const r = p.value;
        const change = merge(changes.get(r.requestId), {
          id: r.requestId,
          noticeId: r.noticeId,
          agency: r.agency,
          institution: r.institution,
          ...statusOf(p, at),
        });
        changes.set(r.requestId, change);
        const why =
          p.$case === 'requestAnswered' ? p.value.outcome : p.$case === 'requestFailed' ? p.value.code : '';
        timeline.push(entry(envelope, at, r.requestId, [r.institution, why].filter(Boolean).join(': ')));
        break;
      }
      case 'noticeCompleted':
        completed.push({ id: p.value.noticeId, at, requests: p.value.requests });
        timeline.push(entry(envelope, at, null, null));
        break;
    }
  }

  // Before any write: arming locks shared timer rows, which a firing timer takes before the requests it stamps;
  // then the lock that keeps a firing and this transaction's request writes apart (sla-timers.ts).
  const terminal = [...changes.values()].filter((c) => c.rank === TERMINAL_RANK).map((c) => c.id);
  const ended = new Set(terminal);
  await armBreachDeadlines(
    tx,
    dispatched.filter((d) => d.due && !ended.has(d.requestId)).map((d) => d.due as Date),
  );
  if (dispatched.length > 0 || changes.size > 0) await lockAgainstProjection(tx, 'shared');
  await upsertNotices(tx, issued);
  const touched = [
    ...new Set([...dispatched.map((d) => d.noticeId), ...[...changes.values()].map((c) => c.noticeId)]),
  ];
  if (touched.length > 0) {
    await tx.query(
      `INSERT INTO notices (id, status) SELECT unnest($1::uuid[]), 'in-progress'
       ON CONFLICT (id) DO UPDATE SET status = 'in-progress', updated_at = now() WHERE notices.status = 'issued'`,
      [touched],
    );
  }
  // A request dispatched and moved on in this batch (a gathered fetch often holds its whole life) is inserted in its
  // final state: one row version and one pass through the indexes and the rollup triggers, not an insert and an
  // update. Where its row was already there (events out of order, a replay), the change is applied as any other.
  const armed = await upsertDispatched(tx, dispatched, changes);
  // A row inserted here carries its final state and its answer's amount: neither is written again.
  const inserted = new Set(armed.filter((r) => r.inserted).map((r) => r.id));
  await upsertChanges(
    tx,
    [...changes.values()].filter((c) => !inserted.has(c.id)),
  );
  await readAnswerAmounts(
    tx,
    [...new Set([...dispatched.map((d) => d.requestId), ...changes.keys()])].filter(
      (id) => !inserted.has(id),
    ),
  );
  const answered =
    terminal.length === 0
      ? []
      : (
          await tx.query<{ agency: string; seconds: number }>(
            `SELECT agency, extract(epoch FROM answered_at - dispatched_at)::float8 AS seconds FROM requests
             WHERE id = ANY($1::uuid[]) AND ${closedSql('requests')} AND dispatched_at IS NOT NULL AND answered_at IS NOT NULL`,
            [terminal],
          )
        ).rows;
  await settleCompletions(
    tx,
    completed,
    [...changes.values()].filter((c) => c.rank === TERMINAL_RANK).map((c) => c.noticeId),
  );
  if (timeline.length > 0) {
    await tx.query(
      `INSERT INTO timeline (notice_id, at, event, request_id, detail)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[])`,
      [
        timeline.map((t) => t.noticeId),
        timeline.map((t) => t.at),
        timeline.map((t) => t.event),
        timeline.map((t) => t.requestId),
        timeline.map((t) => t.detail),
      ],
    );
  }
  return { answered };
}

/**
 * A notice is completed in the read model once its measure service has completed it (NoticeCompleted, with the
 * number of requests it counted) and that many of its requests are here and answered. The completion may be applied
 * before those requests: they travel on other topics, and a fetch under a backlog returns at most a megabyte of each
 * partition. It is then kept as pending (`completion_seen_at`, `requests_expected`) and the notice reads as in
 * progress, in its view and in every list alike, until an answer that makes the count is applied. `answeredNotices`:
 * the notices of requests answered in this batch, the only ones whose pending completion can have become due.
 */
async function settleCompletions(
  tx: Queryable,
  completed: { id: string; at: Date; requests: number }[],
  answeredNotices: string[],
) {
  if (completed.length > 0) {
    // An upsert: a completion applied before anything else of its notice is kept, not lost.
    const last = [...new Map(completed.map((c) => [c.id, c])).values()];
    await tx.query(
      `INSERT INTO notices AS n (id, status, completion_seen_at, requests_expected)
       SELECT c.id, 'in-progress', c.at, c.requests
       FROM unnest($1::uuid[], $2::timestamptz[], $3::integer[]) AS c(id, at, requests)
       ON CONFLICT (id) DO UPDATE SET completion_seen_at = EXCLUDED.completion_seen_at,
         requests_expected = EXCLUDED.requests_expected, updated_at = now()
       WHERE n.status NOT IN ('completed', 'cancelled')`,
      [last.map((c) => c.id), last.map((c) => c.at), last.map((c) => c.requests)],
    );
  }
  const candidates = [...new Set([...completed.map((c) => c.id), ...answeredNotices])];
  if (candidates.length === 0) return;
  await tx.query(
    `UPDATE notices n SET status = 'completed', completed_at = n.completion_seen_at, updated_at = now()
     WHERE n.id = ANY($1::uuid[]) AND n.completion_seen_at IS NOT NULL
       AND n.status NOT IN ('completed', 'cancelled')
       AND (SELECT count(*) FROM requests r WHERE r.notice_id = n.id AND ${closedSql('r')})
           >= COALESCE(n.requests_expected, 0)`,
    [candidates],
  );
}

type Dispatched = Extract<NonNullable<EventEnvelope['payload']>, { $case: 'requestDispatched' }>['value'];

/** The deadlines the measure service stamped, or (an event from before they were stamped) computed now. */
function stampedOrComputed(r: Dispatched, at: Date, sla: VersionedSlaPolicy, calendar: WorkingDayCalendar) {
  if (r.acknowledgeBy && r.answerBy && r.escalateAt) {
    return {
      ackDue: r.acknowledgeBy,
      due: r.answerBy,
      escalate: r.escalateAt,
      policyVersion: r.slaPolicyVersion ?? '',
    };
  }
  const d = deadlinesFor(slaFor(sla.policy, r.agency as AgencyKind, r.measure as Measure), at, calendar);
  return { ackDue: d.acknowledgeBy, due: d.answerBy, escalate: d.escalateAt, policyVersion: sla.version };
}

function entry(envelope: EventEnvelope, at: Date, requestId: string | null, detail: string | null) {
  return { noticeId: envelope.noticeId, at, event: envelope.type, requestId, detail };
}

function statusOf(
  p: NonNullable<EventEnvelope['payload']>,
  at: Date,
): Omit<StatusChange, 'id' | 'noticeId' | 'agency' | 'institution'> {
  switch (p.$case) {
    case 'requestDelivered':
      return { status: 'delivered', rank: requestStatusRank('delivered'), deliveredAt: at };
    case 'requestAcknowledged':
      // An acknowledgement implies delivery: one made with the lease (inbox `acknowledge=true`) is announced alone.
      return {
        status: 'acknowledged',
        rank: requestStatusRank('acknowledged'),
        deliveredAt: at,
        acknowledgedAt: at,
      };
    case 'requestAnswered':
      return {
        status: p.value.outcome,
        rank: rankOf(p.value.outcome),
        answeredAt: at,
        outcome: p.value.outcome,
        reason: p.value.reason,
        resultJson: p.value.resultJson,
      };
    case 'requestFailed':
      return {
        status: 'failed',
        rank: requestStatusRank('failed'),
        answeredAt: at,
        reason: p.value.reason,
        outcome: undefined,
      };
    default:
      throw new Error(`not a request status event: ${p.$case}`);
  }
}

/**
 * Two changes of one request in one batch, as applying them one after the other would leave it (upsertChanges):
 * the higher rank decides the status and the answer, and of two answers or failures the first, each whole: no
 * field of the other mixes in (a failure's reason beside an answer's result). The times it was delivered and
 * acknowledged are the first ones seen.
 */
function merge(a: StatusChange | undefined, b: StatusChange): StatusChange {
  if (!a) return b;
  const hi = b.rank > a.rank ? b : a;
  return {
    ...hi,
    deliveredAt: a.deliveredAt ?? b.deliveredAt,
    acknowledgedAt: a.acknowledgedAt ?? b.acknowledgedAt,
  };
}

async function upsertNotices(
  tx: Queryable,
  rows: {
    id: string;
    noticeNo: string;
    caseNo: string;
    court: string;
    measure: string;
    at: Date;
    debtorMasked: string;
    subjectKey: string | null;
  }[],
) {
  if (rows.length === 0) return;
  const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
  await tx.query(
    `INSERT INTO notices (id, notice_no, case_no, court_code, measure, issued_at, debtor_masked, subject_key)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                          $7::text[], $8::text[])
     ON CONFLICT (id) DO UPDATE SET notice_no = EXCLUDED.notice_no, case_no = EXCLUDED.case_no,
       court_code = EXCLUDED.court_code, measure = EXCLUDED.measure, issued_at = EXCLUDED.issued_at,
       debtor_masked = EXCLUDED.debtor_masked, subject_key = EXCLUDED.subject_key, updated_at = now()`,
    [
      unique.map((r) => r.id),
      unique.map((r) => r.noticeNo),
      unique.map((r) => r.caseNo),
      unique.map((r) => r.court),
      unique.map((r) => r.measure),
      unique.map((r) => r.at),
      unique.map((r) => r.debtorMasked),
      unique.map((r) => r.subjectKey),
    ],
  );
}

async function upsertDispatched(
  tx: Queryable,
  rows: {
    requestId: string;
    noticeId: string;
    agency: string;
    institution: string;
    measure: string;
    caseNo: string;
    court?: { code: string } | undefined;
    at: Date;
    ackDue: Date;
    due: Date;
    escalate: Date;
    policyVersion: string;
  }[],
  changes: ReadonlyMap<string, StatusChange>,
) {
  if (rows.length === 0) return [];
  const unique = [...new Map(rows.map((r) => [r.requestId, r])).values()];
  const change = unique.map((r) => changes.get(r.requestId));
  const amounts = unique.map((r, i) => answerAmountOf(r.agency, r.measure, change[i]?.resultJson || null));
  const { rows: stored } = await tx.query<{ id: string; inserted: boolean }>(
    `INSERT INTO requests (id, notice_id, agency, institution, measure, status, status_rank, dispatched_at,
                           ack_due_at, due_at, escalate_at, case_no, court_code, sla_policy_version,
                           delivered_at, acknowledged_at, answered_at, outcome, reason, result_json, late,
                           answer_read, answer_fen)
     SELECT id, notice_id, agency, institution, measure, COALESCE(status, 'pending'), COALESCE(rank, 0), at,
            ack_due, due, esc, case_no, court, v, delivered, acknowledged, answered, outcome, reason, result, late,
            answer_read, answer_fen
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                 $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::text[],
                 $13::text[], $14::smallint[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[],
                 $18::text[], $19::text[], $20::text[], $21::boolean[], $22::boolean[], $23::bigint[])
       AS t(id, notice_id, agency, institution, measure, at, ack_due, due, esc, case_no, court, v,
            status, rank, delivered, acknowledged, answered, outcome, reason, result, late, answer_read, answer_fen)
     ON CONFLICT (id) DO UPDATE SET measure = EXCLUDED.measure, dispatched_at = EXCLUDED.dispatched_at,
       ack_due_at = EXCLUDED.ack_due_at, due_at = EXCLUDED.due_at, escalate_at = EXCLUDED.escalate_at,
       case_no = EXCLUDED.case_no, court_code = EXCLUDED.court_code,
       sla_policy_version = EXCLUDED.sla_policy_version,
       late = requests.answered_at IS NOT NULL AND requests.answered_at > EXCLUDED.due_at,
       updated_at = now()
     RETURNING id, xmax = 0 AS inserted`,
    [
      unique.map((r) => r.requestId),
      unique.map((r) => r.noticeId),
      unique.map((r) => r.agency),
      unique.map((r) => r.institution),
      unique.map((r) => r.measure),
      unique.map((r) => r.at),
      unique.map((r) => r.ackDue),
      unique.map((r) => r.due),
      unique.map((r) => r.escalate),
      unique.map((r) => r.caseNo),
      unique.map((r) => r.court?.code ?? ''),
      unique.map((r) => r.policyVersion),
      // The change folded in, as upsertChanges would have applied it to the pending row: late when answered after due.
      change.map((c) => c?.status ?? null),
      change.map((c) => c?.rank ?? null),
      change.map((c) => c?.deliveredAt ?? null),
      change.map((c) => c?.acknowledgedAt ?? null),
      change.map((c) => c?.answeredAt ?? null),
      change.map((c) => c?.outcome ?? null),
      change.map((c) => c?.reason || null),
      change.map((c) => c?.resultJson || null),
      change.map((c, i) =>
        Boolean(c && c.rank >= TERMINAL_RANK && c.answeredAt && c.answeredAt > unique[i]!.due),
      ),
      // What readAnswerAmounts would then write on a new row, written with it.
      amounts.map((a) => a.read),
      amounts.map((a) => a.fen),
    ],
  );
  return stored;
}

const OPEN = openSql('requests');

async function upsertChanges(tx: Queryable, rows: StatusChange[]) {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO requests (id, notice_id, agency, institution, status, status_rank, delivered_at, acknowledged_at,
                           answered_at, outcome, reason, result_json)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::smallint[],
                          $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])
     ON CONFLICT (id) DO UPDATE SET
       status      = CASE WHEN ${ranksAboveSql('EXCLUDED', 'requests')} THEN EXCLUDED.status ELSE requests.status END,
       outcome     = CASE WHEN ${OPEN} THEN EXCLUDED.outcome ELSE requests.outcome END,
       reason      = CASE WHEN ${OPEN} THEN EXCLUDED.reason ELSE requests.reason END,
       result_json = CASE WHEN ${OPEN} THEN EXCLUDED.result_json ELSE requests.result_json END,
       answered_at = CASE WHEN ${OPEN} THEN EXCLUDED.answered_at ELSE requests.answered_at END,
       -- An answer after the deadline is kept and marked late: evidence of non-cooperation (DESIGN §4).
       late = requests.late OR (${OPEN} AND ${closedSql('EXCLUDED')}
                                AND requests.due_at IS NOT NULL AND EXCLUDED.answered_at > requests.due_at),
       status_rank = GREATEST(requests.status_rank, EXCLUDED.status_rank),
       delivered_at    = COALESCE(requests.delivered_at, EXCLUDED.delivered_at),
       acknowledged_at = COALESCE(requests.acknowledged_at, EXCLUDED.acknowledged_at),
       updated_at = now()`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.noticeId),
      rows.map((r) => r.agency),
      rows.map((r) => r.institution),
      rows.map((r) => r.status),
      rows.map((r) => r.rank),
      rows.map((r) => r.deliveredAt ?? null),
      rows.map((r) => r.acknowledgedAt ?? null),
      rows.map((r) => r.answeredAt ?? null),
      rows.map((r) => r.outcome ?? null),
      rows.map((r) => r.reason || null),
      rows.map((r) => r.resultJson || null),
    ],
  );
}

/** What a request's row keeps of its answer's amount: read and its fen for a money measure, nulls otherwise. */
function answerAmountOf(agency: string, measure: string | null, resultJson: string | null) {
  const money = measure !== null && isMeasure(measure) && isMoneyMeasure(measure);
  const fen = money ? (amountOfAnswer({ agency, measure: measure!, resultJson }) ?? null) : null;
  return { read: money ? true : null, fen };
}

/**
 * The amount each money answer among `ids` moved, read once here (in JS, as the yearly statistics read it) and kept
 * on the row for the rollups (migration 1013): `answer_read` true with `answer_fen` null when it does not parse.
 * Other measures' rows keep null. Written only where it changed, so a repeated event rewrites nothing.
 */
async function readAnswerAmounts(tx: Queryable, ids: string[]) {
  if (ids.length === 0) return;
  const { rows } = await tx.query<{
    id: string;
    agency: string;
    measure: string | null;
    result_json: string | null;
    answer_read: boolean | null;
    answer_fen: string | null;
  }>(
    `SELECT id, agency, measure, result_json, answer_read, answer_fen::text FROM requests
     WHERE id = ANY($1::uuid[]) AND (answer_read IS NOT NULL OR measure IN ('freeze', 'renew-freeze', 'deduct'))`,
    [ids],
  );
  const changed: { id: string; read: boolean | null; fen: number | null }[] = [];
  for (const r of rows) {
    const { read, fen } = answerAmountOf(r.agency, r.measure, r.result_json);
    const had = r.answer_fen === null ? null : Number(r.answer_fen);
    if (read !== r.answer_read || fen !== had) changed.push({ id: r.id, read, fen });
  }
  if (changed.length === 0) return;
  changed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await tx.query(
    `UPDATE requests r SET answer_read = c.read, answer_fen = c.fen
     FROM unnest($1::uuid[], $2::boolean[], $3::bigint[]) AS c(id, read, fen) WHERE r.id = c.id`,
    [changed.map((c) => c.id), changed.map((c) => c.read), changed.map((c) => c.fen)],
  );
}
