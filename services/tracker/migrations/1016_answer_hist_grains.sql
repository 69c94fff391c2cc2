-- Up Migration

-- Issue 13 item 5: the answer-time histograms (rollup_answer_hist, 1013) at coarser grains. A histogram grain holds
-- up to institutions × buckets rows (40 × ~180 in the benchmark's model), and at day grain about one row per answer:
-- a report from Jan 2 to Dec 30 summed 59 day grains and 10 month grains (113,000 rows at 2 million requests), a
-- year twelve month grains, the console's 30 days up to 30 day grains. Two more grains, kept from the histogram's own
-- changes in the same transaction (a statement-level trigger on rollup_answer_hist, static SQL as in 1015):
--   'k' 旬 (dekad: days 1–10, 11–20, 21 to the month's end) from the day rows, `day` = its first day;
--   'y' year from the month rows, `day` = 1 January.
-- A period is read as whole years, then whole months, then whole dekads, then days (reports/rollups.ts grainParts):
-- the years between, and at most 11 months, 2 旬 and 10 days at either end; a year is one grain.

CREATE TABLE rollup_answer_hist_grains (LIKE rollup_answer_hist INCLUDING DEFAULTS);
ALTER TABLE rollup_answer_hist_grains DROP COLUMN month,
  ADD COLUMN grain "char" NOT NULL CHECK (grain IN ('k', 'y')),
  ADD PRIMARY KEY (basis, grain, day, agency, institution, bucket);

-- The first day of d's 旬.
CREATE FUNCTION tracker_dekad(d date) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT date_trunc('month', d)::date
      + CASE WHEN extract(day FROM d) <= 10 THEN 0 WHEN extract(day FROM d) <= 20 THEN 10 ELSE 20 END $$;

-- The statement that adds histogram rows (`src`: columns sign, then rollup_answer_hist's) to their 旬 (day rows) and
-- year (month rows), sorted by key as every rollup upsert is.
CREATE FUNCTION tracker_hist_grains_sql(src text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $fn$ SELECT format($sql$
INSERT INTO rollup_answer_hist_grains AS t (basis, grain, day, agency, institution, bucket, count, seconds)
SELECT * FROM (
  SELECT basis, CASE WHEN month THEN 'y' ELSE 'k' END::"char" AS grain,
    CASE WHEN month THEN date_trunc('year', day)::date ELSE tracker_dekad(day) END AS day,
    agency, institution, bucket, sum(sign * count) AS count, sum(sign * seconds) AS seconds
  FROM (%s) d
  GROUP BY 1, 2, 3, 4, 5, 6
) g
WHERE count <> 0 OR seconds <> 0
ORDER BY basis, grain, day, agency, institution, bucket
ON CONFLICT (basis, grain, day, agency, institution, bucket) DO UPDATE SET
  count = t.count + EXCLUDED.count, seconds = t.seconds + EXCLUDED.seconds
$sql$, src) $fn$;

SELECT tracker_static_rollup_triggers('rollup_answer_hist', 'rollup_answer_hist_grains', 'tracker_hist_grains_sql(%L)');

-- The grains of the rows already there.
DO $$ BEGIN EXECUTE tracker_hist_grains_sql('SELECT 1 AS sign, * FROM rollup_answer_hist'); END $$;

-- The rebuild empties the grains too; the histogram rows it writes fill them through the trigger above.
CREATE OR REPLACE FUNCTION tracker_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE notices, requests IN SHARE MODE;
  TRUNCATE rollup_requests_daily, rollup_requests_court_daily, rollup_answer_hist, rollup_answers_daily,
    rollup_backlog, rollup_listing_notices, rollup_notices_daily, notice_agencies, rollup_notice_agencies,
    rollup_requests_monthly, rollup_requests_court_monthly, rollup_notices_monthly, rollup_notice_agencies_monthly,
    rollup_answer_hist_grains;
  EXECUTE tracker_notice_rollup_sql('SELECT 1 AS sign, * FROM notices', false);
  EXECUTE tracker_request_rollup_sql('SELECT 1 AS sign, * FROM requests');
END $$;
