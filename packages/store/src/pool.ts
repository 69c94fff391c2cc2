import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Client = pg.Client;
export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface PoolOptions {
  url: string;
  /** The service's own schema; every connection's search_path points at it. */
  schema: string;
  max?: number;
  applicationName?: string;
}

const INT8_OID = 20;

/**
 * bigint columns hold money in fen and counters: parse them to numbers, but refuse to round silently
 * (a fen lost to float rounding is a fen lost).
 */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

/** The pool, and its schema, of each pool and of each client in a `withTransaction` (see `poolOf`). */
const owners = new WeakMap<object, { pool: pg.Pool; schema: string }>();

export function createPool(options: PoolOptions): pg.Pool {
  const schema = assertSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? schema,
    options: `-c search_path=${schema}`,
    types,
  });
  owners.set(pool, { pool, schema });
  return pool;
}

/**
 * The pool `q` is (or whose `withTransaction` client it is), and that pool's schema; undefined for a client or
 * pool made otherwise. For signals after a commit, sent through the pool once the client is released.
 */
export function poolOf(q: Queryable): { pool: pg.Pool; schema: string } | undefined {
  return owners.get(q);
}

/**
 * One connection of its own, outside the pool, with the pool's settings: for a session that must outlive any
 * query (LISTEN) and must not hold one of the pool's connections for ever. The caller ends it.
 */
export async function connectClient(options: PoolOptions): Promise<pg.Client> {
  const schema = assertSchemaName(options.schema);
  const client = new pg.Client({
    connectionString: options.url,
    application_name: options.applicationName ?? schema,
    options: `-c search_path=${schema}`,
    types,
    // A stop must not wait on a reconnection to an unreachable server for ever.
    connectionTimeoutMillis: 5_000,
    // A session that only listens sends nothing: TCP keepalive notices a peer that vanished (a dropped NAT
    // entry, a failover) so the session is opened again, rather than waiting silently for notifications.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

/** Callbacks waiting for the commit of the transaction their client is in (see `afterCommit`). */
const commitHooks = new WeakMap<object, (() => void)[]>();

/**
 * Run `fn` once what `tx` has written is committed and visible to others: after the COMMIT of the
 * `withTransaction` that `tx` belongs to (never after a rollback), or at once (in a microtask) when `tx` is not
 * in one, since a statement outside a transaction commits by itself. For signals within the process, such as
 * waking a sweeper for a timer due at once: a wake-up before the commit would find nothing.
 */
export function afterCommit(tx: Queryable, fn: () => void): void {
  const hooks = commitHooks.get(tx);
  if (hooks) hooks.push(fn);
  else queueMicrotask(fn);
}

/** Run `fn` in one transaction: commit on success, roll back on any error and rethrow it. */
export function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return transaction(pool, undefined, (client) => fn(client));
}

/**
 * `withTransaction` whose first statement travels with its BEGIN, in one round trip instead of two: `opening` is
 * sent as a simple query, so it takes no parameters and the caller writes into it only values it has checked
 * (integers, UUIDs matched against their pattern). Its result is handed to `fn`. For the transactions that run
 * for every batch of every consumer, where BEGIN alone was one statement in every six.
 */
export function withTransactionOpening<T, R extends pg.QueryResultRow = pg.QueryResultRow>(
  pool: pg.Pool,
  opening: string,
  fn: (client: pg.PoolClient, opened: pg.QueryResult<R>) => Promise<T>,
): Promise<T> {
  return transaction(pool, opening, (client, opened) => fn(client, opened as pg.QueryResult<R>));
}

async function transaction<T>(
  pool: pg.Pool,
  opening: string | undefined,
  fn: (client: pg.PoolClient, opened: pg.QueryResult | undefined) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const hooks: (() => void)[] = [];
  try {
    const begun = await client.query(opening === undefined ? 'BEGIN' : `BEGIN; ${opening}`);
    commitHooks.set(client, hooks);
    const owner = owners.get(pool);
    if (owner) owners.set(client, owner);
    const result = await fn(
      client,
      opening === undefined ? undefined : (begun as unknown as pg.QueryResult[])[1],
    );
    await client.query('COMMIT');
    commitHooks.delete(client);
    for (const hook of hooks) {
      try {
        hook();
      } catch {
        // A signal, not part of the transaction: it has committed whatever a listener does.
      }
    }
    return result;
  } catch (err) {
    commitHooks.delete(client);
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    owners.delete(client);
    client.release();
  }
}
