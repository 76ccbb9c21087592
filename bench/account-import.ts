import { Readable } from 'node:stream';

import type { BenchContext } from './lib/context';
import { withSeededTenant } from './lib/seeded-api';

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
  return withSeededTenant(context, 0.1, async ({ db, tenantId, seeded, serve }) => {
    const [partner] = await db.query<{ id: string }>(
      'select id from partners where tenant_id = $1 limit 1',
      [tenantId],
    );
    const { base, headers } = await serve();
    const runs = [];
    for (const rows of SIZES) {
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      const heapBaseline = process.memoryUsage().heapUsed;
      let peak = baseline;
      let retained = heapBaseline;
      let ticks = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
        // What survives a full collection is what the import holds (npm run bench exposes gc).
        if (global.gc && ++ticks % 20 === 0) {
          global.gc();
          retained = Math.max(retained, process.memoryUsage().heapUsed);
        }
      }, 50);
      const started = performance.now();
      const response = await fetch(`${base}/api/v1/partners/${partner!.id}/accounts/import`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/csv' },
        body: Readable.toWeb(csvRows(rows, seeded.accounts)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
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
        peakRetainedHeapOverStartMiB: global.gc
          ? Math.round((retained - heapBaseline) / 2 ** 20)
          : null,
      });
    }
    return { accounts: seeded.accounts, runs };
  });
}
