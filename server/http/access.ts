import type { Express, Request, RequestHandler, Router } from 'express';

import type { ApiKeyRole } from '../db/api-keys';
import { callerOf } from './auth/authenticate';
import { HttpError, notFound } from './errors';

/**
 * Who may call a route, declared on the route itself and nowhere else:
 *
 *   router.get('/registrations', allow('viewer', 'partner_manager', 'partner'), handler)
 *   app.get('/healthz', publicRoute('a liveness probe'), handler)
 *
 * `admin` may call every route that takes credentials. A route with neither fails the route-table
 * test (test/server/http/route-access.test.ts), so a new route is covered the day it is added.
 */
export type Role = ApiKeyRole;
export const ROLES: readonly Role[] = ['admin', 'partner_manager', 'viewer', 'partner'];

export type RouteAccess =
  | { kind: 'roles'; roles: readonly Role[] }
  /** No API credential: the route checks what it takes itself (a signature, a token, none). */
  | { kind: 'public'; why: string };

const ACCESS = Symbol('route access');
type Declared = RequestHandler & { [ACCESS]: RouteAccess };

const forbidden = (role: Role) =>
  new HttpError(403, 'AUTH.FORBIDDEN', `A ${role} key may not call this route`);

/** Admin and the roles named; every other caller is answered 403 AUTH.FORBIDDEN. */
export function allow(...roles: Exclude<Role, 'admin'>[]): RequestHandler {
  const allowed: readonly Role[] = ['admin', ...roles];
  const handler: RequestHandler = (req, _res, next) => {
    const { role } = callerOf(req);
    next(allowed.includes(role) ? undefined : forbidden(role));
  };
  return Object.assign(handler, { [ACCESS]: { kind: 'roles', roles: allowed } as RouteAccess });
}

/** A route outside the API keys' reach; `why` says what guards it instead. */
export function publicRoute(why: string): RequestHandler {
  const handler: RequestHandler = (_req, _res, next) => next();
  return Object.assign(handler, { [ACCESS]: { kind: 'public', why } as RouteAccess });
}

/** The read-only routes: every role that reads the tenant's data. */
export const READERS = ['viewer', 'partner_manager'] as const;

/**
 * A partner key sees its own partner only: another partner's id answers 404 as an unknown one
 * would, so a partner cannot tell which ids exist.
 */
export function ownPartnerOnly(req: Request, partnerId: string, what: string): void {
  const caller = callerOf(req);
  if (caller.role === 'partner' && caller.partnerId !== partnerId)
    throw notFound(`${what}.NOT_FOUND`, `No ${what.toLowerCase()} ${partnerId}`);
}

/** The partner a partner key is bound to; undefined for the tenant's own roles. */
export const boundPartnerOf = (req: Request): string | undefined => {
  const caller = callerOf(req);
  return caller.role === 'partner' ? caller.partnerId : undefined;
};

export interface ListedRoute {
  method: string;
  path: string;
  access?: RouteAccess;
}

const MOUNT = Symbol('mount path');

/** Mounts a router under a prefix and remembers it, so listRoutes names the full paths. */
export function mountAt(app: Express, prefix: string, router: Router): void {
  Object.assign(router, { [MOUNT]: prefix });
  app.use(prefix, router);
}

interface StackLayer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle: unknown;
  /** The path the layer was mounted at (Express 5's router keeps it): '/' for `use(router)`. */
  rawPath?: unknown;
}

/**
 * The prefix a nested router's layer adds: where it was mounted, with mountAt or a plain
 * `use(path, router)` alike, so a router mounted either way is listed at the paths it answers.
 */
function mountPathOf(layer: StackLayer, nested: { [MOUNT]?: string }): string {
  const mounted = layer.rawPath ?? nested[MOUNT] ?? '/';
  if (typeof mounted !== 'string')
    throw new Error(
      `listRoutes cannot name the routes of a router mounted at ${String(mounted)}: mount it at a plain path`,
    );
  return mounted === '/' ? '' : mounted.replace(/\/$/, '');
}

/** Every route the app answers, with its full path and the access it declares (if any). */
export function listRoutes(app: Express): ListedRoute[] {
  const root = (app as unknown as { router: { stack: StackLayer[] } }).router;
  const routes: ListedRoute[] = [];
  const walk = (stack: StackLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const declared = layer.route.stack
          .map((inner) => (inner.handle as Partial<Declared>)[ACCESS])
          .find(Boolean);
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all'))
          routes.push({
            method: method.toUpperCase(),
            path: `${prefix}${layer.route.path}`,
            ...(declared ? { access: declared } : {}),
          });
        continue;
      }
      const nested = layer.handle as { stack?: StackLayer[]; [MOUNT]?: string };
      if (Array.isArray(nested.stack)) walk(nested.stack, `${prefix}${mountPathOf(layer, nested)}`);
    }
  };
  walk(root.stack, '');
  return routes;
}
