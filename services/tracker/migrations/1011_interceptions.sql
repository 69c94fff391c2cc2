-- Up Migration

-- Issue 12: what partners blocked because an interception check said the subject is restricted (失信、限高、
-- 限制出境), from the adapters' InterceptionReported events. One row per report: the adapter's report id and the
-- partner's own reference each count once, however often the event is delivered. The subject only masked.
CREATE TABLE interceptions (
  report_id      text        PRIMARY KEY,
  partner_ref    text        NOT NULL,
  agency         text        NOT NULL,
  institution    text        NOT NULL,
  entry_id       text        NOT NULL,
  measure        text        NOT NULL,
  court_code     text        NOT NULL,
  case_no        text        NOT NULL,
  -- the notice that placed the restriction (null when the event named none this read model can hold)
  notice_id      uuid,
  action         text        NOT NULL,
  occurred_at    timestamptz NOT NULL,
  subject_masked text        NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX interceptions_partner_ref ON interceptions (agency, institution, partner_ref)
  WHERE partner_ref <> '';
CREATE INDEX interceptions_notice ON interceptions (notice_id, occurred_at);
CREATE INDEX interceptions_case ON interceptions (case_no);

-- The figure seed 001's court could not produce: interceptions per Shanghai day, court, measure, agency kind and
-- institution, kept in the same transaction as each new report, so the yearly statistics and the agency report
-- (通报) read a few rollup rows by day range instead of scanning every report.
CREATE TABLE interception_counts (
  day         date   NOT NULL,
  court_code  text   NOT NULL,
  measure     text   NOT NULL,
  agency      text   NOT NULL,
  institution text   NOT NULL,
  count       bigint NOT NULL,
  PRIMARY KEY (day, court_code, measure, agency, institution)
);

-- Who confirmed a punishment notice late (listing broadcast, removal and lifting): the ops list reads late answers
-- and open requests past their deadline, newest deadline first, from this index alone. The measures are
-- @hub/domain PUNISHMENT_MEASURES (ops/sql/list-late-punishments.ts spells the same predicate).
CREATE INDEX requests_punishment_overdue ON requests (due_at DESC, id DESC)
  WHERE measure IN ('dishonest-list', 'dishonest-list-removal', 'restrict-consumption',
                    'restrict-consumption-lift', 'restrict-exit', 'restrict-exit-lift')
    AND (late OR status_rank < 3);
