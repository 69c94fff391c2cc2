/**
 * Waking the outbox relay after a commit, from the process that committed (issue 13: throughput).
 *
 * The relay used to be woken by a NOTIFY sent from a trigger on the outbox, inside the writing transaction. A
 * transaction that has sent a NOTIFY holds a cluster-wide lock from its pre-commit until its commit is flushed
 * (PostgreSQL serializes notifications in commit order), so every transaction that wrote an outbox row committed
 * one after another through the WAL flush, without group commit: on the 2-core machine, 8 clients inserting a row
 * each made 6,226 commits/s, and 2,712 with a NOTIFY in the same transaction; under load the hub's PostgreSQL
 * sessions waited on that lock (`Lock:object`) about as often as on the WAL itself.
 *
 * Now the writer rings after its commit: the relays of that schema in this process wake at once (a relay runs in
 * every process that writes its outbox). Only when none is here does it send a NOTIFY, outside the transaction,
 * for relays elsewhere. A ring lost to a crash between commit and ring costs the relay's safety round (30 s) of
 * latency, never an event: the relay reads the table.
 */
import { afterCommit, poolOf, type Queryable } from '@hub/store';

const relays = new Map<string, Set<() => void>>();

/** Call `wake` whenever this process commits outbox rows in `schema`; returns the unsubscribe. */
export function onOutboxCommitted(schema: string, wake: () => void): () => void {
  const set = relays.get(schema) ?? new Set<() => void>();
  relays.set(schema, set);
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0 && relays.get(schema) === set) relays.delete(schema);
  };
}

/**
 * `q` has written outbox rows: once they are committed (after the `withTransaction` of `q`, or at once for a
 * statement outside one), wake the relay. `q` must come from a pool of `@hub/store`'s `createPool` (its schema is
 * how the relay is found); otherwise only the relay's safety round finds the rows.
 */
export function outboxWritten(q: Queryable): void {
  const owner = poolOf(q);
  if (!owner) return;
  afterCommit(q, () => {
    const here = relays.get(owner.schema);
    if (here && here.size > 0) {
      for (const wake of here) wake();
      return;
    }
    // No relay of this schema in this process: tell the others, in a transaction of its own that waits for no
    // flush (a wake-up need not be durable), so it holds the notification lock only for an instant.
    void owner.pool
      .query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify('hub_outbox', $1)`, [
        owner.schema,
      ])
      .catch(() => undefined);
  });
}
