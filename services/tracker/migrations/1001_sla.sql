-- Up Migration

-- SLA breaches as durable state (never timers): the detector stamps a request once when its answer
-- deadline passes unanswered, and once more when the escalation deadline passes. A late answer keeps
-- the stamp and is marked late (evidence of non-cooperation, DESIGN §4).
ALTER TABLE requests
  ADD COLUMN breached_at   timestamptz,
  ADD COLUMN escalated_at  timestamptz,
  ADD COLUMN late          boolean NOT NULL DEFAULT false,
  ADD COLUMN court_code    text,
  ADD COLUMN case_no       text;
CREATE INDEX requests_breach_due ON requests (due_at) WHERE status_rank < 3 AND breached_at IS NULL;
CREATE INDEX requests_escalate_due ON requests (escalate_at) WHERE status_rank < 3 AND escalated_at IS NULL;
CREATE INDEX requests_agency ON requests (agency, institution);

-- For the ops console's search: the debtor only masked, plus a hash to match an exact ID number.
ALTER TABLE notices
  ADD COLUMN debtor_masked text,
  ADD COLUMN subject_key   text;
CREATE INDEX notices_notice_no ON notices (notice_no);
CREATE INDEX notices_subject ON notices (subject_key);

-- Alerts to push (breach, escalation) to the configured webhook, retried with backoff until delivered.
CREATE TABLE alerts (
  id              bigserial PRIMARY KEY,
  kind            text        NOT NULL, -- breach | escalation
  request_id      uuid        NOT NULL,
  notice_id       uuid        NOT NULL,
  payload         jsonb       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        int         NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  last_error      text,
  UNIQUE (kind, request_id)
);
CREATE INDEX alerts_pending ON alerts (next_attempt_at) WHERE delivered_at IS NULL;

-- Messages other services could not process (the dead-letter topic), for ops to see.
CREATE TABLE dead_letters (
  id             bigserial PRIMARY KEY,
  source_topic   text        NOT NULL,
  consumer_group text        NOT NULL,
  error          text        NOT NULL,
  event_type     text,
  notice_id      text,
  received_at    timestamptz NOT NULL DEFAULT now()
);
