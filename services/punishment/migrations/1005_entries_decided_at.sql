-- Up Migration

-- When the court decided the listing or restriction an entry carries out (its notice's issuedAt, never later than
-- when the entry was placed): a listing's term runs from it, and no withdrawal may be decided before it. Null for
-- entries placed before this column existed.
ALTER TABLE entries ADD COLUMN decided_at timestamptz;

-- Down Migration

ALTER TABLE entries DROP COLUMN decided_at;
