-- Up Migration

-- Inquiry notices (网络查控·查) this service owns, and the requests it fanned them out to.
CREATE TABLE notices (
  id           uuid PRIMARY KEY,
  case_no      text        NOT NULL,
  status       text        NOT NULL DEFAULT 'in-progress',
  created_at   timestamptz NOT NULL,
  completed_at timestamptz
);

CREATE TABLE requests (
  id          uuid PRIMARY KEY,
  notice_id   uuid        NOT NULL REFERENCES notices (id),
  agency      text        NOT NULL,
  institution text        NOT NULL,
  status      text        NOT NULL,
  outcome     text,
  result      jsonb,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX requests_notice_id ON requests (notice_id);
