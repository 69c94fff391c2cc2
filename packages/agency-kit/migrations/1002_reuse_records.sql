-- Up Migration

-- Reuse records: the hub answered a court's inquiry with this institution's earlier answer to the same
-- court (reused_from, that request's id). The institution is not asked again, but it still learns of the
-- inquiry: the record is kept with status 'reused', never leased or answered, and listed on its own.
ALTER TABLE requests ADD COLUMN reused_from uuid;
CREATE INDEX requests_reuse_records ON requests (institution, received_at, id) WHERE reused_from IS NOT NULL;
