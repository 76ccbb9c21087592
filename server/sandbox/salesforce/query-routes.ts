import { randomBytes } from 'node:crypto';

import { type Request, type Response, Router } from 'express';

import { salesforceError, SoqlError } from './errors';
import type { SalesforceOrg } from './org';
import type { SfRecord } from './schema';
import { compileQuery, runQuery } from './soql';
import { projector } from './soql-paths';

const DEFAULT_BATCH = 2000;
const CURSOR_IDLE_MS = 15 * 60_000;
const MAX_CURSORS = 50;

interface Cursor {
  type: string;
  records: SfRecord[];
  project: ReturnType<typeof projector>;
  touchedAt: number;
  batchSize: number;
}

// Open query cursors per org; like Salesforce's they expire when idle and the oldest go first.
const cursorsByOrg = new WeakMap<SalesforceOrg, Map<string, Cursor>>();

function cursorsOf(org: SalesforceOrg): Map<string, Cursor> {
  let cursors = cursorsByOrg.get(org);
  if (!cursors) cursorsByOrg.set(org, (cursors = new Map()));
  for (const [id, cursor] of cursors)
    if (cursor.touchedAt + CURSOR_IDLE_MS < org.now() || cursors.size > MAX_CURSORS)
      cursors.delete(id);
  return cursors;
}

/** Sforce-Query-Options: batchSize=N (200 to 2,000) asks for smaller batches. */
function batchSizeOf(req: Request): number {
  const asked = /batchSize=(\d+)/i.exec(req.get('sforce-query-options') ?? '')?.[1];
  return asked ? Math.min(DEFAULT_BATCH, Math.max(200, Number(asked))) : DEFAULT_BATCH;
}

function sendBatch(
  res: Response,
  version: string,
  cursorId: string,
  cursor: Cursor,
  start: number,
): void {
  const end = Math.min(cursor.records.length, start + cursor.batchSize);
  const done = end >= cursor.records.length;
  res.json({
    totalSize: cursor.records.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${cursorId}-${end}` }),
    records: cursor.records.slice(start, end).map((r) => cursor.project(cursor.type, r)),
  });
}

export function answerSoqlError(res: Response, error: unknown): void {
  if (!(error instanceof SoqlError)) throw error;
  salesforceError(res, 400, error.errorCode, error.message);
}

/** query and queryAll with nextRecordsUrl paging, as jsforce's query/queryMore/autoFetch expect. */
export function queryRoutes(): Router {
  const router = Router();
  const run = (includeDeleted: boolean) => (req: Request, res: Response) => {
    const org = res.locals.org as SalesforceOrg;
    const version = res.locals.version as string;
    const soql = req.query.q;
    if (typeof soql !== 'string' || soql.trim() === '')
      return salesforceError(res, 400, 'MALFORMED_QUERY', 'A query string has to be specified');
    try {
      const query = compileQuery(org, soql);
      const records = runQuery(org, query, includeDeleted);
      if (query.count) return res.json({ totalSize: records.length, done: true, records: [] });
      const cursor: Cursor = {
        type: query.schema.name,
        records,
        project: projector(org, query.paths, version),
        touchedAt: org.now(),
        batchSize: batchSizeOf(req),
      };
      const cursorId = `01g${randomBytes(6).toString('hex').toUpperCase()}`;
      if (records.length > cursor.batchSize) cursorsOf(org).set(cursorId, cursor);
      sendBatch(res, version, cursorId, cursor, 0);
    } catch (error) {
      answerSoqlError(res, error);
    }
  };
  router.get('/query', run(false));
  router.get('/queryAll', run(true));

  const more = (req: Request, res: Response) => {
    const org = res.locals.org as SalesforceOrg;
    const match = /^(01g[0-9A-F]{12})-(\d+)$/.exec(String(req.params.locator));
    const cursor = match && cursorsOf(org).get(match[1]!);
    if (!match || !cursor || Number(match[2]) >= cursor.records.length)
      return salesforceError(res, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    cursor.touchedAt = org.now();
    cursor.batchSize = Math.min(cursor.batchSize, batchSizeOf(req));
    sendBatch(res, res.locals.version as string, match[1]!, cursor, Number(match[2]));
  };
  router.get('/query/:locator', more);
  router.get('/queryAll/:locator', more);
  return router;
}
