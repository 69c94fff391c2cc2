/** A durable timer: one per (kind, subject), due at a hub time. */
export interface Timer<P = unknown> {
  kind: string;
  /** What the timer is about (a request id, an alert key); unique within its kind. */
  subjectId: string;
  /** Hub time (the injected clock). */
  dueAt: Date;
  payload: P;
  /** Failed attempts so far (for a call: attempts started, this one included). */
  attempts: number;
}

export interface TimerSpec<P = unknown> {
  kind: string;
  subjectId: string;
  dueAt: Date;
  payload?: P;
}

export interface TimerRow {
  kind: string;
  subject_id: string;
  due_at: Date;
  payload: unknown;
  attempts: number;
  claim_token: string | null;
}

export const toTimer = (r: TimerRow): Timer => ({
  kind: r.kind,
  subjectId: r.subject_id,
  dueAt: r.due_at,
  payload: r.payload,
  attempts: r.attempts,
});
