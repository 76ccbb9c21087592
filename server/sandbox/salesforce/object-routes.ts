import { type Request, type Response, Router } from 'express';

import { describeSObject, objectSummary } from './describe';
import {
  beginTransaction,
  commit,
  prepareCreate,
  type Prepared,
  prepareDelete,
  prepareUpdate,
  type Transaction,
} from './dml';
import { notFound, salesforceError, sendErrors, type SfError, type SfResult } from './errors';
import { formatDateTime, parseDateTime } from './field-values';
import type { SalesforceOrg } from './org';
import type { SObjectSchema } from './schema';
import { projector } from './soql-paths';

/**
 * changeOrigin of the change events a call causes: the API, its version and the client named in
 * Sforce-Call-Options, so an integration can recognise (and skip) its own writes.
 */
export function transactionFor(req: Request, res: Response, api = 'rest'): Transaction {
  const client = /client=([^,\s]+)/.exec(req.get('sforce-call-options') ?? '')?.[1];
  const origin = `com/salesforce/api/${api}/${res.locals.version as string}${client ? `;client=${client}` : ''}`;
  return beginTransaction(res.locals.org as SalesforceOrg, res.locals.userId as string, origin);
}

const statusOf = (errors: SfError[]) =>
  errors.some((e) => e.errorCode === 'NOT_FOUND' || e.errorCode === 'ENTITY_IS_DELETED')
    ? 404
    : 400;

const isObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

const ALLOWED: Record<string, (s: SObjectSchema) => boolean> = {
  POST: (s) => s.def.createable,
  PATCH: (s) => s.def.updateable,
  DELETE: (s) => s.def.deletable,
};

/** The REST API answers a method an object does not take with 405 and the methods it does. */
function methodRefused(
  req: Request,
  res: Response,
  schema: SObjectSchema,
  record: boolean,
): boolean {
  const check = ALLOWED[req.method];
  if (!check || check(schema)) return false;
  const allowed = ['HEAD', 'GET', ...(record ? ['PATCH', 'DELETE'] : ['POST'])].filter(
    (m) => !ALLOWED[m] || ALLOWED[m](schema),
  );
  salesforceError(
    res,
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${req.method}' not allowed. Allowed are ${allowed.join(',')}`,
  );
  return true;
}

function run(
  req: Request,
  res: Response,
  prepared: SfResult<Prepared>,
  tx: Transaction,
  created: boolean,
) {
  if (!prepared.ok) return sendErrors(res, statusOf(prepared.errors), prepared.errors);
  const id = prepared.value();
  commit(res.locals.org as SalesforceOrg, tx);
  if (created) res.status(201).json({ id, success: true, errors: [] });
  else res.status(204).end();
}

export function objectRoutes(): Router {
  const router = Router();
  const schemaOf = (req: Request, res: Response): SObjectSchema | undefined => {
    const schema = (res.locals.org as SalesforceOrg).schema(String(req.params.type));
    if (!schema) notFound(res);
    return schema;
  };

  router.get('/sobjects', (_req, res) => {
    const org = res.locals.org as SalesforceOrg;
    res.json({
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: [...org.schemas.values()].map((s) =>
        objectSummary(s, res.locals.version as string),
      ),
    });
  });
  router.get('/sobjects/:type', (req, res) => {
    const schema = schemaOf(req, res);
    if (schema)
      res.json({
        objectDescribe: objectSummary(schema, res.locals.version as string),
        recentItems: [],
      });
  });
  router.get('/sobjects/:type/describe', (req, res) => {
    const schema = schemaOf(req, res);
    if (schema)
      res.json(
        describeSObject(res.locals.org as SalesforceOrg, schema, res.locals.version as string),
      );
  });
  router.get('/sobjects/:type/updated', (req, res) =>
    changedBetween(req, res, schemaOf(req, res), false),
  );
  router.get('/sobjects/:type/deleted', (req, res) =>
    changedBetween(req, res, schemaOf(req, res), true),
  );

  router.post('/sobjects/:type', (req, res) => {
    const schema = schemaOf(req, res);
    if (!schema || methodRefused(req, res, schema, false)) return;
    if (!isObject(req.body))
      return salesforceError(
        res,
        400,
        'JSON_PARSER_ERROR',
        'The request body must be a JSON object',
      );
    const tx = transactionFor(req, res);
    run(
      req,
      res,
      prepareCreate(res.locals.org as SalesforceOrg, schema.name, req.body, tx),
      tx,
      true,
    );
  });
  router.get('/sobjects/:type/:id', (req, res) => {
    const schema = schemaOf(req, res);
    if (!schema) return;
    const org = res.locals.org as SalesforceOrg;
    const record = org.find([schema.name], String(req.params.id))?.record;
    if (!record) return notFound(res);
    if (record.IsDeleted)
      return salesforceError(res, 404, 'ENTITY_IS_DELETED', 'entity is deleted');
    const names =
      typeof req.query.fields === 'string'
        ? req.query.fields.split(',')
        : schema.fields.map((f) => f.name);
    const fields = names.map((n) => schema.field(n.trim()));
    const unknown = names.filter((_, i) => !fields[i]);
    if (unknown.length > 0)
      return salesforceError(
        res,
        400,
        'INVALID_FIELD',
        `No such column '${unknown[0]}' on sobject of type ${schema.name}`,
      );
    const project = projector(
      org,
      fields.map((f) => ({ hops: [], leaf: f!, text: f!.name })),
      res.locals.version as string,
    );
    res.json(project(schema.name, record));
  });
  router.patch('/sobjects/:type/:id', (req, res) => {
    const schema = schemaOf(req, res);
    if (!schema || methodRefused(req, res, schema, true)) return;
    if (!isObject(req.body))
      return salesforceError(
        res,
        400,
        'JSON_PARSER_ERROR',
        'The request body must be a JSON object',
      );
    const tx = transactionFor(req, res);
    run(
      req,
      res,
      prepareUpdate(
        res.locals.org as SalesforceOrg,
        schema.name,
        String(req.params.id),
        req.body,
        tx,
      ),
      tx,
      false,
    );
  });
  router.delete('/sobjects/:type/:id', (req, res) => {
    const schema = schemaOf(req, res);
    if (!schema || methodRefused(req, res, schema, true)) return;
    const tx = transactionFor(req, res);
    run(
      req,
      res,
      prepareDelete(res.locals.org as SalesforceOrg, schema.name, String(req.params.id), tx),
      tx,
      false,
    );
  });
  return router;
}

/** sobjects/{type}/updated and /deleted: the ids changed in [start, end], as the replication API gives them. */
function changedBetween(
  req: Request,
  res: Response,
  schema: SObjectSchema | undefined,
  deleted: boolean,
): void {
  if (!schema) return;
  const org = res.locals.org as SalesforceOrg;
  const start = parseDateTime(String(req.query.start ?? ''));
  const end = parseDateTime(String(req.query.end ?? ''));
  if (start === undefined || end === undefined || end < start)
    return salesforceError(
      res,
      400,
      'INVALID_REPLICATION_DATE',
      'start and end must be datetimes with start before end',
    );
  const rows = [...org.table(schema.name).values()].filter(
    (r) =>
      Boolean(r.IsDeleted) === deleted &&
      Number(r.SystemModstamp) >= start &&
      Number(r.SystemModstamp) <= end,
  );
  const latestDateCovered = formatDateTime(Math.min(end, org.now()));
  if (!deleted) return void res.json({ ids: rows.map((r) => r.Id), latestDateCovered });
  res.json({
    deletedRecords: rows.map((r) => ({
      id: r.Id,
      deletedDate: formatDateTime(Number(r.SystemModstamp)),
    })),
    earliestDateAvailable: formatDateTime(org.now() - 15 * 86_400_000),
    latestDateCovered,
  });
}
