-- Up Migration

-- Issue 13: the outbox relay is woken by the writer after its commit (src/doorbell.ts), no longer by a NOTIFY
-- sent inside every writing transaction. A transaction that has sent a NOTIFY holds a cluster-wide lock until its
-- commit is flushed, so all of them committed one after another (2,712 against 6,226 commits/s for 8 clients on
-- the 2-core machine). These migrations run after the service's own, with their own history table
-- (pgmigrations_messaging): the shared 0000_messaging.sql is numbered before every service's migrations, and a
-- later file among those would break their order.
DROP TRIGGER outbox_notify ON outbox;
DROP FUNCTION outbox_notify();
