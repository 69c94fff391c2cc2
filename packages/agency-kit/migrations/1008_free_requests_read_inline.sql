-- Up Migration

-- The lease's read of its institution's free requests is a plain statement again (inbox.ts `freeGroup`), and the
-- function migration 1007 wrapped it in is dropped. The function kept PostgreSQL from reading the open-inbox index
-- as a bitmap, which never marks the dead entries it meets: then every claim and acknowledgement left an entry
-- behind. Since the same migration made those updates HOT (the index's predicate no longer names `status`, and
-- pages keep 30 % free), only an answer leaves a dead entry, and a bitmap scan costs little. The function's price
-- stayed: PL/pgSQL planned its statement again at every call. pg_stat_statements at 350 agency requests/s
-- (2026-12-07, 40 s, the four adapters): the function 1.27–1.59 ms a call, of which the statement inside it took
-- 0.30–0.63; the plain statement 0.16–0.30 ms and 5–66 buffers a call.
DROP FUNCTION inbox_free_requests(text[], int[], bool[], text[]);
