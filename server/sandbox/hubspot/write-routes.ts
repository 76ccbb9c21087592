import { Router } from 'express';
import { z } from 'zod';

import { hubspotError } from './errors';
import { OBJECT_TYPES, present } from './object-routes';
import type { HubSpotSandboxStore, SandboxObjectType, SandboxPortal } from './store';

const properties = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const createBody = z.object({ properties, associations: z.array(z.unknown()).optional() });
const updateBody = z.object({ properties });

const text = (value: string | number | boolean | null) => (value === null ? null : String(value));

/**
 * What the app and the official client write: create, update (PATCH) and archive of deals and
 * companies, and the removal of a deal's association with a company. Each change goes through the
 * store, so installed apps hear of it by webhook.
 */
export function writeRoutes(): Router {
  const router = Router();
  const context = (req: { params: Record<string, string> }, res: import('express').Response) => {
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
    return {
      type,
      portal: res.locals.portal as SandboxPortal,
      store: res.locals.store as HubSpotSandboxStore,
    };
  };

  router.post('/v3/objects/:objectType', (req, res) => {
    const at = context(req, res);
    if (!at) return;
    const body = createBody.safeParse(req.body);
    if (!body.success)
      return hubspotError(res, 400, 'VALIDATION_ERROR', 'Invalid input: { properties }');
    const now = new Date().toISOString();
    const id = nextId(at.portal, at.type);
    const object = {
      id,
      properties: {
        ...Object.fromEntries(Object.entries(body.data.properties).map(([k, v]) => [k, text(v)])),
        createdate: now,
        hs_lastmodifieddate: now,
      },
      createdAt: now,
      updatedAt: now,
    };
    at.store.putObject(at.portal, at.type, object);
    res.status(201).json(present(object, Object.keys(body.data.properties)));
  });

  router.patch('/v3/objects/:objectType/:id', (req, res) => {
    const at = context(req, res);
    if (!at) return;
    const body = updateBody.safeParse(req.body);
    if (!body.success)
      return hubspotError(res, 400, 'VALIDATION_ERROR', 'Invalid input: { properties }');
    const current = at.portal.objects[at.type].get(String(req.params.id));
    if (!current)
      return hubspotError(res, 404, 'OBJECT_NOT_FOUND', `No ${at.type} ${req.params.id}`);
    const now = new Date().toISOString();
    const object = {
      ...current,
      properties: {
        ...current.properties,
        ...Object.fromEntries(Object.entries(body.data.properties).map(([k, v]) => [k, text(v)])),
        hs_lastmodifieddate: now,
      },
      updatedAt: now,
    };
    at.store.putObject(at.portal, at.type, object);
    res.json(present(object, Object.keys(body.data.properties)));
  });

  router.delete('/v3/objects/:objectType/:id', (req, res) => {
    const at = context(req, res);
    if (!at) return;
    // HubSpot answers an archive with 204, whether or not the object was there.
    if (at.portal.objects[at.type].has(String(req.params.id)))
      at.store.deleteObject(at.portal, at.type, String(req.params.id));
    res.status(204).end();
  });

  router.delete('/v4/objects/:objectType/:id/associations/:toType/:toId', (req, res) => {
    const at = context(req, res);
    if (!at) return;
    if (at.type !== 'deals' || OBJECT_TYPES[String(req.params.toType)] !== 'companies')
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        'The sandbox serves deal → company associations only',
      );
    at.store.dissociate(at.portal, String(req.params.id), String(req.params.toId));
    res.status(204).end();
  });

  return router;
}

/** HubSpot ids are numbers: the next one after the portal's highest of this type. */
function nextId(portal: SandboxPortal, type: SandboxObjectType): string {
  let highest = 0n;
  for (const id of portal.objects[type].keys()) if (BigInt(id) > highest) highest = BigInt(id);
  return String(highest + 1n);
}
