-- Up Migration

-- How many requests the measure service counted when it completed a notice (NoticeCompleted.requests). A notice's
-- view reads as completed only once the read model holds that many answered requests: its completion may be applied
-- before the requests it counts (they travel on other topics, and a fetch under a backlog returns at most a
-- megabyte of each partition), and no court should see a notice completed with requests missing or still open.
-- Null for notices completed before this column, read as complete as they are.
ALTER TABLE notices ADD COLUMN requests_expected integer;

-- Down Migration

ALTER TABLE notices DROP COLUMN requests_expected;
