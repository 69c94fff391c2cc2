-- Up Migration

-- 超标的冻结: releases the hub asked for because a case held more money than it owes (src/over-freeze.ts).
-- One row per release; the gateway issues it as the court's notice under notice_no. Until its answer comes
-- (settled_at) its amount counts as being released, so the same excess is never released twice.
CREATE TABLE excess_releases (
  id           uuid        PRIMARY KEY,
  court_code   text        NOT NULL,
  case_no      text        NOT NULL,
  hold_id      uuid        NOT NULL REFERENCES holds (id),
  notice_no    text        NOT NULL,
  amount_fen   bigint      NOT NULL CHECK (amount_fen > 0),
  frozen_fen   bigint      NOT NULL,
  owed_fen     bigint      NOT NULL,
  requested_at timestamptz NOT NULL,
  notice_id    uuid, -- the release notice, once it came back here
  settled_at   timestamptz, -- its answer came (whatever it said)
  UNIQUE (court_code, notice_no)
);
CREATE INDEX excess_releases_open ON excess_releases (hold_id) WHERE settled_at IS NULL;
CREATE INDEX excess_releases_notice ON excess_releases (notice_id);
