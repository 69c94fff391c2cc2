import pg from 'pg';
import { withArrayLiterals } from './array-literal.js';

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
  pool.on('connect', preparing);
  owners.set(pool, { pool, schema });
  return pool;
}

/** Distinct statement texts a connection keeps prepared; those after run unnamed, as before. */
const PREPARED_PER_CONNECTION = 256;

/**
 * A connection of the pool runs each statement with parameters as a named prepared statement (one per distinct
 * text, up to PREPARED_PER_CONNECTION): PostgreSQL parses and analyses it once per session instead of at every
 * call, and may keep a generic plan. Unnamed, every call was parsed and planned again: measured with
 * pg_stat_statements at 300 agency requests/s (2026-12-03), planning alone was a fifth of PostgreSQL's statement
 * time (0.23–0.38 ms a call for the inbox's lease, claim, acknowledgement and answer), and PostgreSQL the
 * machine's largest user of CPU. Our texts are fixed per call site (values travel as parameters, arrays
 * included), so the number of distinct texts is small. Statements without parameters (simple queries: BEGIN,
 * several statements in one text) and those a caller names itself are left as they are.
 */
function preparing(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  let made = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  // A table's columns changed under a statement prepared with `*` or RETURNING * (a migration while this
  // connection runs): PostgreSQL refuses the prepared statement from then on. It is prepared again under a new
  // name at its next call, and this failure is marked retriable (isRetryable in @hub/messaging).
  const replanned = (text: string, err: unknown) => {
    const e = err as { code?: string; message?: string; retriable?: boolean } | null;
    if (e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '')) {
      names.delete(text);
      e.retriable = true;
    }
    return err;
  };
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config === 'string' && Array.isArray(values)) {
      values = withArrayLiterals(values); // array parameters written faster than pg writes them
      let name = names.get(config);
      if (name === undefined && names.size < PREPARED_PER_CONNECTION) {
        name = `hub_${made++}`;
        names.set(config, name);
      }
      if (name !== undefined) {
        if (typeof callback === 'function') {
          return query({ name, text: config, values }, (err: unknown, res: unknown) =>
            callback(err ? replanned(config, err) : err, res),
          );
        }
        return (query({ name, text: config, values }) as Promise<unknown>).catch((err: unknown) => {
          throw replanned(config, err);
        });
      }
    }
    return query(config, values, callback);
  }) as typeof client.query;
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
