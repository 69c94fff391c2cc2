-- Up Migration

-- 查冻扣一体: every freeze plan a court made for a case, as planned, so the same idempotency key (plan_key)
-- always gives the same plan and the same notices. The notices are the gateway's (sealed there); an item
-- not yet taken in here still counts as being frozen for the case (src/sql/case-held.ts).
CREATE TABLE freeze_plans (
  id           uuid        PRIMARY KEY,
  court_code   text        NOT NULL,
  case_no      text        NOT NULL,
  plan_key     text        NOT NULL,
  plan_no      text        NOT NULL,
  request_hash text        NOT NULL,
  owed_fen     bigint      NOT NULL,
  held_fen     bigint      NOT NULL,
  planned_fen  bigint      NOT NULL,
  reason       text,
  items        jsonb       NOT NULL,
  officer      text        NOT NULL,
  planned_at   timestamptz NOT NULL,
  UNIQUE (court_code, plan_key)
);
CREATE INDEX freeze_plans_case ON freeze_plans (case_no, court_code);
