-- Up Migration

-- Issue 13: what the rollup triggers of 1013 and 1014 cost the projection. Each trigger ran its statement as
-- dynamic SQL (EXECUTE of the template's text), so PostgreSQL parsed, analysed and planned it at every firing:
-- ~4–5 ms for the requests' seven-part statement on the 2-core machine (EXPLAIN: planning alone 1.7–2.4 ms), plus
-- the monthly twins' statements, paid by every projection statement that writes requests or notices. The projection
-- applied 2,346 events/s with the triggers and 7,346 without (bench --data 2000000, 2026-12-03).
--
-- The same statements, generated once here from the same templates (tracker_request_rollup_sql,
-- tracker_notice_rollup_sql, tracker_month_rollup_sql), become the static bodies of one trigger function per table
-- and operation; PL/pgSQL prepares a static statement once per session and keeps its plan. The rebuild still runs
-- the templates dynamically (once, over whole tables). Trigger names do not change.

DO $$
DECLARE
  ops text[][] := ARRAY[
    ARRAY['insert', 'INSERT', 'NEW TABLE AS new_rows', 'SELECT 1 AS sign, * FROM new_rows'],
    ARRAY['update', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
          'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows'],
    ARRAY['delete', 'DELETE', 'OLD TABLE AS old_rows', 'SELECT -1 AS sign, * FROM old_rows']];
  request_vals text := 'received,ack_on_time,answered,answered_on_time,answered_late,answer_seconds,refused,'
    'cannot_assist,done,partial,failed,open,breached,money_fen,money_unreadable';
  twins text[][] := ARRAY[
    ARRAY['rollup_requests_daily', 'rollup_requests_monthly', 'agency,institution,measure', request_vals],
    ARRAY['rollup_requests_court_daily', 'rollup_requests_court_monthly', 'court_code,agency,measure', request_vals],
    ARRAY['rollup_notices_daily', 'rollup_notices_monthly', 'court_code,measure', 'notices'],
    ARRAY['rollup_notice_agencies', 'rollup_notice_agencies_monthly', 'court_code,agency', 'notices']];
  op text[];
  t text[];
  -- (table, trigger, function, body) of every rollup trigger.
  triggers text[][] := ARRAY[]::text[][];
  tr text[];
BEGIN
  FOREACH op SLICE 1 IN ARRAY ops LOOP
    -- The request and notice statements end in a SELECT of how many rows they wrote: PL/pgSQL wants a target.
    triggers := triggers || ARRAY[
      ARRAY['requests', 'requests_rollup_' || op[1], 'tracker_requests_rollup_' || op[1], op[2], op[3],
            tracker_request_rollup_sql(op[4]) || ' INTO written'],
      ARRAY['notices', 'notices_rollup_' || op[1], 'tracker_notices_rollup_' || op[1], op[2], op[3],
            tracker_notice_rollup_sql(op[4], true) || ' INTO written']];
    FOREACH t SLICE 1 IN ARRAY twins LOOP
      triggers := triggers || ARRAY[ARRAY[t[1], t[1] || '_month_' || op[1], t[1] || '_month_' || op[1], op[2], op[3],
        tracker_month_rollup_sql(op[4], t[2], t[3], t[4])]];
    END LOOP;
  END LOOP;
  FOREACH tr SLICE 1 IN ARRAY triggers LOOP
    EXECUTE format('CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS %L', tr[3],
      format(E'DECLARE\n  written bigint;\nBEGIN\n%s;\nRETURN NULL;\nEND', tr[6]));
    EXECUTE format('DROP TRIGGER %I ON %I', tr[2], tr[1]);
    EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %I()',
      tr[2], tr[4], tr[1], tr[5], tr[3]);
  END LOOP;
END $$;

-- The dynamic trigger functions have no trigger left.
DROP FUNCTION tracker_requests_rollup();
DROP FUNCTION tracker_notices_rollup();
DROP FUNCTION tracker_month_rollup();
