import { createHash, randomUUID } from 'node:crypto';
import { type AgencyTopicKind, type NoticeIssued, requestTopicKey } from '@hub/contracts';
import {
  type AgencyKind,
  DEFAULT_SLA_POLICY,
  deadlinesFor,
  isMeasure,
  isTerminalRequest,
  type Measure,
  maskIdNumber,
  maskName,
  measureService,
  REQUEST_STATUSES,
  type RequestStatus,
  slaFor,
  type WorkingDayCalendar,
} from '@hub/domain';
import { type ConsumedEvent, type EventFactory, enqueue, type OutboxMessage } from '@hub/messaging';
import type { Queryable } from '@hub/store';
import { factsOf } from './domain/facts.js';
import { planRequests } from './domain/fan-out.js';

/** Inquiries (查询) and locating a person (协查下落) belong to this service (domain measureService). */
const ownsMeasure = (m: string | undefined) =>
  m !== undefined && isMeasure(m) && measureService(m) === 'query';

const TERMINAL = REQUEST_STATUSES.filter(isTerminalRequest);

export interface QueryHandlerDeps {
  events: EventFactory;
  directory: ReadonlyMap<AgencyKind, readonly string[]>;
  now: () => Date;
  /** Answers younger than this (hub time) are reused for a repeated inquiry on the same debtor; 0 = never. */
  reuseWindowMs: number;
  /** Working days for SLA deadlines (HUB_CALENDAR_FILE); the shipped calendar when absent. */
  calendar?: WorkingDayCalendar;
  /** Does the court's seal verify over the notice? Only a sealed notice may be answered by reuse. */
  sealVerifies: (issued: NoticeIssued) => boolean;
}

/** SHA-256 of the debtor's ID number or credit code: groups inquiries without keeping the number in clear. */
export function subjectKeyOf(debtor: { idNumber?: string; creditCode?: string } | undefined): string {
  return createHash('sha256')
    .update(debtor?.idNumber || debtor?.creditCode || '')
    .digest('hex');
}

type Fresh = {
  id: string;
  institution: string;
  outcome: string;
  result: unknown;
  answered_at: Date;
  subject_key: string;
  court_code: string;
};

/** Reuse is per court: one court's answers never answer another court's inquiry. */
const reuseKey = (court: string, subject: string, institution: string) =>
  `${court}|${subject}|${institution}`;

/**
 * Inquiry notices in, requests out; answers in, the notice's completion out. One transaction per batch:
 * the rows and the events announcing them commit together.
 */
export function createQueryHandler(deps: QueryHandlerDeps) {
  return async (tx: Queryable, events: ConsumedEvent[]): Promise<void> => {
    const out: OutboxMessage[] = [];
    const notices: NoticeIssued[] = [];
    const answers: { id: string; status: RequestStatus; outcome: string | null; result: string | null }[] =
      [];
    for (const { envelope } of events) {
      const p = envelope.payload;
      if (p?.$case === 'noticeIssued' && ownsMeasure(p.value.notice?.measure)) notices.push(p.value);
      else if (p?.$case === 'requestAnswered')
        answers.push({
          id: p.value.requestId,
          status: p.value.outcome as RequestStatus,
          outcome: p.value.outcome,
          result: p.value.resultJson || null,
        });
      else if (p?.$case === 'requestFailed')
        answers.push({ id: p.value.requestId, status: 'failed', outcome: null, result: null });
    }
    const touched = new Set<string>();
    if (notices.length > 0) for (const id of await fanOut(tx, notices, deps, out)) touched.add(id);
    if (answers.length > 0) for (const id of await recordAnswers(tx, answers, deps.now())) touched.add(id);
    if (touched.size > 0) await completeFinished(tx, [...touched], deps, out);
    await enqueue(tx, out);
  };
}

async function fanOut(tx: Queryable, notices: NoticeIssued[], deps: QueryHandlerDeps, out: OutboxMessage[]) {
  const now = deps.now();
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO notices (id, case_no, created_at, court_code, measure, subject_key, debtor)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      notices.map((n) => n.noticeId),
      notices.map((n) => n.notice?.caseNo ?? ''),
      notices.map(() => now),
      notices.map((n) => n.notice?.court?.code ?? ''),
      notices.map((n) => n.notice?.measure ?? ''),
      notices.map((n) => subjectKeyOf(n.notice?.debtor)),
      notices.map((n) => {
        const d = n.notice?.debtor;
        // Masked for the report; the clear number stays with the gateway and the agencies that need it.
        return JSON.stringify({
          kind: d?.kind ?? '',
          name: maskName(d?.name ?? ''),
          id: maskIdNumber(d?.idNumber || d?.creditCode || ''),
        });
      }),
    ],
  );
  const fresh = new Set(rows.map((r) => r.id));
  // Only a notice whose seal verifies may be answered by reuse: any other is asked of the agencies, whose
  // adapters refuse it visibly (RequestFailed), so it never completes on the strength of an old answer.
  const sealed = new Set(
    notices.filter((n) => fresh.has(n.noticeId) && deps.sealVerifies(n)).map((n) => n.noticeId),
  );
  const reusable = await freshAnswers(tx, notices, sealed, fresh, deps, now);
  // Taken off as planned: the same notice twice in one batch (distinct event ids) still fans out once.
  const unplanned = new Set(fresh);
  const requests: {
    id: string;
    noticeId: string;
    agency: string;
    institution: string;
    status: string;
    dueAt: Date | null;
    result: string | null;
    answeredAt: Date | null;
    reusedFrom: string | null;
  }[] = [];
  const facts: FactRow[] = [];
  for (const issued of notices) {
    const n = issued.notice;
    if (!n || !unplanned.delete(issued.noticeId)) continue;
    const targets = n.targets.map((t) => ({
      agency: t.agency as AgencyKind,
      institution: t.institution || undefined,
    }));
    const subject = subjectKeyOf(n.debtor);
    for (const plan of planRequests(targets, deps.directory)) {
      const id = randomUUID();
      const earlier =
        n.measure === 'query' && !plan.failure
          ? reusable.get(reuseKey(n.court?.code ?? '', subject, plan.institution))
          : undefined;
      const deadlines = deadlinesFor(
        slaFor(DEFAULT_SLA_POLICY, plan.agency, n.measure as Measure),
        now,
        deps.calendar,
      );
      const due = deadlines.answerBy;
      requests.push({
        id,
        noticeId: issued.noticeId,
        agency: plan.agency,
        institution: plan.institution,
        status: plan.failure ? 'failed' : (earlier?.outcome ?? 'pending'),
        dueAt: plan.failure ? null : due,
        result: earlier ? JSON.stringify(earlier.result) : null,
        answeredAt: earlier ? now : null,
        reusedFrom: earlier?.id ?? null,
      });
      if (plan.failure) {
        out.push(
          deps.events.event('progress', issued.noticeId, 'requestFailed', {
            requestId: id,
            noticeId: issued.noticeId,
            agency: plan.agency,
            institution: plan.institution,
            code: plan.failure.code,
            reason: plan.failure.reason,
          }),
        );
        continue;
      }
      out.push(
        // Each agency kind has its own request topic, so each adapter reads only what is meant for it. A
        // reused answer is dispatched too, as a reuse record: the institution is not asked again, but it
        // learns of every court's inquiry about its customer (the adapter keeps it, already settled).
        deps.events.event(
          requestTopicKey(plan.agency as AgencyTopicKind),
          issued.noticeId,
          'requestDispatched',
          {
            requestId: id,
            noticeId: issued.noticeId,
            agency: plan.agency,
            institution: plan.institution,
            measure: n.measure,
            caseNo: n.caseNo,
            noticeNo: n.noticeNo,
            court: n.court,
            debtor: n.debtor,
            params: n.params,
            legalBasis: n.legalBasis,
            acknowledgeBy: deadlines.acknowledgeBy,
            answerBy: deadlines.answerBy,
            escalateAt: deadlines.escalateAt,
            slaPolicyVersion: 'default',
            // The whole notice and the court's seal travel on, so the adapter (and the agency) can verify it.
            notice: n,
            seal: issued.seal,
            reusedFromRequestId: earlier?.id,
          },
        ),
      );
      if (earlier) {
        // A fresh answer from this institution to this court about this debtor: reuse it, do not ask again.
        for (const f of factsOf(plan.agency, n.measure, earlier.result)) {
          facts.push({
            caseNo: n.caseNo,
            subject,
            agency: plan.agency,
            institution: plan.institution,
            requestId: id,
            at: earlier.answered_at,
            fact: f,
          });
        }
        out.push(
          deps.events.event('progress', issued.noticeId, 'requestAnswered', {
            requestId: id,
            noticeId: issued.noticeId,
            agency: plan.agency,
            institution: plan.institution,
            outcome: earlier.outcome,
            reason: `reused: answered ${earlier.answered_at.toISOString()} (request ${earlier.id})`,
            resultJson: JSON.stringify(earlier.result),
          }),
        );
      }
    }
  }
  if (requests.length > 0) {
    await tx.query(
      `INSERT INTO requests (id, notice_id, agency, institution, status, updated_at, due_at, result, answered_at,
                             reused_from, outcome)
       SELECT id, notice_id, agency, institution, status, $6, due_at, result, answered_at, reused_from,
              CASE WHEN reused_from IS NULL THEN NULL ELSE status END
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $7::timestamptz[], $8::jsonb[],
                   $9::timestamptz[], $10::uuid[])
         AS t(id, notice_id, agency, institution, status, due_at, result, answered_at, reused_from)`,
      [
        requests.map((r) => r.id),
        requests.map((r) => r.noticeId),
        requests.map((r) => r.agency),
        requests.map((r) => r.institution),
        requests.map((r) => r.status),
        now,
        requests.map((r) => r.dueAt),
        requests.map((r) => r.result),
        requests.map((r) => r.answeredAt),
        requests.map((r) => r.reusedFrom),
      ],
    );
  }
  await upsertFacts(tx, facts);
  return fresh;
}

async function recordAnswers(
  tx: Queryable,
  answers: { id: string; status: RequestStatus; outcome: string | null; result: string | null }[],
  now: Date,
): Promise<string[]> {
  // The first terminal answer wins; a repeat or conflicting later one does not overwrite it.
  const unique = [
    ...new Map(answers.filter((a) => isTerminalRequest(a.status)).map((a) => [a.id, a])).values(),
  ];
  if (unique.length === 0) return [];
  const { rows } = await tx.query<{
    id: string;
    notice_id: string;
    agency: AgencyKind;
    result: unknown;
    case_no: string;
    subject_key: string;
    measure: string;
    institution: string;
  }>(
    `UPDATE requests r SET status = a.status, outcome = a.outcome, result = a.result::jsonb, updated_at = $5,
       answered_at = $5
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS a(id, status, outcome, result), notices n
     WHERE r.id = a.id AND n.id = r.notice_id AND r.status <> ALL($6::text[])
     RETURNING r.id, r.notice_id, r.agency, r.institution, r.result, n.case_no, n.subject_key, n.measure`,
    [
      unique.map((a) => a.id),
      unique.map((a) => a.status),
      unique.map((a) => a.outcome),
      unique.map((a) => a.result),
      now,
      TERMINAL,
    ],
  );
  const facts: FactRow[] = rows.flatMap((r) =>
    factsOf(r.agency, r.measure, r.result).map((fact) => ({
      caseNo: r.case_no,
      subject: r.subject_key,
      agency: r.agency,
      institution: r.institution,
      requestId: r.id,
      at: now,
      fact,
    })),
  );
  await upsertFacts(tx, facts);
  return rows.map((r) => r.notice_id);
}

type FactRow = {
  caseNo: string;
  subject: string;
  agency: string;
  institution: string;
  requestId: string;
  at: Date;
  fact: ReturnType<typeof factsOf>[number];
};

/** The same fact reported again (same institution, kind and key) updates its row: counted once. */
async function upsertFacts(tx: Queryable, facts: FactRow[]) {
  const unique = [
    ...new Map(
      facts.map((f) => [
        [f.caseNo, f.subject, f.agency, f.institution, f.fact.kind, f.fact.key].join('|'),
        f,
      ]),
    ).values(),
  ];
  if (unique.length === 0) return;
  await tx.query(
    `INSERT INTO facts (case_no, subject_key, agency, institution, kind, key, amount_fen, detail, request_id,
                        first_reported_at, last_reported_at)
     SELECT c, s, a, i, k, key, amt, d, r, t, t
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::jsonb[],
                 $9::uuid[], $10::timestamptz[]) AS x(c, s, a, i, k, key, amt, d, r, t)
     ON CONFLICT (case_no, subject_key, agency, institution, kind, key) DO UPDATE SET
       amount_fen = EXCLUDED.amount_fen, detail = EXCLUDED.detail, request_id = EXCLUDED.request_id,
       last_reported_at = GREATEST(facts.last_reported_at, EXCLUDED.last_reported_at)`,
    [
      unique.map((f) => f.caseNo),
      unique.map((f) => f.subject),
      unique.map((f) => f.agency),
      unique.map((f) => f.institution),
      unique.map((f) => f.fact.kind),
      unique.map((f) => f.fact.key),
      unique.map((f) => f.fact.amountFen ?? null),
      unique.map((f) => JSON.stringify(f.fact.detail)),
      unique.map((f) => f.requestId),
      unique.map((f) => f.at),
    ],
  );
}

/**
 * The latest done/partial answer an agency itself gave (never a reuse of one, so the window cannot be
 * stretched by chaining) per (court, debtor, institution), younger than the reuse window, for the sealed
 * notices of this batch. Only the same court's answers count: a court never learns another's by reuse.
 */
async function freshAnswers(
  tx: Queryable,
  notices: NoticeIssued[],
  sealed: Set<string>,
  fresh: Set<string>,
  deps: QueryHandlerDeps,
  now: Date,
): Promise<Map<string, Fresh>> {
  const asking = notices.filter((n) => sealed.has(n.noticeId) && n.notice?.measure === 'query');
  if (deps.reuseWindowMs <= 0 || asking.length === 0) return new Map();
  const { rows } = await tx.query<Fresh>(
    `SELECT DISTINCT ON (n.court_code, n.subject_key, r.institution) r.id, r.institution, r.outcome, r.result,
            r.answered_at, n.subject_key, n.court_code
     FROM requests r JOIN notices n ON n.id = r.notice_id
     WHERE (n.court_code, n.subject_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       AND n.measure = 'query' AND r.status IN ('done', 'partial') AND r.reused_from IS NULL
       AND r.answered_at >= $3 AND NOT (n.id = ANY($4::uuid[]))
     ORDER BY n.court_code, n.subject_key, r.institution, r.answered_at DESC`,
    [
      asking.map((n) => n.notice?.court?.code ?? ''),
      asking.map((n) => subjectKeyOf(n.notice?.debtor)),
      new Date(now.getTime() - deps.reuseWindowMs),
      [...fresh],
    ],
  );
  return new Map(rows.map((r) => [reuseKey(r.court_code, r.subject_key, r.institution), r]));
}

async function completeFinished(
  tx: Queryable,
  noticeIds: string[],
  deps: QueryHandlerDeps,
  out: OutboxMessage[],
) {
  const { rows } = await tx.query<{ id: string; counts: Record<string, number> }>(
    `UPDATE notices n SET status = 'completed', completed_at = $2
     WHERE n.id = ANY($1::uuid[]) AND n.status <> 'completed'
       AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.notice_id = n.id AND r.status <> ALL($3::text[]))
     RETURNING n.id,
       (SELECT jsonb_object_agg(status, c) FROM
          (SELECT status, count(*)::int AS c FROM requests WHERE notice_id = n.id GROUP BY status) s) AS counts`,
    [noticeIds, deps.now(), TERMINAL],
  );
  for (const { id, counts } of rows) {
    const c = (k: string) => counts?.[k] ?? 0;
    out.push(
      deps.events.event('notices', id, 'noticeCompleted', {
        noticeId: id,
        requests: Object.values(counts ?? {}).reduce((a, b) => a + b, 0),
        done: c('done'),
        partial: c('partial'),
        cannotAssist: c('cannot-assist'),
        refused: c('refused'),
        failed: c('failed'),
      }),
    );
  }
}
