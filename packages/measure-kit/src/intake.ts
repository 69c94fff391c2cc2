import { randomUUID } from 'node:crypto';
import type { NoticeIssued } from '@hub/contracts';
import {
  type AgencyKind,
  deadlinesFor,
  type Measure,
  maskIdNumber,
  maskName,
  planRequests,
  type RequestStatus,
  requestTransition,
  slaFor,
} from '@hub/domain';
import type { OutboxMessage } from '@hub/messaging';
import type { Queryable } from '@hub/store';
import { readResult } from './answers.js';
import { requestEvents } from './dispatch.js';
import type {
  AnsweredRow,
  HookTarget,
  IntakeNotice,
  MeasureServiceSpec,
  PlannedRow,
  RequestFailure,
  Reuse,
} from './spec.js';
import { insertNotices } from './sql/insert-notices.js';
import { insertRequests } from './sql/insert-requests.js';
import type { NoticeProgress } from './sql/notice-progress.js';
import { subjectKeyOf } from './subject.js';

/**
 * New notices in, one request per institution out: stored, announced, and (by the service's hook) some
 * answered at once by reuse. A notice delivered again — even twice in one batch — fans out once.
 * Returns the notices taken in, each as stored (`issued`) with the statuses of the requests it fanned out to.
 */
export async function takeIn(
  tx: Queryable,
  issued: readonly (NoticeIssued & { notice: NonNullable<NoticeIssued['notice']> })[],
  spec: MeasureServiceSpec,
  now: Date,
  out: OutboxMessage[],
): Promise<NoticeProgress[]> {
  const candidates = [...new Map(issued.map((i) => [i.noticeId, toIntake(i)])).values()];
  const fresh = await insertNotices(
    tx,
    candidates.map((n) => ({
      ...n,
      // Masked for reports; the clear number stays with the gateway and the agencies that need it.
      debtor: {
        kind: n.submission.debtor?.kind ?? '',
        name: maskName(n.submission.debtor?.name ?? ''),
        id: maskIdNumber(n.submission.debtor?.idNumber || n.submission.debtor?.creditCode || ''),
      },
    })),
    now,
  );
  const notices = candidates.filter((n) => fresh.has(n.id));
  if (notices.length === 0) return [];
  const refused = spec.hooks?.refuses
    ? await spec.hooks.refuses(tx, { notices, now })
    : new Map<string, RequestFailure>();
  const redirected = spec.hooks?.targets
    ? await spec.hooks.targets(tx, { notices, directory: spec.directory, now })
    : new Map<string, readonly HookTarget[]>();
  const planned = notices.map((notice) => {
    const failure = refused.get(notice.id);
    const requests = plan(notice, spec, now, redirected.get(notice.id));
    if (!failure) return { notice, requests };
    // Never sent, so nothing is due: stored as failed with the hook's code.
    return {
      notice,
      requests: requests.map(({ deadlines: _, ...r }) => ({ ...r, failure: r.failure ?? failure })),
    };
  });
  const requests = planned.flatMap((p) => p.requests);
  const routed = requests.filter((r) => !r.failure);
  const reuses =
    routed.length > 0 && spec.hooks?.beforeDispatch
      ? await spec.hooks.beforeDispatch(tx, { notices, requests: routed, now })
      : new Map<string, Reuse>();
  const reuseOf = (r: PlannedRow) => (r.failure ? undefined : reuses.get(r.id));
  const statusOf = new Map(requests.map((r) => [r.id, initialStatus(r, reuseOf(r))]));
  await insertRequests(
    tx,
    requests.map((r) => {
      const reuse = reuseOf(r);
      return {
        id: r.id,
        noticeId: r.noticeId,
        agency: r.agency,
        institution: r.institution,
        status: statusOf.get(r.id)!,
        dueAt: r.deadlines?.answerBy ?? null,
        outcome: reuse?.outcome ?? null,
        result: reuse?.result ?? null,
        answeredAt: reuse ? now : null,
        reusedFrom: reuse?.fromRequestId ?? null,
      };
    }),
    now,
  );
  const answered: AnsweredRow[] = [];
  for (const { notice, requests: mine } of planned) {
    for (const r of mine) {
      const reuse = reuseOf(r);
      out.push(...requestEvents(spec.events, notice, r, spec.sla.version, reuse));
      if (reuse) answered.push(answeredByReuse(notice, r, reuse, spec));
    }
  }
  await spec.hooks?.onPlanned?.(tx, { notices, requests, now });
  if (answered.length > 0) await spec.hooks?.onAnswered?.(tx, answered);
  return planned.map(({ notice, requests: mine }) => ({
    id: notice.id,
    status: 'issued' as const,
    requests: mine.map((r) => statusOf.get(r.id)!),
  }));
}

function answeredByReuse(
  n: IntakeNotice,
  r: PlannedRow,
  reuse: Reuse,
  spec: Pick<MeasureServiceSpec, 'logger'>,
): AnsweredRow {
  return {
    requestId: r.id,
    noticeId: n.id,
    caseNo: n.caseNo,
    courtCode: n.courtCode,
    subjectKey: n.subjectKey,
    measure: n.measure,
    agency: r.agency,
    institution: r.institution,
    status: reuse.outcome,
    result: readResult({ id: r.id, agency: r.agency, measure: n.measure }, reuse.result, spec),
    answeredAt: reuse.answeredAt,
    reusedFrom: reuse.fromRequestId,
  };
}

function toIntake(i: NoticeIssued & { notice: NonNullable<NoticeIssued['notice']> }): IntakeNotice {
  return {
    id: i.noticeId,
    caseNo: i.notice.caseNo,
    courtCode: i.notice.court?.code ?? '',
    measure: i.notice.measure as Measure,
    subjectKey: subjectKeyOf(i.notice.debtor),
    submission: i.notice,
    issued: i,
  };
}

/**
 * One request per institution (domain planRequests), each routed one stamped with its SLA deadlines (as the
 * service's `deadlines` hook may bring them forward). `hooked` replaces the notice's own targets: its named
 * institutions are planned as named (see MeasureHooks.targets), its agency kinds through the directory.
 */
function plan(
  n: IntakeNotice,
  spec: MeasureServiceSpec,
  now: Date,
  hooked: readonly HookTarget[] | undefined,
): PlannedRow[] {
  const targets =
    hooked ??
    n.submission.targets.map((t) => ({
      agency: t.agency as AgencyKind,
      institution: t.institution || undefined,
    }));
  const named = hooked?.filter((t) => t.institution) ?? [];
  const directory = new Map(spec.directory);
  for (const t of named) directory.set(t.agency, [...(directory.get(t.agency) ?? []), t.institution!]);
  return planRequests(targets, hooked ? directory : spec.directory).map((p) => ({
    ...p,
    id: randomUUID(),
    noticeId: n.id,
    ...(p.failure ? {} : { deadlines: deadlinesOf(n, p.agency, spec, now) }),
  }));
}

function deadlinesOf(n: IntakeNotice, agency: AgencyKind, spec: MeasureServiceSpec, now: Date) {
  const planned = deadlinesFor(slaFor(spec.sla.policy, agency, n.measure), now, spec.calendar);
  const d = spec.hooks?.deadlines?.(n, planned) ?? planned;
  const answerBy = earliest(d.answerBy, planned.answerBy);
  return {
    ...planned,
    acknowledgeBy: earliest(d.acknowledgeBy, answerBy),
    answerBy,
    escalateAt: new Date(Math.max(d.escalateAt.getTime(), answerBy.getTime())),
  };
}

const earliest = (a: Date, b: Date) => new Date(Math.min(a.getTime(), b.getTime()));

/** A new request is pending; one that cannot be routed has failed, one answered by reuse has its answer. */
function initialStatus(r: PlannedRow, reuse: Reuse | undefined): RequestStatus {
  const to: RequestStatus = r.failure ? 'failed' : (reuse?.outcome ?? 'pending');
  if (to === 'pending') return to;
  const move = requestTransition('pending', to);
  if (!move.ok) throw new Error(`request ${r.id} cannot start as ${to}: ${move.error.reason}`);
  return to;
}
