import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';

import pino from 'pino';

import { type Database, openPostgres } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';

export const silentLogger = pino({ level: 'silent' });

const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

export interface TestDatabase {
  db: Database;
  schema: string;
  drop(): Promise<void>;
}

/** The real Postgres, in a schema of its own that is dropped afterwards. */
export async function createTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
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
