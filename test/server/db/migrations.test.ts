import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { migrate } from '../../../server/db/migrate';
import { createTestDatabase } from '../../support/services';

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
        expect(first.applied).toEqual(['0001_initial']);
        expect(second).toEqual({ applied: [], alreadyApplied: 1 });
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
        await db.exec(
          'create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())',
        );
        const results = await Promise.all([migrate(db), migrate(db), migrate(db)]);
        expect(results.flatMap((r) => r.applied)).toEqual(['0001_initial']);
      } finally {
        await drop();
      }
    });
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
        expect(result.first.applied).toEqual(['0001_initial']);
        expect(result.second.applied).toEqual([]);
        expect(result.tables).toEqual(expect.arrayContaining(tables));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
