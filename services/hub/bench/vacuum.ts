/**
 * The bench's stand-in for autovacuum, on a PostgreSQL that has it off (this CI machine's conf.d/90-ci.conf sets
 * `autovacuum = off`; every deployment has it on, PostgreSQL's default). Without it the hub's queue-like tables keep
 * every dead row version: on 2026-12-03 at 300 agency requests/s a bank adapter's open-inbox index held 779 entries
 * for one institution's 2 open requests after a minute, its lease read 348 heap pages per call (0.5 ms) instead of
 * a few, and nothing was ever ANALYZEd, so the planner estimated from empty tables. Every `everyMs` it runs
 * `VACUUM (ANALYZE)` on the tables of the run's schemas that changed enough since, as autovacuum would (its
 * default thresholds: 50 rows + 20 % for vacuum, 50 + 10 % for analyze), in a connection of its own; PostgreSQL's
 * CPU for it counts in the run like any other. Off when the server's own autovacuum runs.
 */
import { connectClient } from '@hub/store';

export interface VacuumStandIn {
  /** Whether it runs (the server's autovacuum is off). */
  running: boolean;
  /** Tables vacuumed so far. */
  vacuumed(): number;
  stop(): Promise<void>;
}

export async function startVacuumStandIn(
  databaseUrl: string,
  namespace: string,
  everyMs = 10_000,
): Promise<VacuumStandIn> {
  const client = await connectClient({ url: databaseUrl, schema: 'public', applicationName: 'bench-vacuum' });
  const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
  if (rows[0]?.autovacuum === 'on') {
    await client.end();
    return { running: false, vacuumed: () => 0, stop: async () => undefined };
  }
  let count = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const due = async () => {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
       WHERE schemaname LIKE $1
         AND (n_dead_tup > 50 + 0.2 * n_live_tup OR n_mod_since_analyze > 50 + 0.1 * n_live_tup)`,
      [`${namespace}\\_%`],
    );
    for (const t of tables) {
      if (stopped) return;
      // VACUUM takes no parameters; the name is the catalogue's own, quoted by format(%I).
      await client.query(`VACUUM (ANALYZE) ${t.name}`).catch(() => undefined); // a schema dropped meanwhile
      count += 1;
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      round = due()
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) schedule();
        });
    }, everyMs);
  };
  schedule();
  return {
    running: true,
    vacuumed: () => count,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
      await client.end();
    },
  };
}
