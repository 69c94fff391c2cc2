-- Up Migration

-- Issue 13: what the rollup triggers of 1013 and 1014 cost the projection. Each trigger ran its statement as
-- dynamic SQL (EXECUTE of the template's text), so PostgreSQL parsed, analysed and planned it at every firing:
-- ~4–5 ms for the requests' seven-part statement on the 2-core machine (EXPLAIN: planning alone 1.7–2.4 ms), plus
-- the monthly twins' statements, paid by every projection statement that writes requests or notices. The projection
-- applied 2,346 events/s with the triggers and 7,346 without (bench --data 2000000, 2026-12-03).
--
-- The same statements, generated once here from the same templates (tracker_request_rollup_sql,
-- tracker_notice_rollup_sql, tracker_month_rollup_sql), become the static bodies of one trigger function per table
-- and operation (named as its trigger); PL/pgSQL prepares a static statement once per session and keeps its plan.
-- The rebuild still runs the templates dynamically (once, over whole tables). Trigger names do not change.

-- For table `tbl`: one AFTER … FOR EACH STATEMENT trigger per operation, `<name>_insert`, `_update`, `_delete`, each
-- running a function of the same name whose body is the statement `make` builds: an SQL expression, a format()
-- pattern whose one %L is the operation's rows (columns sign, then the table's, from the transition tables).
CREATE FUNCTION tracker_static_rollup_triggers(tbl text, name text, make text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ops text[][] := ARRAY[
    ARRAY['insert', 'INSERT', 'NEW TABLE AS new_rows', 'SELECT 1 AS sign, * FROM new_rows'],
    ARRAY['update', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
          'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows'],
    ARRAY['delete', 'DELETE', 'OLD TABLE AS old_rows', 'SELECT -1 AS sign, * FROM old_rows']];
  op text[];
  body text;
BEGIN
  FOREACH op SLICE 1 IN ARRAY ops LOOP
    EXECUTE format('SELECT ' || make, op[4]) INTO body;
    -- `written`: a statement that ends in a SELECT (how many rows it wrote) needs a target in PL/pgSQL.
    EXECUTE format('CREATE OR REPLACE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS %L', name || '_' || op[1],
      format(E'DECLARE\n  written bigint;\nBEGIN\n%s;\nRETURN NULL;\nEND', body));
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', name || '_' || op[1], tbl);
    EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %I()',
      name || '_' || op[1], op[2], tbl, op[3], name || '_' || op[1]);
  END LOOP;
END $$;

SELECT tracker_static_rollup_triggers('requests', 'requests_rollup', 'tracker_request_rollup_sql(%L) || '' INTO written''');
SELECT tracker_static_rollup_triggers('notices', 'notices_rollup',
  'tracker_notice_rollup_sql(%L, true) || '' INTO written''');

-- The monthly twins: every trigger of 1014 on a day rollup, its arguments (monthly table, keys, summed columns) read
-- back from the catalogue.
DO $$
DECLARE
  twin record;
  a text[];
BEGIN
  FOR twin IN
    SELECT c.relname AS tbl, t.tgargs FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE p.proname = 'tracker_month_rollup' AND c.relnamespace = current_schema()::regnamespace
      AND t.tgname = c.relname || '_month_insert'
    ORDER BY 1
  LOOP
    a := array_remove(string_to_array(encode(twin.tgargs, 'escape'), '\000'), '');
    PERFORM tracker_static_rollup_triggers(twin.tbl, twin.tbl || '_month',
      format('tracker_month_rollup_sql(%%L, %L, %L, %L)', a[1], a[2], a[3]));
  END LOOP;
END $$;

-- The dynamic trigger functions have no trigger left.
DROP FUNCTION tracker_requests_rollup();
DROP FUNCTION tracker_notices_rollup();
DROP FUNCTION tracker_month_rollup();
