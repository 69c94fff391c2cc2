-- Up Migration

-- Transactional outbox: a state change and the events announcing it commit together; the relay
-- publishes them in batches and deletes what Kafka acknowledged.
CREATE TABLE outbox (
  id         bigserial PRIMARY KEY,
  topic      text        NOT NULL,
  key        text        NOT NULL,
  event_id   uuid        NOT NULL,
  event_type text        NOT NULL,
  payload    bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One NOTIFY per inserting statement wakes the relay at commit; it also polls as a fallback.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_outbox', TG_TABLE_SCHEMA);
  RETURN NULL;
END $$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Idempotent consumers: an event's effect and its processed record commit together, so a redelivered
-- event is recognised and skipped.
CREATE TABLE processed_events (
  event_id     uuid        PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
