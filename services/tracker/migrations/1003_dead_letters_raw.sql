-- Up Migration

-- Every message on the dead-letter topic is kept as it arrived, decodable or not (issue 9): its place on
-- that topic (which makes recording it idempotent), its raw key, headers and value, and what the tracker
-- could read of it. Reasons the giving-up consumer left in `dlq-*` headers may be missing, so those
-- columns may now be empty.
ALTER TABLE dead_letters
  ALTER COLUMN source_topic DROP NOT NULL,
  ALTER COLUMN consumer_group DROP NOT NULL,
  ADD COLUMN dlq_topic        text,
  ADD COLUMN dlq_partition    integer,
  ADD COLUMN dlq_offset       bigint,
  ADD COLUMN source_partition integer,
  ADD COLUMN source_offset    bigint,
  ADD COLUMN error_code       text,
  ADD COLUMN message_key      bytea,
  -- [{ "name", "value", "encoding": "utf8" | "hex" }], in the order Kafka gave them
  ADD COLUMN headers          jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN value            bytea,
  ADD COLUMN event_id         text,
  -- Why the tracker could not read the value as an event (null when it could).
  ADD COLUMN decode_error     text;
CREATE UNIQUE INDEX dead_letters_position ON dead_letters (dlq_topic, dlq_partition, dlq_offset);
