-- Up Migration

-- 扣划: every deduction an agency reported, with its transfer reference (the agency's 划款凭证号). The request
-- id is the agency's idempotency key: one row per request, ever, so a redelivered answer records nothing
-- twice; a hold's deducted_fen is the sum of its rows here.
CREATE TABLE deductions (
  request_id   uuid        PRIMARY KEY,
  hold_id      uuid        NOT NULL REFERENCES holds (id),
  amount_fen   bigint      NOT NULL CHECK (amount_fen >= 0),
  transfer_ref text        NOT NULL,
  at           timestamptz NOT NULL
);
CREATE INDEX deductions_hold ON deductions (hold_id);
