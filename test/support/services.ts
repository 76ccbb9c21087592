import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import pino from 'pino';

import { type Database, openPglite, openPostgres } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';

export const silentLogger = pino({ level: 'silent' });

const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

export interface TestDatabase {
  db: Database;
  schema: string;
  drop(): Promise<void>;
}

/** Both databases PartnerLens runs on: Postgres in production, PGlite on `npm start`'s defaults. */
export const DATABASE_KINDS = ['postgres', 'pglite'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/**
 * The real Postgres, in a schema of its own that is dropped afterwards; or (kind 'pglite') the
 * embedded database in a folder of its own, as `npm start` opens it.
 */
export async function createTestDatabase(
  options: { migrate?: boolean; kind?: DatabaseKind } = {},
): Promise<TestDatabase> {
  if (options.kind === 'pglite') return createPgliteDatabase(options.migrate !== false);
  const url = process.env.TEST_DATABASE_URL!;
  const schema = uniqueName('t');
  const db = await openPostgres(url, schema);
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    schema,
    async drop() {
      await db.query(`drop schema if exists ${schema} cascade`);
      await db.close();
    },
  };
}

async function createPgliteDatabase(migrated: boolean): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'partnerlens-pglite-'));
  const db = await openPglite(dir);
  if (migrated) await migrate(db);
  return {
    db,
    schema: 'public',
    async drop() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Redis from global setup, with a key prefix of this test file's own. */
export const testQueueSettings = () => ({
  redisUrl: process.env.TEST_REDIS_URL!,
  prefix: uniqueName('plq'),
});

/** Every migration's version, as migrate() reports them. */
export const ALL_MIGRATIONS = readdirSync(path.join(__dirname, '../../server/db/migrations'))
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.replace(/\.sql$/, ''))
  .sort();
