-- Up Migration

-- When the measure service completed a notice (NoticeCompleted's time), kept apart from the notice's status: the
-- projection marks a notice completed only once the requests its completion counted (requests_expected) are in the
-- read model and answered, so every reader (the notice's view, the console's lists and search) sees the same status.
-- Before this column the status was set from the event alone and only the notice's view held it back (migration
-- 1019), so a list could show completed a notice whose view showed in progress.
ALTER TABLE notices ADD COLUMN completion_seen_at timestamptz;

-- Notices completed by their event with requests still missing or open read as in progress until they are in (a
-- completed notice keeps its status and completed_at, with no completion_seen_at: nothing is pending for it).
UPDATE notices n SET status = 'in-progress', completion_seen_at = n.completed_at, completed_at = NULL
  WHERE n.status = 'completed' AND n.requests_expected IS NOT NULL
    AND (SELECT count(*) FROM requests r WHERE r.notice_id = n.id AND r.status_rank >= 3) < n.requests_expected;

-- Down Migration

UPDATE notices SET status = 'completed', completed_at = completion_seen_at
  WHERE completion_seen_at IS NOT NULL AND status <> 'cancelled';
ALTER TABLE notices DROP COLUMN completion_seen_at;
