-- Up Migration

-- 财产报告: every fact found for a case's debtor, once per (agency, institution, kind, key) however often
-- it is reported; first and latest report times kept. The notices and requests it is found by are the
-- measure skeleton's (packages/measure-kit migrations), in this same schema.
CREATE TABLE facts (
  case_no           text        NOT NULL,
  subject_key       text        NOT NULL,
  agency            text        NOT NULL,
  institution       text        NOT NULL,
  kind              text        NOT NULL,
  key               text        NOT NULL,
  amount_fen        bigint,
  detail            jsonb       NOT NULL,
  request_id        uuid        NOT NULL,
  first_reported_at timestamptz NOT NULL,
  last_reported_at  timestamptz NOT NULL,
  PRIMARY KEY (case_no, subject_key, agency, institution, kind, key)
);
