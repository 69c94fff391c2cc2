import { randomUUID } from 'node:crypto';
import { type AgencyTopicKind, type NoticeIssued, requestTopicKey } from '@hub/contracts';
import {
  type AgencyKind,
  isMeasure,
  isTerminalRequest,
  measureService,
  REQUEST_STATUSES,
  type RequestStatus,
} from '@hub/domain';
import { type ConsumedEvent, type EventFactory, enqueue, type OutboxMessage } from '@hub/messaging';
import type { Queryable } from '@hub/store';
import { planRequests } from './domain/fan-out.js';

/** Inquiries (查询) and locating a person (协查下落) belong to this service (domain measureService). */
const ownsMeasure = (m: string | undefined) =>
  m !== undefined && isMeasure(m) && measureService(m) === 'query';

const TERMINAL = REQUEST_STATUSES.filter(isTerminalRequest);

export interface QueryHandlerDeps {
  events: EventFactory;
  directory: ReadonlyMap<AgencyKind, readonly string[]>;
  now: () => Date;
}

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
    `INSERT INTO notices (id, case_no, created_at) SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [notices.map((n) => n.noticeId), notices.map((n) => n.notice?.caseNo ?? ''), notices.map(() => now)],
  );
  const fresh = new Set(rows.map((r) => r.id));
  // Taken off as planned: the same notice twice in one batch (distinct event ids) still fans out once.
  const unplanned = new Set(fresh);
  const requests: { id: string; noticeId: string; agency: string; institution: string; status: string }[] =
    [];
  for (const issued of notices) {
    const n = issued.notice;
    if (!n || !unplanned.delete(issued.noticeId)) continue;
    const targets = n.targets.map((t) => ({
      agency: t.agency as AgencyKind,
      institution: t.institution || undefined,
    }));
    for (const plan of planRequests(targets, deps.directory)) {
      const id = randomUUID();
      requests.push({
        id,
        noticeId: issued.noticeId,
        agency: plan.agency,
        institution: plan.institution,
        status: plan.failure ? 'failed' : 'pending',
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
        // Each agency kind has its own request topic, so each adapter reads only what is meant for it.
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
            // The whole notice and the court's seal travel on, so the adapter (and the agency) can verify it.
            notice: n,
            seal: issued.seal,
          },
        ),
      );
    }
  }
  if (requests.length > 0) {
    await tx.query(
      `INSERT INTO requests (id, notice_id, agency, institution, status, updated_at)
       SELECT id, notice_id, agency, institution, status, $6
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(id, notice_id, agency, institution, status)`,
      [
        requests.map((r) => r.id),
        requests.map((r) => r.noticeId),
        requests.map((r) => r.agency),
        requests.map((r) => r.institution),
        requests.map((r) => r.status),
        now,
      ],
    );
  }
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
  const { rows } = await tx.query<{ notice_id: string }>(
    `UPDATE requests r SET status = a.status, outcome = a.outcome, result = a.result::jsonb, updated_at = $5
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS a(id, status, outcome, result)
     WHERE r.id = a.id AND r.status <> ALL($6::text[])
     RETURNING r.notice_id`,
    [
      unique.map((a) => a.id),
      unique.map((a) => a.status),
      unique.map((a) => a.outcome),
      unique.map((a) => a.result),
      now,
      TERMINAL,
    ],
  );
  return rows.map((r) => r.notice_id);
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
