/**
 * Control notices (冻结 续冻 解冻 扣划 查封 续封 解封) are judged before they are stored, so a court hears at once
 * that a deduction has no freeze behind it, instead of a 202 and a notice that fails later:
 *
 * - the freeze-deduct service answers from its own holds, owed record and notices in flight
 *   (FreezeDeductService.CheckControls: DEDUCT_WITHOUT_FREEZE, DEDUCT_EXCEEDS_FROZEN, DEDUCT_EXCEEDS_OWED,
 *   FREEZE_EXCEEDS_OWED, HOLD_OF_ANOTHER_COURT, HOLD_NOT_LIVE, NO_HOLD);
 * - a freeze names an account the case's property report (query service) must not contradict: when the
 *   targeted institution has answered the case's inquiry and did not list the account, it is UNKNOWN_ACCOUNT.
 *   No inquiry, or the institution not answered yet, says nothing against it: courts also learn of accounts
 *   from the applicant (申请执行人提供的财产线索).
 *
 * Each notice is judged on its own against what is stored, so one bad notice of a batch never fails
 * another; two that fit alone but not together are caught at intake (their requests fail visibly). The
 * Admission asks only about notices not stored yet; when a service the judgement needs cannot be reached
 * the notice is refused with 503 UNAVAILABLE and nothing is stored.
 */
import { noticeToProto, type PropertyReport } from '@hub/contracts';
import { HubError, type NoticeSubmission } from '@hub/domain';
import type { ControlsClient } from './adapters/controls-client.js';
import type { QueryClient } from './adapters/query-client.js';
import { type Judge, refusal, unavailable } from './admission.js';

/** Statuses of an institution's latest request that mean it answered the inquiry (found something or not). */
const ANSWERED = ['done', 'partial', 'cannot-assist'];
const FACT_KIND: Readonly<Record<string, string>> = { bank: 'deposit', 'provident-fund': 'provident-fund' };

export class ControlGate implements Judge {
  constructor(
    private readonly controls: ControlsClient,
    /** The property reports' source; undefined where no query service is deployed (nothing to check against). */
    private readonly query: QueryClient | undefined,
  ) {}

  /** Why each fresh control notice may not be stored (a HubError), or undefined; in order. */
  async judge(court: string, notices: readonly NoticeSubmission[]): Promise<(HubError | undefined)[]> {
    const [checked, unknown] = await Promise.all([
      this.controls.check(notices.map(noticeToProto)).catch((err: unknown) => err as HubError),
      this.unknownAccounts(court, notices).catch((err: unknown) => err as HubError),
    ]);
    return notices.map((_n, k) => {
      if (checked instanceof Error) return unavailable(checked, 'freeze-deduct');
      if (unknown instanceof Error) return unavailable(unknown, 'query');
      return unknown[k] ?? refusal(checked[k]!);
    });
  }

  /** UNKNOWN_ACCOUNT for each freeze whose account its targeted institutions answered without. */
  private async unknownAccounts(court: string, notices: readonly NoticeSubmission[]) {
    const freezes = notices.map((n) => (n.measure === 'freeze' && n.params.accountNo ? n : undefined));
    const query = this.query;
    if (!query || freezes.every((n) => n === undefined)) return notices.map(() => undefined);
    const caseNos = [...new Set(freezes.flatMap((n) => (n ? [n.caseNo] : [])))];
    const reports = new Map(
      await Promise.all(
        caseNos.map(async (caseNo) => [caseNo, await reportOf(query, caseNo, court)] as const),
      ),
    );
    return freezes.map((n) => {
      const report = n && reports.get(n.caseNo);
      if (!n || !report || !n.params.accountNo) return undefined;
      return n.targets.some((t) => unknownAt(report, t, n.params.accountNo!))
        ? new HubError('UNKNOWN_ACCOUNT', [
            { path: 'params.accountNo', code: 'UNKNOWN_ACCOUNT', caseNo: n.caseNo },
          ])
        : undefined;
    });
  }
}

/**
 * Whether the report contradicts the account at this target: every section of the targeted institution (or,
 * for a target naming only the agency kind, of that kind) has answered, at least one has, and none lists it.
 */
function unknownAt(
  report: PropertyReport,
  t: { agency: string; institution?: string | undefined },
  accountNo: string,
) {
  const kind = FACT_KIND[t.agency];
  if (!kind) return false;
  const sections = report.debtors.flatMap((d) =>
    d.agencies.filter((a) => a.agency === t.agency && (!t.institution || a.institution === t.institution)),
  );
  if (sections.some((a) => a.facts.some((f) => f.kind === kind && f.key === accountNo))) return false;
  return sections.length > 0 && sections.every((a) => ANSWERED.includes(a.status));
}

async function reportOf(query: QueryClient, caseNo: string, court: string) {
  try {
    return await query.propertyReport(caseNo, court);
  } catch (err) {
    // No inquiry for the case: nothing to contradict the account.
    if (err instanceof HubError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}
