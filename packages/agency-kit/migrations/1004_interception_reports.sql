-- Up Migration

-- Interception reports: a partner tells the hub, signed, what it blocked because an interception check said
-- the subject is restricted (a loan, a transfer registration, a fund withdrawal, an exit, a high
-- consumption). One row per (institution, the partner's own reference): a report sent again is accepted
-- once. The subject is kept only as its hash (@hub/interception subjectHash) and masked; the partner's
-- signature is kept as evidence (法释〔2013〕20号). Announced through the outbox (InterceptionReported,
-- keyed by the notice that placed the entry) in the same transaction.
CREATE TABLE interception_reports (
  institution    text        NOT NULL,
  report_ref     text        NOT NULL,
  report_id      uuid        NOT NULL UNIQUE,
  subject_hash   text        NOT NULL,
  subject_masked text        NOT NULL,
  entry_id       text        NOT NULL,
  notice_id      text        NOT NULL,
  measure        text        NOT NULL,
  court_code     text        NOT NULL,
  case_no        text        NOT NULL,
  action         text        NOT NULL,
  occurred_at    timestamptz NOT NULL,
  -- The report as the partner sent it, the subject as its hash (canonical JSON): a repeat must say the same.
  body           jsonb       NOT NULL,
  signature      jsonb,
  received_at    timestamptz NOT NULL,
  PRIMARY KEY (institution, report_ref)
);
CREATE INDEX interception_reports_notice ON interception_reports (notice_id);
