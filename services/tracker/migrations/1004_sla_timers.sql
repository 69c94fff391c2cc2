-- Up Migration

-- Issue 10: SLA deadlines and alerts are durable timers (@hub/timers, table `timers`, migrated into this schema
-- before these files). The deadlines a request was dispatched with are kept with the policy version they came
-- from (stamped by the measure service, or computed here for older events).
ALTER TABLE requests ADD COLUMN sla_policy_version text;

-- Arm what the old sweep would still have raised, and carry undelivered alerts over.
INSERT INTO timers (kind, subject_id, due_at)
SELECT 'sla.breach', id::text, due_at FROM requests
WHERE status IN ('pending', 'delivered', 'acknowledged') AND breached_at IS NULL AND due_at IS NOT NULL
UNION ALL
SELECT 'sla.escalation', id::text, escalate_at FROM requests
WHERE status IN ('pending', 'delivered', 'acknowledged') AND escalated_at IS NULL AND escalate_at IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO timers (kind, subject_id, due_at, payload, attempts)
SELECT 'sla.alert', kind || ':' || request_id, created_at, payload, attempts FROM alerts
WHERE delivered_at IS NULL AND attempts < 20
ON CONFLICT DO NOTHING;

DROP TABLE alerts;
-- The deadline sweep's indexes; the timers table has its own.
DROP INDEX requests_breach_due;
DROP INDEX requests_escalate_due;
