import type { NoticeView } from '@hub/contracts';
import { parseAnswerResult } from '@hub/contracts/answers';
import { HubError, isAgencyKind, isMeasure, isUuid } from '@hub/domain';
import type { Pool } from '@hub/store';
import type { TrackerClient } from './adapters/tracker-client.js';

/** The JSON a court reads for one notice (DESIGN §6). */
export interface NoticeStatusBody {
  id: string;
  noticeNo: string;
  caseNo: string;
  court: { code: string };
  measure: string;
  status: string;
  breached: boolean;
  issuedAt: string | null;
  completedAt: string | null;
  requests: {
    id: string;
    agency: string;
    institution: string;
    status: string;
    breached: boolean;
    dueAt: string | null;
    answer: { outcome: string; reason: string | null; result: unknown; answeredAt: string | null } | null;
  }[];
  timeline: { at: string | null; event: string; requestId: string | null; detail: string | null }[];
}

/**
 * Status of a notice: the gateway knows it exists and whose it is; the tracker knows where it is.
 * Until the tracker has seen the notice it reads as just issued.
 */
export class NoticeReader {
  constructor(
    private readonly pool: Pool,
    private readonly tracker: TrackerClient,
  ) {}

  async get(id: string, court: string): Promise<NoticeView> {
    if (!isUuid(id)) throw new HubError('NOTICE_NOT_FOUND');
    const { rows } = await this.pool.query<{
      court_code: string;
      notice_no: string;
      case_no: string;
      measure: string;
      received_at: Date;
    }>('SELECT court_code, notice_no, case_no, measure, received_at FROM notices WHERE id = $1', [id]);
    const row = rows[0];
    // Another court's notice is reported as absent, not forbidden: its existence is not ours to reveal.
    if (!row || row.court_code !== court) throw new HubError('NOTICE_NOT_FOUND');
    let view: NoticeView | undefined;
    try {
      view = await this.tracker.getNotice(id);
    } catch (err) {
      throw new HubError('UNAVAILABLE', [{ dependency: 'tracker' }], undefined, { cause: err });
    }
    return (
      view ?? {
        id,
        noticeNo: row.notice_no,
        caseNo: row.case_no,
        courtCode: row.court_code,
        measure: row.measure,
        status: 'issued',
        breached: false,
        issuedAt: row.received_at,
        completedAt: undefined,
        requests: [],
        timeline: [],
      }
    );
  }
}

/**
 * The status of a notice just answered as a re-submission: the tracker's, where it can say (a notice sent again
 * after it completed is `completed`, not `issued`); `issued` while the tracker has not taken it in or cannot answer.
 */
export async function statusOfResubmitted(reader: NoticeReader, id: string, court: string): Promise<string> {
  try {
    return (await reader.get(id, court)).status;
  } catch {
    return 'issued';
  }
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

export function toBody(v: NoticeView): NoticeStatusBody {
  return {
    id: v.id,
    noticeNo: v.noticeNo,
    caseNo: v.caseNo,
    court: { code: v.courtCode },
    measure: v.measure,
    status: v.status,
    breached: v.breached,
    issuedAt: iso(v.issuedAt),
    completedAt: iso(v.completedAt),
    requests: v.requests.map((r) => ({
      id: r.id,
      agency: r.agency,
      institution: r.institution,
      status: r.status,
      breached: r.breached,
      dueAt: iso(r.dueAt),
      answer: r.outcome
        ? {
            outcome: r.outcome,
            reason: r.reason || null,
            result: resultOf(r.agency, v.measure, r.resultJson),
            answeredAt: iso(r.answeredAt),
          }
        : null,
    })),
    timeline: v.timeline.map((t) => ({
      at: iso(t.at),
      event: t.event,
      requestId: t.requestId || null,
      detail: t.detail || null,
    })),
  };
}

/** The agency's result as its schema reads it; text that does not parse is shown as no result, never a 500. */
function resultOf(agency: string, measure: string, json: string): unknown {
  if (!json || !isAgencyKind(agency) || !isMeasure(measure)) return null;
  const parsed = parseAnswerResult(agency, measure, json);
  return parsed.ok ? parsed.value : null;
}
