import { randomBytes } from 'node:crypto';

import { stringify } from 'csv-stringify/sync';
import { type Response, Router } from 'express';
import { z } from 'zod';

import { notFound, salesforceError, SoqlError } from './errors';
import type { SalesforceOrg } from './org';
import type { FieldValue } from './schema';
import { compileQuery, runQuery } from './soql';
import { type FieldPath, valueAt } from './soql-paths';

const DELIMITERS = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
} as const;

const createBody = z.object({
  operation: z.enum(['query', 'queryAll']),
  query: z.string().min(1),
  columnDelimiter: z.enum(Object.keys(DELIMITERS) as [keyof typeof DELIMITERS]).default('COMMA'),
  lineEnding: z.enum(['LF', 'CRLF']).default('LF'),
  contentType: z.literal('CSV').default('CSV'),
});

interface QueryJob {
  info: Record<string, unknown> & { id: string; state: string };
  header: string[];
  rows: string[][];
  delimiter: string;
  lineEnding: string;
  polled: boolean;
}

const jobsByOrg = new WeakMap<SalesforceOrg, Map<string, QueryJob>>();
const jobsOf = (org: SalesforceOrg) => {
  let jobs = jobsByOrg.get(org);
  if (!jobs) jobsByOrg.set(org, (jobs = new Map()));
  return jobs;
};

// Bulk CSV: empty for null, datetimes in ISO form with Z.
function cell(path: FieldPath, value: FieldValue): string {
  if (value === null) return '';
  if (path.leaf.type === 'datetime') return new Date(Number(value)).toISOString();
  return String(value);
}

/** The results pages' size when the caller gives no maxRecords (Salesforce picks its own). */
export interface BulkOptions {
  pageSize(): number;
}

/**
 * Bulk API 2.0 query jobs as jsforce's bulk2.query drives them: create (UploadComplete), poll
 * (JobComplete from the first poll on), results as CSV pages chained by Sforce-Locator until "null".
 */
export function bulkRoutes(options: BulkOptions): Router {
  const router = Router();
  const jobOf = (res: Response, id: string) => {
    const job = jobsOf(res.locals.org as SalesforceOrg).get(id);
    if (!job) notFound(res);
    return job;
  };

  router.post('/jobs/query', (req, res) => {
    const org = res.locals.org as SalesforceOrg;
    const body = createBody.safeParse(req.body);
    if (!body.success)
      return salesforceError(
        res,
        400,
        'INVALIDJOB',
        'InvalidJob : operation and query are required',
      );
    try {
      const query = compileQuery(org, body.data.query);
      if (query.count || query.offset > 0)
        return salesforceError(
          res,
          400,
          'INVALIDJOB',
          'InvalidJob : COUNT() and OFFSET are not supported in Bulk API 2.0 queries',
        );
      const records = runQuery(org, query, body.data.operation === 'queryAll');
      const at = new Date(org.now()).toISOString().replace('Z', '+0000');
      const id = `750${randomBytes(6).toString('hex').toUpperCase()}AAA`;
      const job: QueryJob = {
        info: {
          id,
          operation: body.data.operation,
          object: query.schema.name,
          createdById: res.locals.userId,
          createdDate: at,
          systemModstamp: at,
          state: 'UploadComplete',
          concurrencyMode: 'Parallel',
          contentType: 'CSV',
          apiVersion: Number(res.locals.version),
          lineEnding: body.data.lineEnding,
          columnDelimiter: body.data.columnDelimiter,
        },
        header: query.paths.map((p) => p.text),
        rows: records.map((r) => query.paths.map((p) => cell(p, valueAt(org, r, p)))),
        delimiter: DELIMITERS[body.data.columnDelimiter],
        lineEnding: body.data.lineEnding === 'CRLF' ? '\r\n' : '\n',
        polled: false,
      };
      jobsOf(org).set(id, job);
      res.json(job.info);
    } catch (error) {
      if (!(error instanceof SoqlError)) throw error;
      salesforceError(res, 400, error.errorCode, error.message);
    }
  });

  router.get('/jobs/query', (_req, res) => {
    const jobs = [...jobsOf(res.locals.org as SalesforceOrg).values()].map((j) => j.info);
    res.json({ done: true, records: jobs, nextRecordsUrl: null });
  });

  router.get('/jobs/query/:id', (req, res) => {
    const job = jobOf(res, String(req.params.id));
    if (!job) return;
    if (job.info.state === 'UploadComplete') job.polled = true;
    if (job.polled && job.info.state !== 'Aborted')
      Object.assign(job.info, {
        state: 'JobComplete',
        numberRecordsProcessed: job.rows.length,
        retries: 0,
        totalProcessingTime: 1,
      });
    res.json({ ...job.info, jobType: 'V2Query' });
  });

  router.patch('/jobs/query/:id', (req, res) => {
    const job = jobOf(res, String(req.params.id));
    if (!job) return;
    if ((req.body as { state?: unknown })?.state !== 'Aborted')
      return salesforceError(res, 400, 'INVALIDJOBSTATE', 'A query job can only be aborted');
    job.info.state = 'Aborted';
    res.json(job.info);
  });

  router.delete('/jobs/query/:id', (req, res) => {
    if (!jobOf(res, String(req.params.id))) return;
    jobsOf(res.locals.org as SalesforceOrg).delete(String(req.params.id));
    res.status(204).end();
  });

  router.get('/jobs/query/:id/results', (req, res) => {
    const job = jobOf(res, String(req.params.id));
    if (!job) return;
    if (job.info.state !== 'JobComplete')
      return salesforceError(res, 400, 'INVALIDJOBSTATE', `Job is not complete: ${job.info.state}`);
    const start = req.query.locator
      ? Number(Buffer.from(String(req.query.locator), 'base64').toString())
      : 0;
    const size =
      Number(req.query.maxRecords) > 0 ? Number(req.query.maxRecords) : options.pageSize();
    if (!Number.isInteger(start) || start < 0 || start > job.rows.length)
      return salesforceError(res, 400, 'INVALIDLOCATOR', 'Invalid locator');
    const page = job.rows.slice(start, start + size);
    const next =
      start + size < job.rows.length
        ? Buffer.from(String(start + size)).toString('base64')
        : 'null';
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv',
        'Sforce-Locator': next,
        'Sforce-NumberOfRecords': String(page.length),
      })
      .send(
        stringify([job.header, ...page], {
          delimiter: job.delimiter,
          record_delimiter: job.lineEnding,
        }),
      );
  });
  return router;
}
