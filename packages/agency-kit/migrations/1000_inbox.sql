-- Up Migration

-- The agency inbox of one adapter: requests waiting for, or being worked by, partner institutions.
CREATE TABLE requests (
  id              uuid PRIMARY KEY,
  notice_id       uuid        NOT NULL,
  institution     text        NOT NULL,
  measure         text        NOT NULL,
  notice_no       text        NOT NULL,
  case_no         text        NOT NULL,
  court           jsonb       NOT NULL,
  debtor          jsonb       NOT NULL,
  params          jsonb       NOT NULL,
  legal_basis     text        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending',
  received_at     timestamptz NOT NULL,
  lease_owner     text,
  lease_until     timestamptz,
  delivered_at    timestamptz,
  acknowledged_at timestamptz,
  answered_at     timestamptz,
  outcome         text,
  reason          text,
  result          jsonb
);
CREATE INDEX requests_open_inbox ON requests (institution, received_at)
  WHERE status IN ('pending', 'delivered', 'acknowledged');
