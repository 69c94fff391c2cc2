-- Up Migration

-- Issue 13: what a lease's read of its institution's free requests cost under load. Sampled at 500 agency
-- requests/s (2026-12-07), the bank adapter's read took 4.8–5.3 ms a statement and 3,000 buffers: PostgreSQL read
-- the open-inbox index as a bitmap (the statistics promise one or two open rows an institution) and then visited
-- the heap for every entry, 427–769 of them for one institution with 5–7 requests really open. Every claim and
-- answer leaves an entry behind (they change `status`, which the index's predicate names, so none is HOT), and a
-- bitmap scan never marks an entry dead, so each lease walked all of them again until the next vacuum.
--
-- An index scan marks the dead entries it meets (kill_prior_tuple), so later leases skip them without visiting the
-- heap, and in the order the lease reads (received_at, id) it stops at the limit with no sort. The index now has
-- that order, and the read runs inside a function that plans without bitmap scans (a SET clause holds for the
-- function's own statements only; PL/pgSQL keeps the plan per session). Same run, same rate: 0.57 ms and 130
-- buffers a statement.
--
-- The index's predicate no longer names `status`: an open request is one not answered and not a reuse record
-- (answered_at is set by the answer alone, reused_from at insert alone; the statuses pending, delivered and
-- acknowledged are exactly those). A claim or an acknowledgement then changes no indexed column, and with room left
-- on the page (fillfactor 70: a row is about 1 KB) PostgreSQL updates the row in place (HOT): no new entry in any
-- of the table's indexes, nothing left behind for the next lease to walk. Only the answer still writes a new
-- version with index entries, and leaves one dead entry here instead of two.
ALTER TABLE requests SET (fillfactor = 70);
CREATE INDEX requests_open_inbox_ordered ON requests (institution, received_at, id)
  WHERE answered_at IS NULL AND reused_from IS NULL;
DROP INDEX requests_open_inbox;

-- The free requests of several leases at once (one row per request found, by `ask`: the position of its lease in
-- the arrays), oldest first and at most `lim` each; for a lease that finds nothing and asks for it, one row with
-- no request and the milliseconds until its institution's earliest live lease ends (null: none leased).
CREATE FUNCTION inbox_free_requests(institutions text[], limits int[], with_expiry bool[], open_statuses text[])
  RETURNS TABLE (ask int, id uuid, notice_id uuid, measure text, first boolean, expiry_ms float8)
  LANGUAGE plpgsql STABLE SET enable_bitmapscan = off AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    WITH asks AS (
      SELECT * FROM unnest(institutions, limits, with_expiry) WITH ORDINALITY AS a(institution, lim, expiry, ask)),
    free AS (
      SELECT a.ask, f.* FROM asks a CROSS JOIN LATERAL (
        SELECT r.id, r.notice_id, r.measure, r.delivered_at IS NULL AS first FROM requests r
        WHERE r.institution = a.institution AND r.answered_at IS NULL AND r.reused_from IS NULL
          AND r.status = ANY(open_statuses)
          AND (r.lease_until IS NULL OR r.lease_until < now()) AND r.sealed_notice IS NOT NULL
        ORDER BY r.received_at, r.id LIMIT a.lim) f)
    SELECT f.ask::int, f.id, f.notice_id, f.measure, f.first, NULL::float8 FROM free f
    UNION ALL
    SELECT a.ask::int, NULL::uuid, NULL::uuid, NULL::text, NULL::boolean,
      (SELECT (extract(epoch FROM min(r.lease_until) - now()) * 1000)::float8 FROM requests r
       WHERE r.institution = a.institution AND r.answered_at IS NULL AND r.reused_from IS NULL
         AND r.status = ANY(open_statuses) AND r.lease_until >= now() AND r.sealed_notice IS NOT NULL)
    FROM asks a WHERE a.expiry AND NOT EXISTS (SELECT 1 FROM free f WHERE f.ask = a.ask);
END $$;
