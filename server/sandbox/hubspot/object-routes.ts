import { type Request, type Response, Router } from 'express';
import { z } from 'zod';

import { hubspotError } from './errors';
import {
  type AssociationType,
  DEAL_COMPANY_LABELS,
  type HubSpotSandboxStore,
  type SandboxObject,
  type SandboxObjectType,
  type SandboxPortal,
} from './store';

export const OBJECT_TYPES: Record<string, SandboxObjectType> = {
  deals: 'deals',
  '0-3': 'deals',
  companies: 'companies',
  '0-2': 'companies',
};
const ALWAYS_RETURNED = ['hs_object_id', 'createdate', 'hs_lastmodifieddate'];
const BATCH_LIMIT = 100;

// The client sends array parameters as repeated keys; people with curl send commas. Accept both.
const listOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((v) => String(v).split(','))
    .filter(Boolean);

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  after: z.string().regex(/^\d+$/).optional(),
});

const batchReadBody = z.object({
  inputs: z.array(z.object({ id: z.coerce.string() })).max(BATCH_LIMIT),
  properties: z.array(z.string()).default([]),
});

const associationSpecs = z
  .array(
    z.object({
      associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
      associationTypeId: z.number().int(),
    }),
  )
  .min(1);

const associationsBody = z.object({
  inputs: z.array(z.object({ id: z.coerce.string() })).max(1000),
});

export function present(object: SandboxObject, properties: string[]) {
  const wanted = [...new Set([...ALWAYS_RETURNED, ...properties])];
  return {
    id: object.id,
    properties: Object.fromEntries(wanted.map((name) => [name, object.properties[name] ?? null])),
    createdAt: object.createdAt,
    updatedAt: object.updatedAt,
    archived: false,
  };
}

function objectsOf(
  req: Request,
  res: Response,
): { objects: Map<string, SandboxObject>; revision: number } | undefined {
  const type = OBJECT_TYPES[String(req.params.objectType)];
  if (!type) {
    hubspotError(
      res,
      400,
      'VALIDATION_ERROR',
      `Unable to infer object type from: ${req.params.objectType}`,
    );
    return undefined;
  }
  const portal = res.locals.portal as SandboxPortal;
  return { objects: portal.objects[type], revision: portal.revisions[type] };
}

interface BatchError {
  category: string;
  message: string;
  context: Record<string, string[]>;
}

/** HubSpot's batch answer: 200, or 207 with per-input errors beside the results. */
function sendBatch(res: Response, results: unknown[], errors: BatchError[]): void {
  const at = new Date().toISOString();
  res.status(errors.length > 0 ? 207 : 200).json({
    status: 'COMPLETE',
    results,
    ...(errors.length > 0
      ? { numErrors: errors.length, errors: errors.map((e) => ({ status: 'error', ...e })) }
      : {}),
    startedAt: at,
    completedAt: at,
  });
}

// The sorted ids of a portal's objects, rebuilt when the store's revision for them moved.
const sortedIdCache = new WeakMap<
  Map<string, SandboxObject>,
  { revision: number; ids: string[] }
>();
function sortedIds(objects: Map<string, SandboxObject>, revision: number): string[] {
  const cached = sortedIdCache.get(objects);
  if (cached && cached.revision === revision) return cached.ids;
  const ids = [...objects.keys()].sort((a, b) =>
    BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0,
  );
  sortedIdCache.set(objects, { revision, ids });
  return ids;
}

/** Index of the first id greater than `after` (binary search). */
function firstAfter(ids: string[], after: bigint): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (BigInt(ids[mid]!) <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function objectRoutes(): Router {
  const router = Router();

  router.get('/v3/objects/:objectType', (req, res) => {
    const found = objectsOf(req, res);
    if (!found) return;
    const { objects, revision } = found;
    const query = listQuery.safeParse(req.query);
    if (!query.success)
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        'limit must be 1..100 and after a cursor from paging.next',
      );
    // Ids are numeric and the cursor is the last id returned, so paging is stable under inserts.
    const ids = sortedIds(objects, revision);
    const start = query.data.after ? firstAfter(ids, BigInt(query.data.after)) : 0;
    const window = ids.slice(start, start + query.data.limit + 1).map((id) => objects.get(id)!);
    const page = window.slice(0, query.data.limit);
    const properties = listOf(req.query.properties);
    const last = page[page.length - 1];
    const hasMore = window.length > page.length && last;
    res.json({
      results: page.map((o) => present(o, properties)),
      ...(hasMore
        ? {
            paging: {
              next: {
                after: last.id,
                link: `${req.protocol}://${req.get('host')}${req.baseUrl}${req.path}?after=${last.id}`,
              },
            },
          }
        : {}),
    });
  });

  // One object by id (idProperty and associations are not modelled).
  router.get('/v3/objects/:objectType/:id', (req, res) => {
    const objects = objectsOf(req, res)?.objects;
    if (!objects) return;
    const found = objects.get(String(req.params.id));
    if (!found) return hubspotError(res, 404, 'OBJECT_NOT_FOUND', 'Resource not found');
    res.json(present(found, listOf(req.query.properties)));
  });

  router.post('/v3/objects/:objectType/batch/read', (req, res) => {
    const objects = objectsOf(req, res)?.objects;
    if (!objects) return;
    const body = batchReadBody.safeParse(req.body);
    if (!body.success)
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        `Invalid input: at most ${BATCH_LIMIT} inputs of { id }`,
      );
    const found = body.data.inputs
      .map((input) => objects.get(input.id))
      .filter((o): o is SandboxObject => Boolean(o));
    const missing = body.data.inputs
      .filter((input) => !objects.has(input.id))
      .map((input) => input.id);
    const errors =
      missing.length > 0
        ? [
            {
              category: 'OBJECT_NOT_FOUND',
              message: 'Could not get some objects, they may be deleted or not exist.',
              context: { ids: missing },
            },
          ]
        : [];
    sendBatch(
      res,
      found.map((o) => present(o, body.data.properties)),
      errors,
    );
  });

  router.post('/v4/associations/:fromType/:toType/batch/read', (req, res) => {
    if (
      OBJECT_TYPES[req.params.fromType as string] !== 'deals' ||
      OBJECT_TYPES[req.params.toType as string] !== 'companies'
    ) {
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        'The sandbox serves deal → company associations only',
      );
    }
    const body = associationsBody.safeParse(req.body);
    if (!body.success)
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        'Invalid input: at most 1000 inputs of { id }',
      );
    const portal = res.locals.portal as SandboxPortal;
    const results = body.data.inputs
      .filter((input) => (portal.dealCompanies.get(input.id) ?? []).length > 0)
      .map((input) => ({
        from: { id: input.id },
        to: portal.dealCompanies
          .get(input.id)!
          .map((a) => ({ toObjectId: Number(a.toObjectId), associationTypes: a.associationTypes })),
      }));
    const without = body.data.inputs
      .filter((input) => !(portal.dealCompanies.get(input.id) ?? []).length)
      .map((input) => input.id);
    sendBatch(
      res,
      results,
      without.map((id) => ({
        category: 'OBJECT_NOT_FOUND',
        message: `No companies is associated with deal ${id}.`,
        context: { fromObjectId: [id] },
      })),
    );
  });

  /** The deal→company association labels (v4 schema definitions). */
  router.get('/v4/associations/:fromType/:toType/labels', (req, res) => {
    if (!dealToCompany(req, res)) return;
    res.json({
      results: DEAL_COMPANY_LABELS.map((type) => ({
        category: type.category,
        typeId: type.typeId,
        label: type.label,
      })),
    });
  });

  /** Associates a deal with a company under the given labels (v4 basic create); adds to what is there. */
  router.put('/v4/objects/:fromType/:fromId/associations/:toType/:toId', (req, res) => {
    if (!dealToCompany(req, res)) return;
    const portal = res.locals.portal as SandboxPortal;
    const specs = associationSpecs.safeParse(req.body);
    if (!specs.success)
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        'Invalid input: an array of association specs',
      );
    const dealId = String(req.params.fromId);
    const companyId = String(req.params.toId);
    if (!portal.objects.deals.has(dealId) || !portal.objects.companies.has(companyId))
      return hubspotError(
        res,
        404,
        'OBJECT_NOT_FOUND',
        `No deal ${dealId} or company ${companyId}`,
      );
    const types = specs.data.map((spec) =>
      DEAL_COMPANY_LABELS.find(
        (t) => t.typeId === spec.associationTypeId && t.category === spec.associationCategory,
      ),
    );
    if (types.some((t) => !t))
      return hubspotError(res, 400, 'VALIDATION_ERROR', 'Unknown association type');
    const association = (res.locals.store as HubSpotSandboxStore).associate(
      portal,
      dealId,
      companyId,
      types as AssociationType[],
    );
    // HubSpot answers the create with 201, and its client takes nothing else as success.
    res.status(201).json({
      fromObjectTypeId: '0-3',
      fromObjectId: Number(dealId),
      toObjectTypeId: '0-2',
      toObjectId: Number(companyId),
      labels: association.associationTypes.map((t) => t.label).filter(Boolean),
    });
  });

  return router;
}

function dealToCompany(req: Request, res: Response): boolean {
  const from = req.params.fromType ?? req.params.objectType;
  if (
    OBJECT_TYPES[String(from)] === 'deals' &&
    OBJECT_TYPES[String(req.params.toType)] === 'companies'
  )
    return true;
  hubspotError(res, 400, 'VALIDATION_ERROR', 'The sandbox serves deal → company associations only');
  return false;
}
