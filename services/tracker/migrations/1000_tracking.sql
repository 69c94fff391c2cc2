-- Up Migration

-- The read model of every notice (协助执行通知书) and request, built from all services' events. Rows may
-- be created by whichever event arrives first (topics are consumed independently) and filled in later.
CREATE TABLE notices (
  id           uuid PRIMARY KEY,
  notice_no    text,
  case_no      text,
  court_code   text,
  measure      text,
  status       text        NOT NULL DEFAULT 'issued',
  issued_at    timestamptz,
  completed_at timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_case_no ON notices (case_no);

CREATE TABLE requests (
  id              uuid PRIMARY KEY,
  notice_id       uuid        NOT NULL,
  agency          text        NOT NULL,
  institution     text        NOT NULL,
  measure         text,
  status          text        NOT NULL,
  status_rank     smallint    NOT NULL,
  dispatched_at   timestamptz,
  -- SLA deadlines (durable rows, not timers), from the domain's SLA policy at dispatch
  ack_due_at      timestamptz,
  due_at          timestamptz,
  escalate_at     timestamptz,
  delivered_at    timestamptz,
  acknowledged_at timestamptz,
  answered_at     timestamptz,
  outcome         text,
  reason          text,
  result_json     text,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requests_notice_id ON requests (notice_id);
CREATE INDEX requests_open_due ON requests (due_at) WHERE status_rank < 3;

CREATE TABLE timeline (
  id         bigserial PRIMARY KEY,
  notice_id  uuid        NOT NULL,
  at         timestamptz NOT NULL,
  event      text        NOT NULL,
  request_id uuid,
  detail     text
);
CREATE INDEX timeline_notice_id ON timeline (notice_id, at, id);
