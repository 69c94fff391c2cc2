-- Up Migration

-- The interception projection's anti-entropy (projection.ts) reads, every pass, the subjects with live
-- entries in hash order and the subjects changed recently: both from an index, not a scan of every entry.
CREATE INDEX entries_live_subject ON entries (subject_hash) WHERE state = 'live';
CREATE INDEX subjects_updated ON subjects (updated_at);
