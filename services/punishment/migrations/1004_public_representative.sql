-- Up Migration

-- The public list names an organisation's legal representative (法定代表人或者负责人姓名, 法释〔2017〕7号 art. 6):
-- kept on the organisation's own listing entry beside its public name and code. Listings placed before this
-- column have none (shown as not given).
ALTER TABLE entries ADD COLUMN public_representative text;

-- Down Migration

ALTER TABLE entries DROP COLUMN public_representative;
