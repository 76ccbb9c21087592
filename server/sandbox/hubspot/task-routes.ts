import { Router } from 'express';
import { z } from 'zod';

import { hubspotError } from './errors';
import type { SandboxPortal, SandboxTask } from './store';

/** HubSpot-defined association type of a task with a company (tasks → companies). */
export const TASK_TO_COMPANY = 192;
const STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] as const;

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const association = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z
    .array(
      z.object({
        associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
        associationTypeId: z.number().int(),
      }),
    )
    .min(1),
});
const createBody = z.object({
  properties: z.record(z.string(), value),
  associations: z.array(association).optional(),
});
const updateBody = z.object({ properties: z.record(z.string(), value) });
const OPERATORS = [
  'EQ',
  'NEQ',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
// HubSpot's search limits: 5 groups (OR), 6 filters in a group (AND), 18 filters in all, 200 a page.
const searchBody = z.object({
  filterGroups: z
    .array(
      z.object({
        filters: z
          .array(
            z.object({
              propertyName: z.string().min(1),
              operator: z.enum(OPERATORS),
              value: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
              values: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
            }),
          )
          .max(6),
      }),
    )
    .max(5)
    .default([])
    .refine((groups) => groups.reduce((n, g) => n + g.filters.length, 0) <= 18, {
      message: 'at most 18 filters',
    }),
  sorts: z
    .array(
      z.union([
        z.string(),
        z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']) }),
      ]),
    )
    .max(1)
    .default([]),
  properties: z.array(z.string()).default([]),
  limit: z.number().int().min(1).max(200).default(10),
  after: z.union([z.string(), z.number()]).transform(Number).default(0),
});
type SearchFilter = z.infer<typeof searchBody>['filterGroups'][number]['filters'][number];

/** CONTAINS_TOKEN: a whole word of the value (split at anything not a letter or digit); * is a wildcard. */
function containsToken(text: string | null | undefined, token: string): boolean {
  const pattern = new RegExp(
    `^${token
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return (text ?? '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .some((word) => word !== '' && pattern.test(word));
}

function matches(task: SandboxTask, filter: SearchFilter): boolean {
  const actual =
    filter.propertyName === 'hs_object_id' ? task.id : task.properties[filter.propertyName];
  const wanted = filter.value ?? '';
  switch (filter.operator) {
    case 'EQ':
      return (actual ?? '').toLowerCase() === wanted.toLowerCase();
    case 'NEQ':
      return (actual ?? '').toLowerCase() !== wanted.toLowerCase();
    case 'IN':
      return (filter.values ?? []).some((v) => v.toLowerCase() === (actual ?? '').toLowerCase());
    case 'NOT_IN':
      return !(filter.values ?? []).some((v) => v.toLowerCase() === (actual ?? '').toLowerCase());
    case 'HAS_PROPERTY':
      return actual !== undefined && actual !== null && actual !== '';
    case 'NOT_HAS_PROPERTY':
      return actual === undefined || actual === null || actual === '';
    case 'CONTAINS_TOKEN':
      return containsToken(actual, wanted);
    case 'NOT_CONTAINS_TOKEN':
      return !containsToken(actual, wanted);
  }
}

const text = (v: z.infer<typeof value>) => (v === null ? null : String(v));

function present(task: SandboxTask, withCompanies: boolean) {
  return {
    id: task.id,
    properties: { ...task.properties, hs_object_id: task.id },
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    archived: false,
    ...(withCompanies && task.companyIds.length > 0
      ? {
          associations: {
            companies: {
              results: task.companyIds.map((id) => ({ id, type: 'task_to_company' })),
            },
          },
        }
      : {}),
  };
}

/** Checks the properties HubSpot checks on a task: a timestamp, a known status. */
function invalidProperty(properties: Record<string, string | null>, creating: boolean) {
  if (creating && !properties.hs_timestamp) return 'Property "hs_timestamp" is required';
  if (properties.hs_timestamp && Number.isNaN(Date.parse(properties.hs_timestamp)))
    if (!/^\d+$/.test(properties.hs_timestamp)) return 'hs_timestamp is not a date';
  const status = properties.hs_task_status;
  if (status && !(STATUSES as readonly string[]).includes(status))
    return `${status} was not one of the allowed options: ${STATUSES.join(', ')}`;
  return undefined;
}

/**
 * Tasks as the CRM v3 objects API serves them (`/crm/v3/objects/tasks`): create with
 * associations to companies, read (with `associations=companies`), update, archive, search.
 */
export function taskRoutes(): Router {
  const router = Router();
  const portalOf = (res: import('express').Response) => res.locals.portal as SandboxPortal;

  router.post('/v3/objects/tasks', (req, res) => {
    const body = createBody.safeParse(req.body);
    if (!body.success)
      return hubspotError(res, 400, 'VALIDATION_ERROR', 'Invalid input: { properties }');
    const portal = portalOf(res);
    const properties = Object.fromEntries(
      Object.entries(body.data.properties).map(([k, v]) => [k, text(v)]),
    );
    const invalid = invalidProperty(properties, true);
    if (invalid) return hubspotError(res, 400, 'VALIDATION_ERROR', invalid);
    const companyIds: string[] = [];
    for (const link of body.data.associations ?? []) {
      if (!link.types.some((t) => t.associationTypeId === TASK_TO_COMPANY))
        return hubspotError(
          res,
          400,
          'VALIDATION_ERROR',
          'The sandbox associates tasks with companies only (type 192)',
        );
      if (!portal.objects.companies.has(link.to.id))
        return hubspotError(res, 400, 'VALIDATION_ERROR', `No company ${link.to.id} to associate`);
      companyIds.push(link.to.id);
    }
    const now = new Date().toISOString();
    let highest = 0n;
    for (const id of portal.tasks.keys()) if (BigInt(id) > highest) highest = BigInt(id);
    const task: SandboxTask = {
      id: String(highest === 0n ? 60000000001n : highest + 1n),
      properties: {
        hs_task_status: 'NOT_STARTED',
        ...properties,
        hs_createdate: now,
        hs_lastmodifieddate: now,
      },
      createdAt: now,
      updatedAt: now,
      companyIds,
    };
    portal.tasks.set(task.id, task);
    res.status(201).json(present(task, false));
  });

  // The CRM search API on tasks: groups OR'ed, a group's filters AND'ed, the default properties
  // plus those asked for, paged by an offset in `after` as HubSpot's search pages.
  router.post('/v3/objects/tasks/search', (req, res) => {
    const body = searchBody.safeParse(req.body);
    if (!body.success)
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        `Invalid search: ${body.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    const { filterGroups, sorts, properties, limit, after } = body.data;
    const found = [...portalOf(res).tasks.values()].filter(
      (task) =>
        filterGroups.length === 0 ||
        filterGroups.some((group) => group.filters.every((f) => matches(task, f))),
    );
    const sort = sorts[0];
    const by =
      typeof sort === 'string' ? sort.replace(/^-/, '') : (sort?.propertyName ?? 'hs_object_id');
    const descending =
      typeof sort === 'string' ? sort.startsWith('-') : sort?.direction === 'DESCENDING';
    const key = (task: SandboxTask) =>
      by === 'hs_object_id' ? task.id : (task.properties[by] ?? '');
    found.sort((a, b) => {
      const order =
        by === 'hs_object_id' ? Number(BigInt(a.id) - BigInt(b.id)) : key(a).localeCompare(key(b));
      return descending ? -order : order;
    });
    const page = found.slice(after, after + limit);
    const shown = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id', ...properties];
    res.json({
      total: found.length,
      results: page.map((task) => {
        const all = present(task, false);
        const values: Record<string, string | null> = all.properties;
        return {
          ...all,
          properties: Object.fromEntries(shown.map((name) => [name, values[name] ?? null])),
        };
      }),
      ...(after + limit < found.length
        ? { paging: { next: { after: String(after + limit) } } }
        : {}),
    });
  });

  router.get('/v3/objects/tasks/:id', (req, res) => {
    const task = portalOf(res).tasks.get(String(req.params.id));
    if (!task) return hubspotError(res, 404, 'OBJECT_NOT_FOUND', 'Object not found');
    res.json(present(task, String(req.query.associations ?? '').includes('compan')));
  });

  router.patch('/v3/objects/tasks/:id', (req, res) => {
    const body = updateBody.safeParse(req.body);
    if (!body.success)
      return hubspotError(res, 400, 'VALIDATION_ERROR', 'Invalid input: { properties }');
    const portal = portalOf(res);
    const current = portal.tasks.get(String(req.params.id));
    if (!current) return hubspotError(res, 404, 'OBJECT_NOT_FOUND', 'Object not found');
    const properties = Object.fromEntries(
      Object.entries(body.data.properties).map(([k, v]) => [k, text(v)]),
    );
    const invalid = invalidProperty(properties, false);
    if (invalid) return hubspotError(res, 400, 'VALIDATION_ERROR', invalid);
    const now = new Date().toISOString();
    const task = {
      ...current,
      properties: { ...current.properties, ...properties, hs_lastmodifieddate: now },
      updatedAt: now,
    };
    portal.tasks.set(task.id, task);
    res.json(present(task, false));
  });

  router.delete('/v3/objects/tasks/:id', (req, res) => {
    portalOf(res).tasks.delete(String(req.params.id));
    res.status(204).end();
  });

  return router;
}
