import { type Response, Router } from 'express';
import { z } from 'zod';

import {
  commit,
  prepareCreate,
  type Prepared,
  prepareDelete,
  prepareUpdate,
  type Transaction,
} from './dml';
import { salesforceError, type SfError, sfError, type SfResult } from './errors';
import { toId18 } from './ids';
import { transactionFor } from './object-routes';
import type { SalesforceOrg } from './org';
import { projector } from './soql-paths';

const MAX_RECORDS = 200;

const record = z.object({ attributes: z.object({ type: z.string() }).passthrough() }).passthrough();
const saveBody = z.object({ allOrNone: z.boolean().default(false), records: z.array(record) });
const retrieveBody = z.object({ ids: z.array(z.string()), fields: z.array(z.string()).min(1) });

type Item = { id?: string; prepare: () => SfResult<Prepared> };

const tooMany = (res: Response) =>
  salesforceError(
    res,
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
  );

const saveError = (e: SfError) => ({
  statusCode: e.errorCode,
  message: e.message,
  fields: e.fields,
});

/**
 * Runs one sObject Collections call in one transaction. allOrNone checks every record before any
 * is written, so a failure writes nothing; otherwise each record stands on its own, in order.
 */
function save(res: Response, tx: Transaction, items: Item[], allOrNone: boolean): void {
  const org = res.locals.org as SalesforceOrg;
  if (allOrNone) {
    const prepared = items.map((item) => item.prepare());
    if (prepared.some((p) => !p.ok)) {
      return void res.json(
        prepared.map((p, i) => ({
          ...(items[i]!.id ? { id: items[i]!.id } : {}),
          success: false,
          errors: p.ok
            ? [
                saveError(
                  sfError(
                    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  ),
                ),
              ]
            : p.errors.map(saveError),
        })),
      );
    }
    const ids = prepared.map((p) => (p.ok ? p.value() : ''));
    commit(org, tx);
    return void res.json(ids.map((id) => ({ id, success: true, errors: [] })));
  }
  const results = items.map((item) => {
    const prepared = item.prepare();
    if (!prepared.ok)
      return {
        ...(item.id ? { id: item.id } : {}),
        success: false,
        errors: prepared.errors.map(saveError),
      };
    return { id: prepared.value(), success: true, errors: [] };
  });
  commit(org, tx);
  res.json(results);
}

const invalidType = (type: string): SfResult<Prepared> => ({
  ok: false,
  errors: [sfError('INVALID_TYPE', `sObject type '${type}' is not supported.`)],
});

/** composite/sobjects: create, update, delete and retrieve up to 200 records per call. */
export function compositeRoutes(): Router {
  const router = Router();
  const bodyOf = (res: Response, body: unknown) => {
    const parsed = saveBody.safeParse(body);
    if (!parsed.success) {
      salesforceError(
        res,
        400,
        'JSON_PARSER_ERROR',
        'Expected { allOrNone, records: [{ attributes: { type }, … }] }',
      );
      return undefined;
    }
    if (parsed.data.records.length > MAX_RECORDS) return void tooMany(res);
    return parsed.data;
  };

  router.post('/composite/sobjects', (req, res) => {
    const body = bodyOf(res, req.body);
    if (!body) return;
    const org = res.locals.org as SalesforceOrg;
    const tx = transactionFor(req, res);
    const items = body.records.map(({ attributes, ...fields }) => ({
      prepare: () => prepareCreate(org, attributes.type, fields, tx),
    }));
    save(res, tx, items, body.allOrNone);
  });

  router.patch('/composite/sobjects', (req, res) => {
    const body = bodyOf(res, req.body);
    if (!body) return;
    const org = res.locals.org as SalesforceOrg;
    const tx = transactionFor(req, res);
    const items = body.records.map(({ attributes, ...fields }) => {
      const id =
        typeof fields.id === 'string'
          ? fields.id
          : typeof fields.Id === 'string'
            ? fields.Id
            : undefined;
      const rest = Object.fromEntries(
        Object.entries(fields).filter(([k]) => k.toLowerCase() !== 'id'),
      );
      return {
        ...(id ? { id } : {}),
        prepare: (): SfResult<Prepared> => {
          if (!org.schema(attributes.type)) return invalidType(attributes.type);
          if (!id)
            return {
              ok: false,
              errors: [sfError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])],
            };
          return prepareUpdate(org, attributes.type, id, rest, tx);
        },
      };
    });
    save(res, tx, items, body.allOrNone);
  });

  router.delete('/composite/sobjects', (req, res) => {
    const ids = String(req.query.ids ?? '')
      .split(',')
      .filter(Boolean);
    if (ids.length > MAX_RECORDS) return tooMany(res);
    const org = res.locals.org as SalesforceOrg;
    const tx = transactionFor(req, res);
    const items = ids.map((id) => ({
      id,
      prepare: (): SfResult<Prepared> => {
        const type = [...org.schemas.values()].find(
          (s) => s.def.deletable && org.find([s.name], id),
        );
        if (!type)
          return { ok: false, errors: [sfError('INVALID_ID_FIELD', `invalid record id: ${id}`)] };
        return prepareDelete(org, type.name, id, tx);
      },
    }));
    save(res, tx, items, req.query.allOrNone === 'true');
  });

  const retrieve = (res: Response, type: string, ids: string[], fields: string[]) => {
    const org = res.locals.org as SalesforceOrg;
    const schema = org.schema(type);
    if (!schema)
      return salesforceError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    if (ids.length > 2000) return tooMany(res);
    const defs = fields.map((f) => schema.field(f));
    const unknown = fields.find((_, i) => !defs[i]);
    if (unknown)
      return salesforceError(
        res,
        400,
        'INVALID_FIELD',
        `No such column '${unknown}' on sobject of type ${schema.name}`,
      );
    const project = projector(
      org,
      defs.map((f) => ({ hops: [], leaf: f!, text: f!.name })),
      res.locals.version as string,
    );
    res.json(
      ids.map((id) => {
        const found = org.live(schema.name, toId18(id) ?? id);
        return found ? project(schema.name, found) : null;
      }),
    );
  };
  router.post('/composite/sobjects/:type', (req, res) => {
    const body = retrieveBody.safeParse(req.body);
    if (!body.success)
      return salesforceError(
        res,
        400,
        'JSON_PARSER_ERROR',
        'Expected { ids: [...], fields: [...] }',
      );
    retrieve(res, String(req.params.type), body.data.ids, body.data.fields);
  });
  router.get('/composite/sobjects/:type', (req, res) => {
    const list = (v: unknown) =>
      String(v ?? '')
        .split(',')
        .filter(Boolean);
    retrieve(res, String(req.params.type), list(req.query.ids), list(req.query.fields));
  });
  return router;
}
