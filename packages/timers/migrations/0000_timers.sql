-- Up Migration

-- Durable timers (DESIGN §5: timers that matter are rows, not setTimeouts), in the using service's own schema.
-- One row per (kind, subject): scheduling again moves it, cancelling deletes it, firing deletes it in the same
-- transaction as its effects. `due_at` is hub time (the injected clock, scaled in demos and tests);
-- `not_before` is real time (the database's clock): the lease of a claimed call, or a retry's backoff, which
-- wait for a real endpoint or a real process whatever the hub's time scale.
CREATE TABLE timers (
  kind         text        NOT NULL,
  subject_id   text        NOT NULL,
  due_at       timestamptz NOT NULL,
  payload      jsonb       NOT NULL DEFAULT '{}',
  attempts     integer     NOT NULL DEFAULT 0,
  not_before   timestamptz NOT NULL DEFAULT '-infinity',
  -- Set while a call is in flight outside any transaction; the result is recorded only under this token.
  claim_token  uuid,
  last_error   text,
  -- After the last attempt failed: kept for ops to see, never fired again unless rescheduled.
  given_up_at  timestamptz,
  scheduled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, subject_id)
);
CREATE INDEX timers_due ON timers (due_at) WHERE given_up_at IS NULL;
