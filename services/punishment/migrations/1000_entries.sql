-- Up Migration

-- Listings and restrictions (失信名单, 限制高消费, 限制出境), one row per subject bound: the debtor, and for an
-- organisation its legal representative and responsible persons (法释〔2015〕17号 art. 3), each its own entry.
-- No ID number is kept in clear: the subject's hash (the interception key) and its masked form for views.
CREATE TABLE entries (
  id                uuid PRIMARY KEY,
  subject_hash      text        NOT NULL,
  -- masked name and ID (李* 110105********002X), for views and logs
  subject_masked    text        NOT NULL,
  debtor_kind       text        NOT NULL,
  role              text        NOT NULL,
  measure           text        NOT NULL,
  court_code        text        NOT NULL,
  court_name        text        NOT NULL DEFAULT '',
  case_no           text        NOT NULL,
  notice_id         uuid        NOT NULL,
  grounds           text[]      NOT NULL DEFAULT '{}',
  since             timestamptz NOT NULL,
  -- a listing's decided term end; null: no fixed term
  ends_at           timestamptz,
  implied_by        uuid,
  state             text        NOT NULL,
  removal_notice_id uuid,
  removal_reason    text,
  ground_arose_at   timestamptz,
  removal_due_at    timestamptz,
  -- when the removal or lifting was taken in (the entry went `removing`) and when every institution confirmed it
  removal_started_at timestamptz,
  removed_at        timestamptz,
  -- The public list (法释〔2017〕7号 art. 6): a listed debtor's name and the visible part of its ID are public.
  -- Set on dishonest-list entries of the debtor only.
  public_name       text,
  public_id         text,
  CONSTRAINT entries_state CHECK (state IN ('live', 'removing', 'removed', 'expired'))
);
CREATE INDEX entries_subject ON entries (subject_hash);
CREATE INDEX entries_case ON entries (case_no, subject_hash);
CREATE INDEX entries_notice ON entries (notice_id);
CREATE INDEX entries_removal_notice ON entries (removal_notice_id) WHERE removal_notice_id IS NOT NULL;
CREATE INDEX entries_public ON entries (public_name) WHERE public_name IS NOT NULL AND state = 'live';

-- Every subject's version: bumped by each change of its entries, carried by RestrictionsChanged so the
-- interception projection keeps only the newest standing.
CREATE TABLE subjects (
  subject_hash text PRIMARY KEY,
  version      bigint      NOT NULL,
  updated_at   timestamptz NOT NULL
);
-- One sequence for every subject's versions: a value a rolled-back transaction took is never reused.
CREATE SEQUENCE subject_versions;
