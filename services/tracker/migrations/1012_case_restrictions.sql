-- Up Migration

-- Issue 12: the restrictions in force (失信名单, 限制消费, 限制出境), from the punishment service's RestrictionsChanged
-- events, so the ops console shows a case's current listings. Each event carries a subject's whole standing and
-- a version: the highest version seen replaces the subject's entries, an older or repeated one changes nothing.
-- Subjects are known only by the punishment service's hash of their identifier.
CREATE TABLE restriction_subjects (
  subject_hash text        PRIMARY KEY,
  version      bigint      NOT NULL,
  cause        text        NOT NULL,
  changed_at   timestamptz NOT NULL
);

CREATE TABLE restriction_entries (
  subject_hash text        NOT NULL REFERENCES restriction_subjects (subject_hash) ON DELETE CASCADE,
  entry_id     text        NOT NULL,
  measure      text        NOT NULL,
  court_code   text        NOT NULL,
  case_no      text        NOT NULL,
  notice_id    text        NOT NULL,
  since        timestamptz,
  ends_at      timestamptz,
  ground       text        NOT NULL,
  role         text        NOT NULL,
  debtor_kind  text        NOT NULL,
  implied_by   text        NOT NULL,
  PRIMARY KEY (subject_hash, entry_id)
);
CREATE INDEX restriction_entries_case ON restriction_entries (case_no);
