import { randomUUID } from 'node:crypto';

import type { TestDatabase } from './services';

/**
 * A route's path with each `:parameter` filled from `ids` (URL-encoded), or a fresh id where there
 * is none (a month for `:period`): how the route-table suites call every route.
 */
export const fillPath = (path: string, ids: Record<string, string>) =>
  path.replace(/:(\w+)/g, (_m, name: string) =>
    encodeURIComponent(ids[name] ?? (name === 'period' ? '2026-03' : randomUUID())),
  );

/**
 * How many rows every table of the test database holds, in one statement: the whole schema, so a
 * write to a table added tomorrow is seen too.
 */
export async function schemaRowCounts(database: TestDatabase): Promise<Record<string, number>> {
  const tables = await database.db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
    [database.schema],
  );
  const [counts] = await database.db.query<Record<string, number>>(
    `select ${tables
      .map(({ name }) => `(select count(*)::int from "${name}") as "${name}"`)
      .join(', ')}`,
  );
  return counts!;
}
