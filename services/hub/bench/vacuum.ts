/**
 * The bench's stand-in for autovacuum, on a PostgreSQL that has it off (this CI machine's conf.d/90-ci.conf sets
 * `autovacuum = off`; every deployment has it on, PostgreSQL's default). Without it the hub's queue-like tables keep
 * every dead row version: on 2026-12-03 at 300 agency requests/s a bank adapter's open-inbox index held 779 entries
 * for one institution's 2 open requests after a minute, its lease read 348 heap pages per call (0.5 ms) instead of
 * a few, and nothing was ever ANALYZEd, so the planner estimated from empty tables. Every `everyMs` it runs
 * `VACUUM (ANALYZE)` on the tables of the run's schemas that changed enough since, as autovacuum would with its
 * defaults: thresholds 50 rows + 20 % for vacuum, 50 + 10 % for analyze; a round a minute (autovacuum_naptime, one
 * database); throttled by its cost delay (2 ms after each 200 units of work: autovacuum_vacuum_cost_delay and
 * vacuum_cost_limit), in a connection of its own. PostgreSQL's CPU for it counts in the run like any other. Off when
 * the server's own autovacuum runs.
 *
 * It ran every 10 s unthrottled until 2026-12-07: each VACUUM of a table with dead rows scans every index of it
 * whole, so six rounds a minute did up to six times the index scanning of autovacuum's one, in bursts: 8–19 % of a
 * core through the hold at 350 agency requests/s, competing with the hub as no real deployment's autovacuum would.
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
  everyMs = 60_000,
): Promise<VacuumStandIn> {
  const client = await connectClient({ url: databaseUrl, schema: 'public', applicationName: 'bench-vacuum' });
  const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
  if (rows[0]?.autovacuum === 'on') {
    await client.end();
    return { running: false, vacuumed: () => 0, stop: async () => undefined };
  }
  // Autovacuum's throttle (its defaults), which a VACUUM command does not have unless asked.
  await client.query(`SET vacuum_cost_delay = '2ms'; SET vacuum_cost_limit = 200`);
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
