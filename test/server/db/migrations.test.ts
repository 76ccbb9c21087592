import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { openPostgres } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrate';
import { ALL_MIGRATIONS, createTestDatabase } from '../../support/services';

const tables = [
  'tenants',
  'api_keys',
  'partners',
  'partner_links',
  'accounts',
  'deals',
  'deal_companies',
  'deal_partners',
  'audit_events',
  'crm_credentials',
];

describe('migrations', () => {
  describe('on Postgres', () => {
    it('create every table once and apply nothing the second time', async () => {
      const { db, schema, drop } = await createTestDatabase({ migrate: false });
      try {
        const first = await migrate(db);
        const second = await migrate(db);
        expect(first.applied).toEqual(ALL_MIGRATIONS);
        expect(second).toEqual({ applied: [], alreadyApplied: ALL_MIGRATIONS.length });
        const rows = await db.query<{ table_name: string }>(
          'select table_name from information_schema.tables where table_schema = $1',
          [schema],
        );
        expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(tables));
      } finally {
        await drop();
      }
    });

    it('let concurrent migrators apply each migration exactly once', async () => {
      const { db, drop } = await createTestDatabase({ migrate: false });
      try {
        const results = await Promise.all([migrate(db), migrate(db), migrate(db), migrate(db)]);
        expect(results.flatMap((r) => r.applied)).toEqual(ALL_MIGRATIONS);
      } finally {
        await drop();
      }
    });
  });

  it('let several processes create the same new schema at once', async () => {
    const schema = `t_race_${process.pid}`;
    const dbs = await Promise.all(
      [1, 2, 3, 4].map(() => openPostgres(process.env.TEST_DATABASE_URL!, schema)),
    );
    try {
      await Promise.all(dbs.map((db) => migrate(db)));
      expect(await dbs[0]!.query('select version from schema_migrations order by version')).toEqual(
        ALL_MIGRATIONS.map((version) => ({ version })),
      );
    } finally {
      await dbs[0]!.query(`drop schema ${schema} cascade`);
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  describe('on the embedded PGlite', () => {
    it('apply the same files and are idempotent', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'pl-pglite-'));
      try {
        const script = path.join(__dirname, '../../support/pglite-migrate.ts');
        const output = execFileSync(process.execPath, ['--import', 'tsx', script, dir], {
          encoding: 'utf8',
        });
        const result = JSON.parse(output) as {
          first: { applied: string[] };
          second: { applied: string[] };
          tables: string[];
        };
        expect(result.first.applied).toEqual(ALL_MIGRATIONS);
        expect(result.second.applied).toEqual([]);
        expect(result.tables).toEqual(expect.arrayContaining(tables));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
