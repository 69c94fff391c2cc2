-- Up Migration

-- Issue 11: holds (冻结, 查封) running out unless renewed, and those that lapsed, from the freeze-deduct
-- service's HoldExpiring and HoldLapsed events: one row per hold, about its latest term. The asset's number is
-- kept masked, as everything personal in this read model.
CREATE TABLE expiring_holds (
  hold_id           uuid PRIMARY KEY,
  notice_id         uuid        NOT NULL,
  court_code        text        NOT NULL,
  case_no           text        NOT NULL,
  agency            text        NOT NULL,
  institution       text        NOT NULL,
  asset_kind        text        NOT NULL,
  asset_masked      text        NOT NULL,
  term_until        text        NOT NULL,
  lapses_at         timestamptz NOT NULL,
  lead_working_days integer,
  reminded_at       timestamptz,
  lapsed_at         timestamptz,
  frozen_fen        bigint,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX expiring_holds_lapses_at ON expiring_holds (lapses_at);
