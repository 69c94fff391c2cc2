-- Up Migration

-- Wake the sweepers when a timer is scheduled or moved (issue 13, an idle hub that is really idle). Row-level,
-- so that a statement touching no row (a claim that found nothing) wakes nobody; PostgreSQL folds identical
-- notifications of one transaction into one, delivered at commit. The payload names the schema, so that
-- services sharing a database wake only their own. A sleeping sweeper keeps the earliest due time it read and asks the database again only when this
-- arrives, when that time comes, or at its refresh interval (the safety net for a lost notification).
CREATE FUNCTION timers_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_timers', TG_TABLE_SCHEMA);
  RETURN NULL;
END $$;

CREATE TRIGGER timers_scheduled AFTER INSERT OR UPDATE OF due_at, not_before, given_up_at ON timers
  FOR EACH ROW EXECUTE FUNCTION timers_notify();
