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

/** Applies the plain SQL files of migrations/ in name order, each once, each in its own transaction. */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  await db.exec(`create table if not exists schema_migrations (
    version text primary key,
    applied_at timestamptz not null default now()
  )`);
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const file of files) {
    const version = file.replace(/\.sql$/, '');
    const sql = await readFile(path.join(dir, file), 'utf8');
    const didApply = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await tx.query('select 1 from schema_migrations where version = $1', [version]);
      if (done.length > 0) return false;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (version) values ($1)', [version]);
      return true;
    });
    if (didApply) applied.push(version);
  }
  return { applied, alreadyApplied: files.length - applied.length };
}

// Migrations are plain statements separated by semicolons at line ends; no procedural bodies.
// (Extended-protocol queries take one statement each, which keeps both drivers on one path.)
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
}
