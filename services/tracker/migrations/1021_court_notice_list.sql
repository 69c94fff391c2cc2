-- Up Migration

-- The court API's list of a court's notices (GET /v1/notices, DESIGN §6), newest first and a page at a time: one
-- court's notices from the index in list order, not every court's from notices_newest filtered by court. A notice
-- the tracker knows only from other events (no NoticeIssued yet) has no court and is not listed until it arrives.
CREATE INDEX notices_court_newest ON notices (court_code, issued_at DESC, id)
  WHERE court_code IS NOT NULL AND issued_at IS NOT NULL;

-- Down Migration

DROP INDEX notices_court_newest;
