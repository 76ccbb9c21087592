import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Database } from './database';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
// Any fixed number: it serialises concurrent migrators (several replicas starting at once).
const MIGRATION_LOCK = 7_365_201;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies the plain SQL files of migrations/ in name order, each once, all in one transaction under
 * an advisory lock, so replicas starting together neither race nor leave a half-migrated schema.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const scripts = await Promise.all(
    files.map(async (file) => ({
      version: file.replace(/\.sql$/, ''),
      sql: await readFile(path.join(dir, file), 'utf8'),
    })),
  );
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`create table if not exists schema_migrations (
      version text primary key,
      applied_at timestamptz not null default now()
    )`);
    const done = new Set(
      (await tx.query<{ version: string }>('select version from schema_migrations')).map(
        (row) => row.version,
      ),
    );
    const applied: string[] = [];
    for (const { version, sql } of scripts) {
      if (done.has(version)) continue;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (version) values ($1)', [version]);
      applied.push(version);
    }
    return { applied, alreadyApplied: scripts.length - applied.length };
  });
}

// Migrations are plain statements separated by semicolons at line ends; no procedural bodies.
// (Extended-protocol queries take one statement each, which keeps both drivers on one path.)
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
}
