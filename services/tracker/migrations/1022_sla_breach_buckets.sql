-- Up Migration

-- Answer deadlines are armed as one timer per second of deadlines ('s:<epoch second>', due at the earliest of
-- them) instead of one per request, and an answer no longer deletes anything (sla/sla-timers.ts): under load
-- the per-request timers were two rows inserted and deleted for every request. A firing timer finds the requests
-- to stamp through this index of the open, unbreached ones (status_rank < 3 is request-status.ts openSql).
CREATE INDEX requests_breach_pending ON requests (due_at) WHERE breached_at IS NULL AND status_rank < 3;

-- Re-arm what was armed per request: a bucket for each second of pending deadlines.
DELETE FROM timers WHERE kind = 'sla.breach';
INSERT INTO timers (kind, subject_id, due_at)
SELECT 'sla.breach', 's:' || floor(extract(epoch FROM due_at))::bigint, min(due_at)
FROM requests WHERE breached_at IS NULL AND status_rank < 3 AND due_at IS NOT NULL
GROUP BY 2;

-- An escalation is armed when its request breaches: keep only those of breached requests.
DELETE FROM timers t WHERE t.kind = 'sla.escalation'
  AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.id::text = t.subject_id AND r.breached_at IS NOT NULL);

-- Down Migration

DELETE FROM timers WHERE kind = 'sla.breach';
INSERT INTO timers (kind, subject_id, due_at)
SELECT 'sla.breach', id::text, due_at FROM requests
WHERE breached_at IS NULL AND status_rank < 3 AND due_at IS NOT NULL;
INSERT INTO timers (kind, subject_id, due_at)
SELECT 'sla.escalation', id::text, escalate_at FROM requests
WHERE escalated_at IS NULL AND status_rank < 3 AND escalate_at IS NOT NULL
ON CONFLICT DO NOTHING;
DROP INDEX requests_breach_pending;
