-- Up Migration

-- Issue 13 item 5: month grains for the day rollups of 1013. A year's statistics summed every day row of the year
-- (requests: ~75,000 rows a year once each institution and measure has a row a day; notices per court: more as the
-- data grows). Each day rollup gets a monthly twin (`day` = the month's first day) kept from the day rollup's own
-- changes: a statement-level trigger on the day table adds what each statement changed there to its month, in the
-- same transaction (the day rollups are themselves written by the projection's triggers). A period reads its whole
-- months from the twin and the days left over from the day table (reports/rollups.ts rollupRangeSql); a year is
-- twelve months.

CREATE TABLE rollup_requests_monthly (LIKE rollup_requests_daily INCLUDING ALL);
CREATE TABLE rollup_requests_court_monthly (LIKE rollup_requests_court_daily INCLUDING ALL);
CREATE TABLE rollup_notices_monthly (LIKE rollup_notices_daily INCLUDING ALL);
CREATE TABLE rollup_notice_agencies_monthly (LIKE rollup_notice_agencies INCLUDING ALL);
ALTER TABLE rollup_requests_monthly ADD CHECK (extract(day FROM day) = 1);
ALTER TABLE rollup_requests_court_monthly ADD CHECK (extract(day FROM day) = 1);
ALTER TABLE rollup_notices_monthly ADD CHECK (extract(day FROM day) = 1);
ALTER TABLE rollup_notice_agencies_monthly ADD CHECK (extract(day FROM day) = 1);

-- The statement that adds day rows (`src`: columns sign, then the day table's) to `target`, per month and key
-- (`keys`, comma-separated), summing `vals`. Sorted by key: concurrent transactions lock month rows in one order.
CREATE FUNCTION tracker_month_rollup_sql(src text, target text, keys text, vals text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format(
    'INSERT INTO %I AS t (day, %s, %s)
     SELECT * FROM (SELECT date_trunc(''month'', day)::date AS day, %s, %s FROM (%s) d GROUP BY 1, %s) g
     WHERE %s
     ORDER BY day, %s
     ON CONFLICT (day, %s) DO UPDATE SET %s',
    target, k.list, v.list,
    k.list, v.sums, src, k.list,
    v.nonzero,
    k.list,
    k.list, v.sets)
  FROM (SELECT string_agg(quote_ident(c), ', ' ORDER BY o) AS list
        FROM unnest(string_to_array(keys, ',')) WITH ORDINALITY AS x(c, o)) k,
       (SELECT string_agg(quote_ident(c), ', ' ORDER BY o) AS list,
               string_agg(format('sum(sign * %1$I) AS %1$I', c), ', ' ORDER BY o) AS sums,
               string_agg(format('%I <> 0', c), ' OR ' ORDER BY o) AS nonzero,
               string_agg(format('%1$I = t.%1$I + EXCLUDED.%1$I', c), ', ' ORDER BY o) AS sets
        FROM unnest(string_to_array(vals, ',')) WITH ORDINALITY AS x(c, o)) v
$fn$;

-- TG_ARGV: the monthly table, its keys besides the month, its summed columns.
CREATE FUNCTION tracker_month_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE tracker_month_rollup_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'UPDATE' THEN 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows'
    ELSE 'SELECT -1 AS sign, * FROM old_rows' END, TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]);
  RETURN NULL;
END $$;

DO $$
DECLARE
  request_vals text := 'received,ack_on_time,answered,answered_on_time,answered_late,answer_seconds,refused,'
    'cannot_assist,done,partial,failed,open,breached,money_fen,money_unreadable';
  twins text[][] := ARRAY[
    ARRAY['rollup_requests_daily', 'rollup_requests_monthly', 'agency,institution,measure', request_vals],
    ARRAY['rollup_requests_court_daily', 'rollup_requests_court_monthly', 'court_code,agency,measure', request_vals],
    ARRAY['rollup_notices_daily', 'rollup_notices_monthly', 'court_code,measure', 'notices'],
    ARRAY['rollup_notice_agencies', 'rollup_notice_agencies_monthly', 'court_code,agency', 'notices']];
  t text[];
BEGIN
  FOREACH t SLICE 1 IN ARRAY twins LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tracker_month_rollup(%L, %L, %L)', t[1] || '_month_insert', t[1], t[2], t[3], t[4]);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tracker_month_rollup(%L, %L, %L)', t[1] || '_month_update', t[1], t[2], t[3], t[4]);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tracker_month_rollup(%L, %L, %L)', t[1] || '_month_delete', t[1], t[2], t[3], t[4]);
    -- The months of the rows already there.
    EXECUTE tracker_month_rollup_sql(format('SELECT 1 AS sign, * FROM %I', t[1]), t[2], t[3], t[4]);
  END LOOP;
END $$;

-- The rebuild empties the monthly twins too; the day rows it writes fill them through the triggers above.
CREATE OR REPLACE FUNCTION tracker_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE notices, requests IN SHARE MODE;
  TRUNCATE rollup_requests_daily, rollup_requests_court_daily, rollup_answer_hist, rollup_answers_daily,
    rollup_backlog, rollup_listing_notices, rollup_notices_daily, notice_agencies, rollup_notice_agencies,
    rollup_requests_monthly, rollup_requests_court_monthly, rollup_notices_monthly, rollup_notice_agencies_monthly;
  EXECUTE tracker_notice_rollup_sql('SELECT 1 AS sign, * FROM notices', false);
  EXECUTE tracker_request_rollup_sql('SELECT 1 AS sign, * FROM requests');
END $$;
