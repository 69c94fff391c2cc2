import { runner } from 'node-pg-migrate';
import { assertSchemaName } from './pool.js';

export interface MigrateOptions {
  url: string;
  schema: string;
  /** Migration directories in order (shared messaging tables first, then the service's own). */
  dirs: string[];
  /** History table; a package's own migrations (e.g. @hub/timers) keep theirs, numbered independently. */
  table?: string;
  log?: (msg: string) => void;
}

/**
 * Forward-only migrations (node-pg-migrate, plain .sql files with `-- Up Migration` markers) into the
 * service's own schema. Concurrent starts wait on node-pg-migrate's advisory lock instead of failing.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const schema = assertSchemaName(options.schema);
  const ran = await runner({
    databaseUrl: options.url,
    // Several directories need glob mode; names sort across them (0000_ shared, 1000_ service).
    dir: options.dirs.map((d) => `${d}/*.sql`),
    useGlob: true,
    schema,
    createSchema: true,
    migrationsTable: options.table ?? 'pgmigrations',
    direction: 'up',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log: options.log ?? (() => undefined),
  });
  return ran.map((m) => m.name);
}
