-- Up Migration

-- Issue 13: every column an agency is shown is decoded from the sealed notice (sealed_notice, 1001), so the
-- JSON copies of the notice's court and debtor and its legal basis were written with every request and never
-- read: 233 of a request row's 1,224 bytes on average (pg_column_size, 2026-12-07), rewritten whole at every
-- claim and answer (those updates are not HOT). `params` stays: hold reports read a hold's asset from it.
-- The debtor's name and ID number now live only inside the sealed bytes, not in clear JSON beside them.
ALTER TABLE requests DROP COLUMN court, DROP COLUMN debtor, DROP COLUMN legal_basis;
