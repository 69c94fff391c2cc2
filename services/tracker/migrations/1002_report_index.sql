-- Up Migration

-- The agency report (通报) and yearly statistics select requests by the time they were dispatched.
CREATE INDEX requests_dispatched_at ON requests (dispatched_at);
