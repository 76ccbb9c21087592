import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { issueApiKey } from '../server/db/api-keys';
import { openPostgres } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createTenant } from '../server/db/tenants';
import { createApp } from '../server/http/app';
import { listen } from '../server/lib/listen';
import { CrmSyncQueue, ReconcileQueue } from '../server/queue/queues';
import { seedLargeTenant } from '../server/sandbox/seed/large-tenant';
import { type BenchContext, silent } from './lib/context';

const SIZES = (process.env.BENCH_IMPORT_ROWS ?? '100000,1000000').split(',').map(Number);

/** CSV rows made as they are sent: one in three names an account of the tenant, one in a hundred is bad. */
function csvRows(rows: number, accounts: number): Readable {
  return Readable.from(
    (function* () {
      yield 'name,domain,population\n';
      const populations = ['customer', 'open_opportunity', 'prospect'];
      for (let start = 0; start < rows; start += 5000) {
        let chunk = '';
        for (let i = start; i < Math.min(rows, start + 5000); i++) {
          const known = i % 3 === 0;
          const n = known ? i % accounts : i;
          const population = i % 100 === 99 ? 'partner' : populations[i % 3];
          chunk += known
            ? `Company ${n},company-${n}.example,${population}\n`
            : `Prospect Org ${n},prospect-${n}.example,${population}\n`;
        }
        yield chunk;
      }
    })(),
  );
}

/**
 * Account lists through POST /api/v1/partners/:id/accounts/import, streamed from a generator so
 * the client holds nothing either: rows per second and the service's peak resident memory, for a
 * list ten times the size of another (constant memory means the peaks stay level).
 */
export async function accountImportBench(context: BenchContext) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openPostgres(context.databaseUrl, schema);
  const crmSync = new CrmSyncQueue({ redisUrl: context.redisUrl, prefix: schema });
  const reconcile = new ReconcileQueue({ redisUrl: context.redisUrl, prefix: schema });
  try {
    await migrate(db);
    const tenant = await createTenant(db, { name: 'Import' });
    const seeded = await seedLargeTenant(db, tenant.id, { scale: 0.1 });
    const [partner] = await db.query<{ id: string }>(
      'select id from partners where tenant_id = $1 limit 1',
      [tenant.id],
    );
    const { key } = await issueApiKey(db, tenant.id, 'bench');
    const http = await listen(
      createApp({
        db,
        logger: silent,
        crmSync,
        reconcile,
        hubspotClientSecret: 'bench',
        readiness: {},
      }),
      0,
    );
    try {
      const runs = [];
      for (const rows of SIZES) {
        global.gc?.();
        const baseline = process.memoryUsage().rss;
        let peak = baseline;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 50);
        const started = performance.now();
        const response = await fetch(
          `http://127.0.0.1:${http.port}/api/v1/partners/${partner!.id}/accounts/import`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
            body: Readable.toWeb(csvRows(rows, seeded.accounts)) as ReadableStream,
            duplex: 'half',
          } as RequestInit,
        );
        const result = (await response.json()) as Record<string, number>;
        const seconds = (performance.now() - started) / 1000;
        clearInterval(sampler);
        runs.push({
          rows,
          status: response.status,
          seconds: Number(seconds.toFixed(1)),
          rowsPerSecond: Math.round(rows / seconds),
          kept: result.rowsKept,
          rejected: result.rowsRejected,
          matched: result.rowsMatched,
          peakRssOverStartMiB: Math.round((peak - baseline) / 2 ** 20),
        });
      }
      return { accounts: seeded.accounts, runs };
    } finally {
      await http.close();
    }
  } finally {
    await crmSync.close();
    await reconcile.close();
    await db.query(`drop schema ${schema} cascade`);
    await db.close();
  }
}
