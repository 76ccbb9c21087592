import { randomBytes } from 'node:crypto';

import { issueApiKey } from '../../server/db/api-keys';
import { type Database, openPostgres } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { createTenant } from '../../server/db/tenants';
import { createApp } from '../../server/http/app';
import { listen } from '../../server/lib/listen';
import { CrmSyncQueue, ReconcileQueue } from '../../server/queue/queues';
import { type LargeTenantCounts, seedLargeTenant } from '../../server/sandbox/seed/large-tenant';
import { type BenchContext, silent } from './context';

export interface SeededTenant {
  db: Database;
  tenantId: string;
  seeded: LargeTenantCounts;
  /** Starts the API on a free loopback port; answers its base URL and an admin key's headers. */
  serve(): Promise<{ base: string; headers: Record<string, string> }>;
}

/**
 * A large tenant (DESIGN.md §8, scaled) seeded in a schema of its own, and the API over it when
 * asked; schema, queues and server are gone afterwards.
 */
export async function withSeededTenant<T>(
  context: BenchContext,
  scale: number,
  run: (tenant: SeededTenant) => Promise<T>,
): Promise<T> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openPostgres(context.databaseUrl, schema);
  const crmSync = new CrmSyncQueue({ redisUrl: context.redisUrl, prefix: schema });
  const reconcile = new ReconcileQueue({ redisUrl: context.redisUrl, prefix: schema });
  const closes: Array<() => Promise<void>> = [];
  try {
    await migrate(db);
    const tenant = await createTenant(db, { name: 'Bench' });
    const seeded = await seedLargeTenant(db, tenant.id, { scale });
    return await run({
      db,
      tenantId: tenant.id,
      seeded,
      async serve() {
        const { key } = await issueApiKey(db, tenant.id, 'bench');
        const app = createApp({
          db,
          logger: silent,
          crmSync,
          reconcile,
          hubspotClientSecret: 'bench',
          readiness: {},
        });
        const http = await listen(app, 0);
        closes.push(() => http.close());
        return {
          base: `http://127.0.0.1:${http.port}`,
          headers: { authorization: `Bearer ${key}` },
        };
      },
    });
  } finally {
    for (const close of closes) await close();
    await crmSync.close();
    await reconcile.close();
    await db.query(`drop schema ${schema} cascade`);
    await db.close();
  }
}
