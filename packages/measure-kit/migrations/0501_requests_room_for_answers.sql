-- Up Migration

-- Room on every page of `requests` for the answer to be written in place (issue 13). A request is inserted when
-- its notice is planned and updated once, when its answer or failure is folded (status, outcome, result,
-- answered_at, updated_at: no indexed column). With full pages (fillfactor 100) that update could almost never
-- be HOT: in a run at 350 agency requests/s 2,296 of the query service's 34,023 updates were, and every other
-- one wrote a new entry in both indexes and left the old ones dead until a vacuum, for the next answer's lock
-- (`lockRequests`, by primary key) to walk. A row measured 109 bytes before its answer and 143 after (the mock
-- agencies' short results); 30 % of a page leaves each row of it room to grow by about 50 bytes. Pages written
-- before this keep no room; new ones do.
ALTER TABLE requests SET (fillfactor = 70);

