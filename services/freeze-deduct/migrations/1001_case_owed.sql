-- Up Migration

-- 执行标的 plus costs: what a case owes, in fen, as its court last stated it (on a money notice, or with a
-- freeze plan). Every freeze, release and deduction is checked against it.
CREATE TABLE case_owed (
  court_code text        NOT NULL,
  case_no    text        NOT NULL,
  owed_fen   bigint      NOT NULL CHECK (owed_fen > 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (court_code, case_no)
);

-- Changing what is owed is a court action: every statement that changed it, by whom and from what.
CREATE TABLE case_owed_history (
  court_code text        NOT NULL,
  case_no    text        NOT NULL,
  seq        bigserial,
  from_fen   bigint,
  to_fen     bigint      NOT NULL,
  source     text        NOT NULL, -- 'notice' | 'freeze-plan' | …
  notice_id  uuid,
  officer    text        NOT NULL,
  at         timestamptz NOT NULL,
  PRIMARY KEY (court_code, case_no, seq)
);
