-- Up Migration

-- Who the inquiry is about (the subject key is a SHA-256 of the ID number or credit code: the report
-- groups by it without keeping the number in clear) and when each request is due.
ALTER TABLE notices
  ADD COLUMN court_code  text,
  ADD COLUMN measure     text,
  ADD COLUMN subject_key text,
  ADD COLUMN debtor      jsonb;
CREATE INDEX notices_case ON notices (case_no, court_code);
CREATE INDEX notices_subject ON notices (subject_key);

ALTER TABLE requests
  ADD COLUMN due_at      timestamptz,
  ADD COLUMN answered_at timestamptz,
  ADD COLUMN reused_from uuid;

-- 财产报告: every fact found for a case's debtor, once per (agency, institution, kind, key) however often
-- it is reported; first and latest report times kept.
CREATE TABLE facts (
  case_no           text        NOT NULL,
  subject_key       text        NOT NULL,
  agency            text        NOT NULL,
  institution       text        NOT NULL,
  kind              text        NOT NULL,
  key               text        NOT NULL,
  amount_fen        bigint,
  detail            jsonb       NOT NULL,
  request_id        uuid        NOT NULL,
  first_reported_at timestamptz NOT NULL,
  last_reported_at  timestamptz NOT NULL,
  PRIMARY KEY (case_no, subject_key, agency, institution, kind, key)
);
