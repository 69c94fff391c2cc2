-- Up Migration

-- 协助执行通知书 as received from courts. The unique key makes re-submission of the same
-- (court, notice number) return the same notice instead of creating a second one.
CREATE TABLE notices (
  id          uuid        PRIMARY KEY,
  court_code  text        NOT NULL,
  notice_no   text        NOT NULL,
  case_no     text        NOT NULL,
  measure     text        NOT NULL,
  body        jsonb       NOT NULL,
  body_hash   text        NOT NULL,
  warnings    text[]      NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL,
  UNIQUE (court_code, notice_no)
);

CREATE INDEX notices_case_no ON notices (case_no);
