// Runs the migrations twice on a PGlite folder and prints what happened, as JSON: PGlite loads its
// WASM through dynamic import(), which jest's module VM cannot host, so the test runs this in a child.
import { openPglite } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';

async function run(dir: string) {
  const db = await openPglite(dir);
  try {
    const first = await migrate(db);
    const second = await migrate(db);
    const tables = await db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public'",
    );
    process.stdout.write(
      JSON.stringify({ first, second, tables: tables.map((t) => t.table_name).sort() }),
    );
  } finally {
    await db.close();
  }
}

void run(process.argv[2]!);
