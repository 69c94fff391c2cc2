/**
 * What a measure service (query, freeze-deduct, punishment) gives the skeleton: the measures it owns, where
 * institutions are, the clock, its SLA policy, and hooks for its own rules. Each hook runs inside the batch's
 * transaction, so what it writes commits with the notices, requests and events it sees.
 */
import type { NoticeCompleted, NoticeIssued, NoticeSubmission } from '@hub/contracts';
import type { ParsedAnswerResult } from '@hub/contracts/answers';
import type {
  AgencyKind,
  AnswerOutcome,
  Deadlines,
  Measure,
  PlannedRequest,
  RequestStatus,
  SlaPolicy,
  WorkingDayCalendar,
} from '@hub/domain';
import type { EventFactory } from '@hub/messaging';
import type { Logger } from '@hub/service-kit';
import type { Queryable } from '@hub/store';

/** A notice as the skeleton keeps it (table `notices`), with the sealed event it came from. */
export interface IntakeNotice {
  id: string;
  caseNo: string;
  courtCode: string;
  measure: Measure;
  subjectKey: string;
  /** What the court sealed, and the event carrying it with its seal. */
  submission: NoticeSubmission;
  issued: NoticeIssued;
}

/** Why a request fails without being sent: a stable code (RequestFailed.code) and words for people. */
export interface RequestFailure {
  code: string;
  reason: string;
}

/** A request planned for one institution, before it is stored and dispatched. */
export interface PlannedRow extends Omit<PlannedRequest, 'failure'> {
  id: string;
  noticeId: string;
  /** Set when the request is not sent at all: it is stored as failed and announced with RequestFailed. */
  failure?: RequestFailure | undefined;
  /** Absent on a request that could not be routed (it fails at once). */
  deadlines?: Deadlines;
}

/** Where a hook sends a notice: an agency kind (every connected institution of it) or one institution. */
export interface HookTarget {
  agency: AgencyKind;
  institution?: string;
}

/** An answer a service gives itself instead of asking the institution again (query's answer reuse). */
export interface Reuse {
  fromRequestId: string;
  outcome: AnswerOutcome;
  result: unknown;
  /** When the institution gave the reused answer. */
  answeredAt: Date;
}

/** A request that has just reached an answer (live, or by reuse), with what its notice says. */
export interface AnsweredRow {
  requestId: string;
  noticeId: string;
  caseNo: string;
  courtCode: string;
  subjectKey: string;
  measure: string;
  agency: AgencyKind;
  institution: string;
  status: RequestStatus;
  /**
   * The answer's result read by `parseAnswerResult` at the boundary, typed by agency kind and measure; null
   * when the answer carries none (cannot-assist, refused, failed). `{ ok: false }` when it does not parse:
   * the answer still counts, without its result (logged; see takeAnswers).
   */
  result: ParsedAnswerResult | null;
  /** When the institution gave this answer: now, or the reused answer's time. */
  answeredAt: Date;
  reusedFrom?: string;
}

/** NoticeCompleted's counts of requests by final status. */
export type CompletionCounts = Omit<NoticeCompleted, 'noticeId'>;

export interface CompletedNotice {
  noticeId: string;
  counts: CompletionCounts;
}

/** The batch's transaction. */
export type Tx = Queryable;

export interface MeasureHooks {
  /** A guard on intake, after ownership of the measure: a notice it refuses is not taken in at all. */
  admits?(issued: NoticeIssued): boolean;
  /**
   * Which new notices may no longer be carried out (by notice id), judged in the batch's transaction before
   * anything is dispatched: they are taken in, and each of their requests fails at once with the failure
   * (stored as failed, announced with RequestFailed), never sent. For rules that depend on what other
   * notices did since the notice was accepted.
   */
  refuses?(
    tx: Tx,
    batch: { notices: readonly IntakeNotice[]; now: Date },
  ): Promise<ReadonlyMap<string, RequestFailure>>;
  /**
   * Where new notices go instead of their own `targets` (by notice id; a notice not in the map keeps its
   * targets), judged in the batch's transaction: for measures broadcast to every connected institution whatever
   * the court named, and for withdrawals that must reach exactly the institutions the withdrawn measure reached.
   * A target naming only the agency kind means every institution of that kind in the directory; one naming an
   * institution is planned as named, without consulting the directory, since the hook names an institution it
   * knows received an earlier notice (a directory change since must not keep the withdrawal from it).
   */
  targets?(
    tx: Tx,
    batch: {
      notices: readonly IntakeNotice[];
      directory: ReadonlyMap<AgencyKind, readonly string[]>;
      now: Date;
    },
  ): Promise<ReadonlyMap<string, readonly HookTarget[]>>;
  /**
   * The deadlines stamped on a notice's requests, given the SLA policy's: a service may bring the answer
   * deadline forward for a legal limit of its own (a listing's deletion within 3 working days). The escalation
   * never comes before the answer deadline.
   */
  deadlines?(notice: IntakeNotice, planned: Deadlines): Deadlines;
  /**
   * Which planned requests are answered without asking (by request id). They are still dispatched, as reuse
   * records carrying `reusedFromRequestId`, and answered at once with `RequestAnswered`.
   */
  beforeDispatch?(
    tx: Tx,
    batch: { notices: readonly IntakeNotice[]; requests: readonly PlannedRow[]; now: Date },
  ): Promise<ReadonlyMap<string, Reuse>>;
  /** After the batch's new notices and their requests are stored. */
  onPlanned?(
    tx: Tx,
    batch: { notices: readonly IntakeNotice[]; requests: readonly PlannedRow[]; now: Date },
  ): Promise<void>;
  /** After requests reached their answer (the first terminal answer each; repeats never come here). */
  onAnswered?(tx: Tx, answered: readonly AnsweredRow[]): Promise<void>;
  /**
   * After notices completed (each once), with the counts their NoticeCompleted carries. The notices' rows still
   * show their earlier status here: the batch writes the new one with its events, after this hook.
   */
  onCompleted?(tx: Tx, completed: readonly CompletedNotice[], ctx: { now: Date }): Promise<void>;
}

export interface MeasureServiceSpec {
  /** The measures whose notices this service takes in (domain `measureService`). */
  measures: readonly Measure[];
  events: EventFactory;
  /** Connected institutions by agency kind (HUB_INSTITUTIONS). */
  directory: ReadonlyMap<AgencyKind, readonly string[]>;
  now: () => Date;
  /** The deadlines stamped on each dispatch, and the version they are stamped with. */
  sla: { policy: SlaPolicy; version: string };
  /** Working days for SLA deadlines (HUB_CALENDAR_FILE); the shipped calendar when absent. */
  calendar?: WorkingDayCalendar;
  hooks?: MeasureHooks;
  /** Told of answers the state machine refused (a second, different answer; a move it forbids). */
  logger?: Pick<Logger, 'warn'>;
}
