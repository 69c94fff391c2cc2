/**
 * Notices a measure service can already tell it cannot carry out are refused before they are stored, with
 * that service's own code (DESIGN §6: nothing half-written): control notices by the freeze-deduct service
 * (ControlGate), punishment notices by the punishment service (PunishmentGate). Measures with no judge
 * (query, locate) are stored as they come.
 *
 * A notice already stored under its (court, notice number) is not judged again: its re-submission is
 * answered by the writer (same id, or NOTICE_CONFLICT), never by a service that now knows it (a listing
 * re-sent is the same listing, not ALREADY_LISTED), nor is one stored while it was being judged. A judge
 * that cannot be reached refuses its own notices with 503 UNAVAILABLE; the other notices of a batch are
 * judged and stored as usual.
 */
import { HubError, type HubService, isErrorCode, measureService, type NoticeSubmission } from '@hub/domain';
import type { Pool } from '@hub/store';

export interface Judge {
  /** Why each of these fresh notices (all of the judge's service) may not be stored, or undefined; in order. */
  judge(court: string, notices: readonly NoticeSubmission[]): Promise<(HubError | undefined)[]>;
}

export class Admission {
  constructor(
    private readonly pool: Pool,
    private readonly judges: Partial<Readonly<Record<HubService, Judge>>>,
  ) {}

  /** Whether notices of this measure are judged before storage. */
  judged(measure: NoticeSubmission['measure']): boolean {
    return this.judges[measureService(measure)] !== undefined;
  }

  /** Why each notice may not be stored (a HubError), or undefined; in order. */
  async check(court: string, notices: readonly NoticeSubmission[]): Promise<(HubError | undefined)[]> {
    const judged = notices.map(() => undefined as HubError | undefined);
    const gated = notices.flatMap((n, i) => (this.judged(n.measure) ? [i] : []));
    if (gated.length === 0) return judged;
    const stored = await storedNoticeNos(
      this.pool,
      court,
      gated.map((i) => notices[i]!.noticeNo),
    );
    const byService = new Map<HubService, number[]>();
    for (const i of gated) {
      if (stored.has(notices[i]!.noticeNo)) continue;
      const service = measureService(notices[i]!.measure);
      byService.set(service, [...(byService.get(service) ?? []), i]);
    }
    await Promise.all(
      [...byService].map(async ([service, indices]) => {
        const fresh = indices.map((i) => notices[i]!);
        const verdicts = await this.judges[service]!.judge(court, fresh).catch((err: unknown) =>
          fresh.map(() => unavailable(err as Error, service)),
        );
        indices.forEach((i, k) => {
          judged[i] = verdicts[k];
        });
      }),
    );
    // A refusal may be of the notice itself: sent again while its first sending was being stored, it was asked
    // about before that one was stored and judged after the service had taken it in (ALREADY_LISTED behind
    // itself). A notice the service has taken in is stored here first, so one stored now is a re-sending, for
    // the writer to answer (same id, or NOTICE_CONFLICT), like any other.
    const refused = gated.filter((i) => judged[i] !== undefined && judged[i]!.code !== 'UNAVAILABLE');
    if (refused.length > 0) {
      const now = await storedNoticeNos(
        this.pool,
        court,
        refused.map((i) => notices[i]!.noticeNo),
      );
      for (const i of refused) if (now.has(notices[i]!.noticeNo)) judged[i] = undefined;
    }
    return judged;
  }
}

/** A measure service's verdict (CheckControlResult, CheckPunishmentResult) as the error it stands for. */
export function refusal(r: {
  ok: boolean;
  errorCode: string;
  errorDetailsJson: string;
}): HubError | undefined {
  if (r.ok) return undefined;
  const code = isErrorCode(r.errorCode) ? r.errorCode : 'INTERNAL';
  let details: unknown[] = [];
  try {
    details = r.errorDetailsJson ? (JSON.parse(r.errorDetailsJson) as unknown[]) : [];
  } catch {
    // the code says enough
  }
  return new HubError(code, details);
}

export function unavailable(err: Error, dependency: string): HubError {
  if (err instanceof HubError && err.code === 'UNAVAILABLE') return err;
  return new HubError('UNAVAILABLE', [{ dependency }], undefined, { cause: err });
}

/** Which of the court's notice numbers are stored already. */
async function storedNoticeNos(
  pool: Pool,
  court: string,
  noticeNos: readonly string[],
): Promise<Set<string>> {
  const { rows } = await pool.query<{ notice_no: string }>(
    'SELECT notice_no FROM notices WHERE court_code = $1 AND notice_no = ANY($2::text[])',
    [court, noticeNos],
  );
  return new Set(rows.map((r) => r.notice_no));
}
