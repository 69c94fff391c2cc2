/**
 * Admission of control notices, twice: the gateway asks before it stores a notice (CheckControls, each notice
 * on its own against what is stored), and intake asks again in the batch's transaction, cases locked, the
 * batch's notices judged in order with the earlier ones in flight. A notice that passed the gateway but no
 * longer passes at intake (another notice of the case came first) is taken in and its requests fail at once
 * with the code, visibly (RequestFailed), never sent to an agency.
 */
import type { NoticeSubmission } from '@hub/contracts';
import { ERROR_CATALOG, isAgencyKind, type Measure, shanghaiDate } from '@hub/domain';
import type { MeasureHooks, RequestFailure } from '@hub/measure-kit';
import type { Queryable } from '@hub/store';
import { type Admission, admitControl, admitControls, type ControlNotice } from './domain/admission.js';
import { admissionFacts, lockCases } from './sql/admission-facts.js';

const opt = (s: string | undefined) => (s ? s : undefined);

/** A sealed or submitted notice as the checks read it. */
export function controlNoticeOf(n: NoticeSubmission): ControlNotice {
  return {
    courtCode: n.court?.code ?? '',
    caseNo: n.caseNo,
    measure: n.measure as Measure,
    targets: n.targets.flatMap((t) =>
      isAgencyKind(t.agency) ? [{ agency: t.agency, institution: opt(t.institution) }] : [],
    ),
    amountFen: n.params?.amountFen,
    owedFen: n.params?.owedFen,
    accountNo: opt(n.params?.accountNo),
    unitNo: opt(n.params?.unitNo),
    plate: opt(n.params?.plate),
  };
}

/** The gateway's question: each notice on its own, against what this service has stored. */
export async function checkControls(
  db: Queryable,
  submissions: readonly NoticeSubmission[],
  now: Date,
): Promise<Admission[]> {
  const notices = submissions.map(controlNoticeOf);
  if (notices.length === 0) return [];
  const facts = await admissionFacts(db, notices, shanghaiDate(now));
  return notices.map((n) => admitControl(n, facts));
}

/** Intake's question (the measure-kit `refuses` hook). */
export const refusesAtIntake: NonNullable<MeasureHooks['refuses']> = async (tx, { notices, now }) => {
  const controls = notices.map((n) => ({ id: n.id, notice: controlNoticeOf(n.submission) }));
  await lockCases(
    tx,
    controls.map((c) => c.notice),
  );
  const facts = await admissionFacts(
    tx,
    controls.map((c) => c.notice),
    shanghaiDate(now),
  );
  const admissions = admitControls(
    controls.map((c) => c.notice),
    facts,
  );
  const refused = new Map<string, RequestFailure>();
  admissions.forEach((a, i) => {
    if (!a.ok) refused.set(controls[i]!.id, failureOf(a));
  });
  return refused;
};

function failureOf(a: Extract<Admission, { ok: false }>): RequestFailure {
  return { code: a.code, reason: `${ERROR_CATALOG[a.code].message} ${JSON.stringify(a.details)}` };
}

/** The gRPC answer for one notice. */
export const checkResultOf = (a: Admission) =>
  a.ok
    ? { ok: true, errorCode: '', errorDetailsJson: '' }
    : { ok: false, errorCode: a.code, errorDetailsJson: JSON.stringify(a.details) };
