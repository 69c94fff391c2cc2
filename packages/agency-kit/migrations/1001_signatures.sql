-- Up Migration

-- Evidence kept with every request (法释〔2013〕20号: signed electronic notices and answers stay
-- verifiable): the court's seal over the notice as delivered, and the agency's signature over its answer.
ALTER TABLE requests
  ADD COLUMN sealed_notice    bytea,
  ADD COLUMN seal             jsonb,
  ADD COLUMN answer_signature jsonb;
