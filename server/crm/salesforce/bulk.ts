import { QueryJobV2 } from 'jsforce/lib/api/bulk2';
import HttpApi from 'jsforce/lib/http-api';

import type { OrgApi } from './limits';

/**
 * Above this many rows of an object a full read uses Bulk API 2.0. REST costs one call per 2,000
 * rows (10,000 rows: 5 calls, answered at once); a Bulk query job costs a fixed 3 to 4 calls
 * (create, poll, results page(s), delete) whatever the size, plus the job's own start-up time.
 * From 10,000 rows on Bulk uses fewer of the org's daily calls, and at 100,000 it is 4 against 50
 * (bench/salesforce-sync.ts measures both).
 */
export const BULK_THRESHOLD = 10_000;
/** Rows per results page asked for: bounds what one page holds in memory. */
const RESULTS_PAGE = 50_000;

/**
 * A Bulk API 2.0 query's rows, a results page at a time. jsforce creates and polls the job; the
 * pages are fetched by their Sforce-Locator here (through jsforce's HTTP layer), because
 * jsforce 3.10.16's bulk2.query pipes every page into one CSV stream and reads a later page's
 * header row as a record.
 */
export async function* bulkQuery(
  api: OrgApi,
  soql: string,
): AsyncGenerator<Record<string, string>[]> {
  const conn = api.conn;
  const job = new QueryJobV2(conn, {
    bodyParams: { query: soql, operation: 'query' },
    pollingOptions: { pollInterval: 500, pollTimeout: 10 * 60_000 },
  });
  await api.call(() => job.open());
  try {
    await api.call(() => job.poll());
    let locator: string | undefined;
    do {
      const url = new URL(
        `services/data/v${conn.version}/jobs/query/${job.id}/results`,
        conn.instanceUrl.endsWith('/') ? conn.instanceUrl : `${conn.instanceUrl}/`,
      );
      url.searchParams.set('maxRecords', String(RESULTS_PAGE));
      if (locator) url.searchParams.set('locator', locator);
      const http = new HttpApi(conn, {});
      let next: string | undefined;
      http.on('response', (response: { headers: Record<string, string | undefined> }) => {
        next = response.headers['sforce-locator'];
      });
      const rows = (await api.call(() =>
        Promise.resolve(
          http.request({ method: 'GET', url: url.toString(), headers: { Accept: 'text/csv' } }),
        ),
      )) as Record<string, string>[];
      yield rows;
      locator = next && next !== 'null' ? next : undefined;
    } while (locator);
  } finally {
    await Promise.resolve(job.delete()).catch(() => undefined);
  }
}
