-- Up Migration

-- What each control notice asked for, kept at intake: the answers are folded into holds with its term.
-- The notices and requests themselves are the measure skeleton's (packages/measure-kit), in this schema.
CREATE TABLE control_params (
  notice_id   uuid PRIMARY KEY,
  amount_fen  bigint,
  term_days   integer,
  asset_key   text
);

-- 冻结 / 查封: every hold the hub placed, one per (court, case, institution, asset), as the agencies'
-- answers left it. States and their moves are decided in src/domain/holds.ts, never here.
CREATE TABLE holds (
  id              uuid PRIMARY KEY,
  court_code      text        NOT NULL,
  case_no         text        NOT NULL,
  subject_key     text        NOT NULL,
  agency          text        NOT NULL,
  institution     text        NOT NULL,
  asset_kind      text        NOT NULL,
  asset_key       text        NOT NULL,
  measure         text        NOT NULL,
  state           text        NOT NULL,
  queue_position  integer     NOT NULL,
  requested_fen   bigint,
  frozen_fen      bigint      NOT NULL DEFAULT 0,
  deducted_fen    bigint      NOT NULL DEFAULT 0,
  term_from       text,
  term_until      text,
  registration_no text        NOT NULL,
  placed_by       uuid        NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  UNIQUE (court_code, case_no, institution, asset_kind, asset_key)
);
CREATE INDEX holds_case ON holds (case_no, court_code);

-- Every change of a hold, with the answer (request) that made it: one row per (hold, request).
CREATE TABLE hold_history (
  hold_id        uuid        NOT NULL REFERENCES holds (id),
  request_id     uuid        NOT NULL,
  measure        text        NOT NULL,
  from_state     text,
  to_state       text        NOT NULL,
  queue_position integer     NOT NULL,
  frozen_fen     bigint      NOT NULL,
  deducted_fen   bigint      NOT NULL,
  term_until     text,
  at             timestamptz NOT NULL,
  PRIMARY KEY (hold_id, request_id)
);
