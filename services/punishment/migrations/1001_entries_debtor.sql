-- Up Migration

-- The debtor of the notice that placed each entry (its subject hash). Admission judges a notice against the
-- debtor's entries in the case whoever they bind: an organisation's exit restriction binds only the persons it
-- names (民事诉讼法 第二百六十六条), with no entry of the organisation's own to match.
ALTER TABLE entries ADD COLUMN debtor_hash text;
-- Every notice placed before this had an entry of the debtor's own (role debtor, implied by nothing).
UPDATE entries e SET debtor_hash = d.subject_hash
  FROM entries d
 WHERE d.notice_id = e.notice_id AND d.role = 'debtor' AND d.implied_by IS NULL;
UPDATE entries SET debtor_hash = subject_hash WHERE debtor_hash IS NULL;
ALTER TABLE entries ALTER COLUMN debtor_hash SET NOT NULL;
CREATE INDEX entries_case_debtor ON entries (case_no, debtor_hash);
