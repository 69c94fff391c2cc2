-- Up Migration

-- Hold-change reports: an agency tells the hub, on its own initiative and signed, what happened to a hold
-- the hub placed through one of its requests (轮候生效, 失效, 前序解除, 扣划, 处分). One row per report id of
-- the institution: a report sent again is accepted once. Kept with the agency's signature as evidence
-- (法释〔2013〕20号) and announced through the outbox (HoldChangeReported) in the same transaction.
CREATE TABLE hold_reports (
  institution text        NOT NULL,
  report_id   text        NOT NULL,
  request_id  uuid        NOT NULL,
  change      text        NOT NULL,
  -- The report as the agency sent it (canonical JSON): a repeat must say the same, or it is a conflict.
  body        jsonb       NOT NULL,
  signature   jsonb,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (institution, report_id)
);
CREATE INDEX hold_reports_request ON hold_reports (request_id);
