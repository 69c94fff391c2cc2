-- Up Migration

-- Punishment notices admitted (CheckPunishments) and not yet taken in by intake. The gateway stores a notice
-- after its admission; intake reads it from Kafka later, and notices of one debtor may come in on different
-- partitions in any order. Until intake has a notice, a second notice of the same measure family for the same
-- debtor in the same case (a removal right behind its listing, a second listing) is refused at admission with
-- PUNISHMENT_PENDING instead of being stored and failing at intake. Keyed by the court's notice number, so a
-- re-sent notice is never pending behind itself; a row intake never claims (its notice was not stored after
-- all) stops counting after a few minutes.
CREATE TABLE pending_admissions (
  court_code   text NOT NULL,
  notice_no    text NOT NULL,
  subject_hash text NOT NULL,
  case_no      text NOT NULL,
  family       text NOT NULL,
  admitted_at  timestamptz NOT NULL,
  PRIMARY KEY (court_code, notice_no)
);

CREATE INDEX pending_admissions_debtor ON pending_admissions (subject_hash, case_no, family);
