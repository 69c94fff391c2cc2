-- Up Migration

-- A lease call may carry an Idempotency-Key: the requests it leased remember it, and the same call repeated (its
-- answer lost to a dropped connection or an adapter's restart) gets them back at once instead of waiting out the
-- lease (docs/agency-inbox.md). Not indexed: it is read only among an institution's open requests, by the open
-- inbox index, and a claim that sets it stays a HOT update.
ALTER TABLE requests ADD COLUMN lease_key text;

-- Down Migration

ALTER TABLE requests DROP COLUMN lease_key;
