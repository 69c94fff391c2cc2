-- Up Migration

-- The notices a measure service owns and the requests it fanned them out to (packages/measure-kit). Each
-- service has them in its own schema; its own tables (query's facts …) come from its own migrations.
-- Statuses are the domain's (packages/domain glossary); which moves are allowed is decided there, not here.
CREATE TABLE notices (
  id           uuid PRIMARY KEY,
  case_no      text        NOT NULL,
  court_code   text        NOT NULL,
  measure      text        NOT NULL,
  -- SHA-256 of the debtor's ID number or credit code: groups a debtor's notices without the number in clear.
  subject_key  text        NOT NULL,
  -- Masked (name, ID) for reports; the clear number stays with the gateway and the agencies that need it.
  debtor       jsonb       NOT NULL,
  status       text        NOT NULL DEFAULT 'issued',
  created_at   timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX notices_case ON notices (case_no, court_code);
CREATE INDEX notices_subject ON notices (subject_key);

CREATE TABLE requests (
  id          uuid PRIMARY KEY,
  notice_id   uuid        NOT NULL REFERENCES notices (id),
  agency      text        NOT NULL,
  institution text        NOT NULL,
  status      text        NOT NULL,
  -- The answer as given; on a reuse record, the reused answer's outcome.
  outcome     text,
  result      jsonb,
  updated_at  timestamptz NOT NULL,
  -- The answer deadline stamped on the dispatch (SLA policy); none for a request that could not be routed.
  due_at      timestamptz,
  answered_at timestamptz,
  -- Set on a reuse record: the request whose answer answered this one.
  reused_from uuid
);
CREATE INDEX requests_notice_id ON requests (notice_id);
