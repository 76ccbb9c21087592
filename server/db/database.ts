import { AsyncLocalStorage } from 'node:async_hooks';

import { Pool, type PoolClient, types } from 'pg';

import { lockDirectory } from '../lib/directory-lock';

/** The one query surface the repositories use; both Postgres and PGlite implement it. */
export interface Queryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<Row[]>;
}

export interface QueryOptions {
  /**
   * Keep the statement prepared under this name on each Postgres connection: parsed and planned
   * once per connection instead of on each call, for the hottest reads (the deal card). One name,
   * one SQL text. PGlite, in process, runs it as any other query.
   */
  prepare?: string;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Code inside a transaction that queries the database object instead of its transaction needs a
 * second connection. PGlite has one, held by the transaction: such a call would wait forever. On
 * Postgres it escapes the transaction (not atomic, and a full pool deadlocks the same way). Both
 * drivers refuse it at once, so the mistake fails the test that reaches it instead of a demo.
 */
export class SecondConnectionError extends Error {
  constructor() {
    super(
      'A query on the database was made inside one of its transactions; use the transaction (tx) instead',
    );
    this.name = 'SecondConnectionError';
  }
}

const openTransactions = new AsyncLocalStorage<{ db: object; open: boolean }>();

/** Throws when the caller runs inside a transaction of `db` that is still open. */
function refuseInsideTransaction(db: object): void {
  const current = openTransactions.getStore();
  if (current?.open && current.db === db) throw new SecondConnectionError();
}

/** Runs fn as the body of one of `db`'s transactions, so that its calls on `db` itself are refused. */
async function asTransactionBody<T>(db: object, fn: () => Promise<T>): Promise<T> {
  const marker = { db, open: true };
  try {
    return await openTransactions.run(marker, fn);
  } finally {
    // Work started inside and still running after the end (a timer, a late promise) is not in it.
    marker.open = false;
  }
}

// int8 and numeric stay strings (exact); timestamps become Date — the same on both drivers.
types.setTypeParser(types.builtins.INT8, (value) => value);

const SCHEMA_LOCK = 7_365_200;

export async function openPostgres(
  url: string,
  schema?: string,
  onError: (error: Error) => void = () => undefined,
): Promise<Database> {
  const pool = new Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  // An idle connection that the server drops (restart, failover) must not crash the process: the
  // pool replaces it on the next query.
  pool.on('error', onError);
  if (schema) {
    // Serialised: concurrent "create schema if not exists" race on the catalogue.
    await pool.query(
      `begin; select pg_advisory_xact_lock(${SCHEMA_LOCK}); create schema if not exists ${schema}; commit`,
    );
  }
  const run = async <Row>(
    client: Pool | PoolClient,
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ) =>
    (
      await (options?.prepare
        ? client.query({ name: options.prepare, text: sql, values: params as unknown[] })
        : client.query(sql, params as unknown[]))
    ).rows as Row[];
  return {
    kind: 'postgres',
    async query(sql, params, options) {
      refuseInsideTransaction(pool);
      return run(pool, sql, params, options);
    },
    async transaction(fn) {
      refuseInsideTransaction(pool);
      const client = await pool.connect();
      // A connection the server drops while the transaction waits between statements (a
      // terminated backend, a failover) says so on the client, not on a query: without a listener
      // that would end the process. The transaction's next statement fails, and it rolls back.
      let lost: Error | undefined;
      const onLost = (error: Error) => ((lost = error), onError(error));
      client.on('error', onLost);
      try {
        await client.query('begin');
        const result = await asTransactionBody(pool, () =>
          fn({ query: (sql, params, options) => run(client, sql, params, options) }),
        );
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onLost);
        // A broken connection is closed, not given back to the pool for the next caller.
        client.release(lost);
      }
    },
    async exec(sql) {
      refuseInsideTransaction(pool);
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

export async function openPglite(dataDir: string): Promise<Database> {
  const unlock = await lockDirectory(dataDir, 'The embedded database');
  try {
    const { PGlite, types: pgliteTypes } = await import('@electric-sql/pglite');
    const db = await PGlite.create(dataDir, {
      parsers: {
        [pgliteTypes.INT8]: (value: string) => value,
        [pgliteTypes.NUMERIC]: (value: string) => value,
      },
    });
    return {
      kind: 'pglite',
      async query(sql, params) {
        refuseInsideTransaction(db);
        return (await db.query(sql, params as unknown[])).rows as never[];
      },
      async transaction(fn) {
        refuseInsideTransaction(db);
        return db.transaction((tx) =>
          asTransactionBody(db, () =>
            fn({
              query: async (sql, params) =>
                (await tx.query(sql, params as unknown[])).rows as never[],
            }),
          ),
        );
      },
      async exec(sql) {
        refuseInsideTransaction(db);
        await db.exec(sql);
      },
      async close() {
        await db.close();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}
