-- Up Migration

-- Hold-change reports the agencies sent (HoldChangeReported, agency-kit), each kept once by its event id
-- with what it did: `applied` (its row in hold_history has this event id as request_id) or the reason it
-- changed nothing (NO_SUCH_HOLD, HOLD_ENDED, MOVE_NOT_ALLOWED, QUEUE_ORDER, …): a report the hub could not
-- take is evidence too, never silently dropped.
CREATE TABLE hold_reports (
  event_id    uuid PRIMARY KEY,
  report_id   text        NOT NULL,
  agency      text        NOT NULL,
  institution text        NOT NULL,
  request_id  uuid        NOT NULL,
  change      text        NOT NULL,
  hold_id     uuid REFERENCES holds (id),
  outcome     text        NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX hold_reports_hold ON hold_reports (hold_id);
