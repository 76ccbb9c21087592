import { Pool, type PoolClient, types } from 'pg';

import { lockDirectory } from '../lib/directory-lock';

/** The one query surface the repositories use; both Postgres and PGlite implement it. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
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
  const run = async <Row>(client: Pool | PoolClient, sql: string, params?: readonly unknown[]) =>
    (await client.query(sql, params as unknown[])).rows as Row[];
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
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
      query: async (sql, params) => (await db.query(sql, params as unknown[])).rows as never[],
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            query: async (sql, params) =>
              (await tx.query(sql, params as unknown[])).rows as never[],
          }),
        ),
      async exec(sql) {
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
