-- Up Migration

-- Issue 13 item 5: reads that stay fast as the read model grows. The reports, the console's agency panel and the
-- backlog gauge read counters kept per Shanghai day (UTC+8 all year, as reports/period.ts defines days) instead of
-- scanning requests. Statement-level triggers with transition tables keep them in the SAME transaction as the
-- projection's batched writes: one multi-row upsert per rollup and statement, keys in sorted order (concurrent
-- consumers lock shared rollup rows in one order). Only what depends on the clock is read live, from partial
-- indexes over the few rows it can concern (open requests; late answers of the last days).
-- tracker_rebuild_rollups() rebuilds everything from the base tables (run below for the rows already there).

-- Trigram indexes for the console's search (a substring match, ILIKE '%q%', unchanged). pg_trgm lives in `public`
-- once per database; every service schema names its operator class there. The lock: two schemas migrating at
-- once would otherwise race to create it.
SELECT pg_advisory_xact_lock(hashtext('tracker pg_trgm'));
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX notices_case_no_trgm ON notices USING gin (case_no public.gin_trgm_ops);
CREATE INDEX notices_notice_no_trgm ON notices USING gin (notice_no public.gin_trgm_ops);
CREATE INDEX notices_debtor_trgm ON notices USING gin (debtor_masked public.gin_trgm_ops);
CREATE INDEX notices_newest ON notices (issued_at DESC NULLS LAST, id);

-- The live parts: open requests by dispatch time (breached-by-now, missing-by-now), the breach list's two halves,
-- answers by time (the console panel's first, partial day).
CREATE INDEX requests_open_dispatched ON requests (dispatched_at)
  INCLUDE (agency, institution, measure, due_at, breached_at) WHERE status_rank < 3;
CREATE INDEX requests_open_breached ON requests ((COALESCE(breached_at, due_at)) DESC, id)
  WHERE status_rank < 3 AND breached_at IS NOT NULL;
CREATE INDEX requests_late_answered ON requests (answered_at)
  WHERE status_rank >= 3 AND (late OR (outcome IS NOT NULL AND answered_at > due_at));
CREATE INDEX requests_answered_at ON requests (answered_at) WHERE outcome IS NOT NULL;

-- The amount a money answer moved (answer-amounts.ts amountOfAnswer), read once by the projection in JS when it
-- writes the answer: answer_read is null until read (and for other measures), answer_fen null when unreadable.
-- The yearly statistics parse the few unread ones (rows from before this migration) as they read.
ALTER TABLE requests ADD COLUMN answer_read boolean, ADD COLUMN answer_fen bigint;
-- The measures are @hub/domain MONEY_MEASURES (reports/money-rollup.ts spells the same predicate).
CREATE INDEX requests_money_unread ON requests (dispatched_at)
  WHERE answer_read IS NULL AND measure IN ('freeze', 'renew-freeze', 'deduct') AND status IN ('done', 'partial');

CREATE FUNCTION tracker_day(t timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ((t AT TIME ZONE 'UTC') + interval '8 hours')::date $$;

-- Answer-time histogram buckets: 16 per doubling (each 4.4 % wide) from 1 s; below 1 s one bucket, negative
-- (clock skew) another. The reports' percentiles stay exact: the histogram says which bucket, and which place in
-- it, the percentile's rank falls on, and the index below reads just that bucket's answers (reports/percentiles.ts).
CREATE FUNCTION tracker_answer_bucket(s numeric) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN s < 0 THEN -1 WHEN s < 1 THEN 0 ELSE 1 + floor(16 * log(2, s))::integer END $$;
-- Answers by bucket: by dispatch time (the agency report: answered by the agency, dispatched in the period) and by
-- answer time (the console panel: any answer in the window). Spelled as reports/percentiles.ts spells them.
CREATE INDEX requests_answer_bucket_dispatched ON requests
  (agency, institution, tracker_answer_bucket(extract(epoch FROM answered_at - dispatched_at)), dispatched_at)
  INCLUDE (answered_at)
  WHERE status_rank >= 3 AND outcome IS NOT NULL AND answered_at IS NOT NULL AND dispatched_at IS NOT NULL;
CREATE INDEX requests_answer_bucket_answered ON requests
  (agency, institution, tracker_answer_bucket(extract(epoch FROM answered_at - dispatched_at)), answered_at)
  INCLUDE (dispatched_at)
  WHERE outcome IS NOT NULL AND answered_at IS NOT NULL AND dispatched_at IS NOT NULL;

-- Requests by the Shanghai day they were dispatched, per agency kind, institution and measure (the agency report;
-- the yearly statistics of every court) ...
CREATE TABLE rollup_requests_daily (
  day              date   NOT NULL,
  agency           text   NOT NULL,
  institution      text   NOT NULL,
  measure          text   NOT NULL,
  received         bigint NOT NULL,
  ack_on_time      bigint NOT NULL,
  answered         bigint NOT NULL,
  answered_on_time bigint NOT NULL,
  answered_late    bigint NOT NULL,
  answer_seconds   numeric NOT NULL,
  refused          bigint NOT NULL,
  cannot_assist    bigint NOT NULL,
  done             bigint NOT NULL,
  partial          bigint NOT NULL,
  failed           bigint NOT NULL,
  open             bigint NOT NULL,
  -- breached whatever the clock says: stamped by the detector, or answered after the deadline
  breached         bigint NOT NULL,
  money_fen        numeric NOT NULL,
  money_unreadable bigint NOT NULL,
  PRIMARY KEY (day, agency, institution, measure)
);
-- ... and per court (COALESCE(request's court, notice's court)), for the yearly statistics of one court.
CREATE TABLE rollup_requests_court_daily (LIKE rollup_requests_daily INCLUDING DEFAULTS);
ALTER TABLE rollup_requests_court_daily DROP COLUMN institution, ADD COLUMN court_code text NOT NULL,
  ADD PRIMARY KEY (court_code, day, agency, measure);

-- Answer times (hub seconds, dispatch to answer) as histogram buckets: by dispatch day (basis 'd': the agency
-- report) and by answer day (basis 'a': the console panel), per day and (month = true, day = the 1st) per month.
CREATE TABLE rollup_answer_hist (
  basis       "char"  NOT NULL,
  month       boolean NOT NULL,
  day         date    NOT NULL,
  agency      text    NOT NULL,
  institution text    NOT NULL,
  bucket      integer NOT NULL,
  count       bigint  NOT NULL,
  seconds     numeric NOT NULL,
  PRIMARY KEY (basis, month, day, agency, institution, bucket)
);

-- Answers by the Shanghai day they came in (the console panel's window).
CREATE TABLE rollup_answers_daily (
  day         date   NOT NULL,
  agency      text   NOT NULL,
  institution text   NOT NULL,
  answered    bigint NOT NULL,
  refusals    bigint NOT NULL,
  late        bigint NOT NULL,
  PRIMARY KEY (day, agency, institution)
);

-- Open requests now (the backlog gauge, the console panel).
CREATE TABLE rollup_backlog (
  agency        text   NOT NULL,
  institution   text   NOT NULL,
  open          bigint NOT NULL,
  open_breached bigint NOT NULL,
  PRIMARY KEY (agency, institution)
);

-- Listings carried out, per notice (the yearly figure counts distinct notices): Shanghai year of dispatch.
CREATE TABLE rollup_listing_notices (
  year       integer NOT NULL,
  measure    text    NOT NULL,
  court_code text    NOT NULL,
  notice_id  uuid    NOT NULL,
  done       bigint  NOT NULL,
  PRIMARY KEY (year, measure, court_code, notice_id)
);

-- Notices by the Shanghai day they were issued, court and measure; and, per agency kind, how many of them have a
-- request to it (notice_agencies: each notice × agency kind once; a request's notice and agency never change).
CREATE TABLE rollup_notices_daily (
  day        date   NOT NULL,
  court_code text   NOT NULL,
  measure    text   NOT NULL,
  notices    bigint NOT NULL,
  PRIMARY KEY (day, court_code, measure)
);
CREATE TABLE notice_agencies (
  notice_id uuid NOT NULL,
  agency    text NOT NULL,
  PRIMARY KEY (notice_id, agency)
);
CREATE TABLE rollup_notice_agencies (
  day        date   NOT NULL,
  court_code text   NOT NULL,
  agency     text   NOT NULL,
  notices    bigint NOT NULL,
  PRIMARY KEY (day, court_code, agency)
);

-- The statements that fold a set of request rows (`src`: columns sign, then requests.*) into the rollups. One
-- template serves the triggers (src over the transition tables) and the rebuild (src over the table).
CREATE FUNCTION tracker_request_rollup_sql(src text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $fn$ SELECT format($sql$
WITH d AS (%s),
f AS (
  SELECT d.sign, d.notice_id, d.agency, d.institution, COALESCE(d.measure, '') AS measure,
    COALESCE(d.court_code, n.court_code, '') AS court_code, d.status, d.dispatched_at,
    tracker_day(d.dispatched_at) AS day, tracker_day(d.answered_at) AS answer_day,
    (d.status_rank >= 3 AND d.outcome IS NOT NULL AND d.answered_at IS NOT NULL) AS answered,
    (d.outcome IS NOT NULL AND d.answered_at IS NOT NULL) AS has_answer,
    extract(epoch FROM d.answered_at - d.dispatched_at) AS seconds,
    d.status_rank < 3 AS open, d.breached_at IS NOT NULL AS stamped,
    COALESCE(COALESCE(d.acknowledged_at, CASE WHEN d.outcome IS NOT NULL THEN d.answered_at END) <= d.ack_due_at,
             false) AS ack_on_time,
    COALESCE(d.answered_at <= d.due_at, false) AS by_due, COALESCE(d.answered_at > d.due_at, false) AS past_due,
    (d.breached_at IS NOT NULL OR (d.due_at IS NOT NULL AND d.status_rank >= 3 AND d.answered_at > d.due_at))
      AS breached,
    (d.late OR (d.outcome IS NOT NULL AND COALESCE(d.answered_at > d.due_at, false))) AS late,
    d.outcome = 'refused' AS refusal,
    CASE WHEN d.status IN ('done', 'partial') AND d.answer_read THEN 1 ELSE 0 END AS money_read,
    d.answer_fen
  FROM d LEFT JOIN notices n ON n.id = d.notice_id
),
c AS (
  SELECT f.*, sign * (answered)::int AS a, sign * (answered AND by_due)::int AS a_on_time,
    sign * (answered AND past_due)::int AS a_late
  FROM f
),
daily AS (
  INSERT INTO rollup_requests_daily AS t (day, agency, institution, measure, received, ack_on_time, answered, answered_on_time, answered_late, answer_seconds, refused, cannot_assist, done, partial, failed, open, breached, money_fen, money_unreadable)
  SELECT * FROM (
    SELECT day, agency, institution, measure,
      sum(sign) AS received, sum(sign * ack_on_time::int) AS ack_on_time, sum(a) AS answered,
      sum(a_on_time) AS answered_on_time, sum(a_late) AS answered_late,
      COALESCE(sum(CASE WHEN answered THEN sign * seconds END), 0) AS answer_seconds,
      sum(sign * (status = 'refused')::int) AS refused, sum(sign * (status = 'cannot-assist')::int) AS cannot_assist,
      sum(sign * (status = 'done')::int) AS done, sum(sign * (status = 'partial')::int) AS partial,
      sum(sign * (status = 'failed')::int) AS failed, sum(sign * open::int) AS open,
      sum(sign * breached::int) AS breached, COALESCE(sum(sign * money_read * answer_fen), 0) AS money_fen,
      sum(sign * money_read * (answer_fen IS NULL)::int) AS money_unreadable
    FROM c WHERE dispatched_at IS NOT NULL
    GROUP BY day, agency, institution, measure
  ) g
  WHERE received <> 0 OR ack_on_time <> 0 OR answered <> 0 OR answered_on_time <> 0 OR answered_late <> 0 OR answer_seconds <> 0 OR refused <> 0 OR cannot_assist <> 0 OR done <> 0 OR partial <> 0 OR failed <> 0 OR open <> 0 OR breached <> 0 OR money_fen <> 0 OR money_unreadable <> 0
  ORDER BY day, agency, institution, measure
  ON CONFLICT (day, agency, institution, measure) DO UPDATE SET
    received = t.received + EXCLUDED.received,
    ack_on_time = t.ack_on_time + EXCLUDED.ack_on_time,
    answered = t.answered + EXCLUDED.answered,
    answered_on_time = t.answered_on_time + EXCLUDED.answered_on_time,
    answered_late = t.answered_late + EXCLUDED.answered_late,
    answer_seconds = t.answer_seconds + EXCLUDED.answer_seconds,
    refused = t.refused + EXCLUDED.refused,
    cannot_assist = t.cannot_assist + EXCLUDED.cannot_assist,
    done = t.done + EXCLUDED.done,
    partial = t.partial + EXCLUDED.partial,
    failed = t.failed + EXCLUDED.failed,
    open = t.open + EXCLUDED.open,
    breached = t.breached + EXCLUDED.breached,
    money_fen = t.money_fen + EXCLUDED.money_fen,
    money_unreadable = t.money_unreadable + EXCLUDED.money_unreadable
  RETURNING 1
),
court AS (
  INSERT INTO rollup_requests_court_daily AS t (court_code, day, agency, measure, received, ack_on_time, answered, answered_on_time, answered_late, answer_seconds, refused, cannot_assist, done, partial, failed, open, breached, money_fen, money_unreadable)
  SELECT * FROM (
    SELECT court_code, day, agency, measure,
      sum(sign) AS received, sum(sign * ack_on_time::int) AS ack_on_time, sum(a) AS answered,
      sum(a_on_time) AS answered_on_time, sum(a_late) AS answered_late,
      COALESCE(sum(CASE WHEN answered THEN sign * seconds END), 0) AS answer_seconds,
      sum(sign * (status = 'refused')::int) AS refused, sum(sign * (status = 'cannot-assist')::int) AS cannot_assist,
      sum(sign * (status = 'done')::int) AS done, sum(sign * (status = 'partial')::int) AS partial,
      sum(sign * (status = 'failed')::int) AS failed, sum(sign * open::int) AS open,
      sum(sign * breached::int) AS breached, COALESCE(sum(sign * money_read * answer_fen), 0) AS money_fen,
      sum(sign * money_read * (answer_fen IS NULL)::int) AS money_unreadable
    FROM c WHERE dispatched_at IS NOT NULL
    GROUP BY court_code, day, agency, measure
  ) g
  WHERE received <> 0 OR ack_on_time <> 0 OR answered <> 0 OR answered_on_time <> 0 OR answered_late <> 0 OR answer_seconds <> 0 OR refused <> 0 OR cannot_assist <> 0 OR done <> 0 OR partial <> 0 OR failed <> 0 OR open <> 0 OR breached <> 0 OR money_fen <> 0 OR money_unreadable <> 0
  ORDER BY court_code, day, agency, measure
  ON CONFLICT (court_code, day, agency, measure) DO UPDATE SET
    received = t.received + EXCLUDED.received,
    ack_on_time = t.ack_on_time + EXCLUDED.ack_on_time,
    answered = t.answered + EXCLUDED.answered,
    answered_on_time = t.answered_on_time + EXCLUDED.answered_on_time,
    answered_late = t.answered_late + EXCLUDED.answered_late,
    answer_seconds = t.answer_seconds + EXCLUDED.answer_seconds,
    refused = t.refused + EXCLUDED.refused,
    cannot_assist = t.cannot_assist + EXCLUDED.cannot_assist,
    done = t.done + EXCLUDED.done,
    partial = t.partial + EXCLUDED.partial,
    failed = t.failed + EXCLUDED.failed,
    open = t.open + EXCLUDED.open,
    breached = t.breached + EXCLUDED.breached,
    money_fen = t.money_fen + EXCLUDED.money_fen,
    money_unreadable = t.money_unreadable + EXCLUDED.money_unreadable
  RETURNING 1
),
hist AS (
  INSERT INTO rollup_answer_hist AS t
  SELECT k.basis, k.month, k.day, c.agency, c.institution, tracker_answer_bucket(c.seconds), sum(c.sign),
    sum(c.sign * c.seconds)
  FROM c CROSS JOIN LATERAL (VALUES
    ('d'::"char", false, c.day, c.answered),
    ('d'::"char", true, date_trunc('month', c.day)::date, c.answered),
    ('a'::"char", false, c.answer_day, c.has_answer),
    ('a'::"char", true, date_trunc('month', c.answer_day)::date, c.has_answer)) AS k(basis, month, day, counts)
  WHERE k.counts AND c.seconds IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(c.sign) <> 0 OR sum(c.sign * c.seconds) <> 0
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (basis, month, day, agency, institution, bucket) DO UPDATE SET
    count = t.count + EXCLUDED.count, seconds = t.seconds + EXCLUDED.seconds
  RETURNING 1
),
answers AS (
  INSERT INTO rollup_answers_daily AS t
  SELECT answer_day, agency, institution, sum(sign), sum(sign * refusal::int), sum(sign * late::int)
  FROM c WHERE has_answer
  GROUP BY 1, 2, 3
  HAVING sum(sign) <> 0 OR sum(sign * refusal::int) <> 0 OR sum(sign * late::int) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (day, agency, institution) DO UPDATE SET
    answered = t.answered + EXCLUDED.answered, refusals = t.refusals + EXCLUDED.refusals, late = t.late + EXCLUDED.late
  RETURNING 1
),
backlog AS (
  INSERT INTO rollup_backlog AS t
  SELECT agency, institution, sum(sign * open::int), sum(sign * (open AND stamped)::int)
  FROM c
  GROUP BY 1, 2
  HAVING sum(sign * open::int) <> 0 OR sum(sign * (open AND stamped)::int) <> 0
  ORDER BY 1, 2
  ON CONFLICT (agency, institution) DO UPDATE SET
    open = t.open + EXCLUDED.open, open_breached = t.open_breached + EXCLUDED.open_breached
  RETURNING 1
),
listings AS (
  INSERT INTO rollup_listing_notices AS t
  SELECT extract(year FROM day)::int, measure, court_code, notice_id, sum(sign)
  FROM c WHERE dispatched_at IS NOT NULL AND status = 'done' AND measure IN ('dishonest-list', 'restrict-consumption')
  GROUP BY 1, 2, 3, 4
  HAVING sum(sign) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (year, measure, court_code, notice_id) DO UPDATE SET done = t.done + EXCLUDED.done
  RETURNING 1
),
pairs AS (
  INSERT INTO notice_agencies
  SELECT DISTINCT notice_id, agency FROM c WHERE sign > 0 ORDER BY 1, 2
  ON CONFLICT DO NOTHING
  RETURNING notice_id, agency
),
agencies AS (
  INSERT INTO rollup_notice_agencies AS t
  SELECT tracker_day(n.issued_at), COALESCE(n.court_code, ''), p.agency, count(*)
  FROM pairs p JOIN notices n ON n.id = p.notice_id
  WHERE n.issued_at IS NOT NULL
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (day, court_code, agency) DO UPDATE SET notices = t.notices + EXCLUDED.notices
  RETURNING 1
)
SELECT (SELECT count(*) FROM daily) + (SELECT count(*) FROM court) + (SELECT count(*) FROM hist)
     + (SELECT count(*) FROM answers) + (SELECT count(*) FROM backlog) + (SELECT count(*) FROM listings)
     + (SELECT count(*) FROM agencies)
$sql$, src) $fn$;

-- The same for notice rows; `agencies`: move their notice_agencies counts (triggers; the rebuild counts them from
-- the requests side instead).
CREATE FUNCTION tracker_notice_rollup_sql(src text, agencies boolean) RETURNS text
  LANGUAGE sql IMMUTABLE AS $fn$ SELECT format($sql$
WITH d AS (%s),
nd AS (
  INSERT INTO rollup_notices_daily AS t
  SELECT tracker_day(issued_at), COALESCE(court_code, ''), COALESCE(measure, ''), sum(sign)
  FROM d WHERE issued_at IS NOT NULL
  GROUP BY 1, 2, 3
  HAVING sum(sign) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (day, court_code, measure) DO UPDATE SET notices = t.notices + EXCLUDED.notices
  RETURNING 1
),
na AS (
  INSERT INTO rollup_notice_agencies AS t
  SELECT tracker_day(d.issued_at), COALESCE(d.court_code, ''), p.agency, sum(d.sign)
  FROM d JOIN notice_agencies p ON p.notice_id = d.id
  WHERE %L::boolean AND d.issued_at IS NOT NULL
  GROUP BY 1, 2, 3
  HAVING sum(d.sign) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (day, court_code, agency) DO UPDATE SET notices = t.notices + EXCLUDED.notices
  RETURNING 1
)
SELECT (SELECT count(*) FROM nd) + (SELECT count(*) FROM na)
$sql$, src, agencies) $fn$;

CREATE FUNCTION tracker_requests_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE tracker_request_rollup_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'UPDATE' THEN 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows'
    ELSE 'SELECT -1 AS sign, * FROM old_rows' END);
  RETURN NULL;
END $$;

CREATE FUNCTION tracker_notices_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE tracker_notice_rollup_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'UPDATE' THEN 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows'
    ELSE 'SELECT -1 AS sign, * FROM old_rows' END, true);
  RETURN NULL;
END $$;

CREATE TRIGGER requests_rollup_insert AFTER INSERT ON requests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_requests_rollup();
CREATE TRIGGER requests_rollup_update AFTER UPDATE ON requests
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_requests_rollup();
CREATE TRIGGER requests_rollup_delete AFTER DELETE ON requests
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_requests_rollup();
CREATE TRIGGER notices_rollup_insert AFTER INSERT ON notices
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_notices_rollup();
CREATE TRIGGER notices_rollup_update AFTER UPDATE ON notices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_notices_rollup();
CREATE TRIGGER notices_rollup_delete AFTER DELETE ON notices
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_notices_rollup();

-- Everything from the base tables, under locks that keep the projection out meanwhile.
CREATE FUNCTION tracker_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE notices, requests IN SHARE MODE;
  TRUNCATE rollup_requests_daily, rollup_requests_court_daily, rollup_answer_hist, rollup_answers_daily,
    rollup_backlog, rollup_listing_notices, rollup_notices_daily, notice_agencies, rollup_notice_agencies;
  EXECUTE tracker_notice_rollup_sql('SELECT 1 AS sign, * FROM notices', false);
  EXECUTE tracker_request_rollup_sql('SELECT 1 AS sign, * FROM requests');
END $$;

SELECT tracker_rebuild_rollups();
