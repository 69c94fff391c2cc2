-- Up Migration

-- Long-poll leases (GET /v1/agency/inbox?wait=N): a request stored for an institution wakes that
-- institution's waiting lease at commit, instead of the partner finding it on its next poll. One NOTIFY per
-- institution per inserting statement (a statement-level trigger over the rows it inserted; rows skipped by
-- ON CONFLICT are not in the transition table), payload '<schema>:<institution>': several adapters and
-- test files share one database and must not wake each other. Reuse records are never leased: no NOTIFY.
CREATE FUNCTION requests_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_inbox', TG_TABLE_SCHEMA || ':' || n.institution)
  FROM (SELECT DISTINCT institution FROM inserted WHERE status = 'pending') n;
  RETURN NULL;
END $$;

CREATE TRIGGER requests_notify AFTER INSERT ON requests
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION requests_notify();
