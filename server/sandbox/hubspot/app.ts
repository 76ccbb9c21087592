import express, { type Express } from 'express';

import { hubspotError } from './errors';
import { oauthRoutes } from './oauth-routes';
import { objectRoutes } from './object-routes';
import {
  dailyLimit,
  type FaultOptions,
  injectFaults,
  rateLimit,
  type RateLimitOptions,
} from './rate-limit';
import type { HubSpotSandboxStore } from './store';
import { taskRoutes } from './task-routes';
import { writeRoutes } from './write-routes';

/**
 * The subset of HubSpot's API that PartnerLens uses, with HubSpot's paths, shapes, errors and rate
 * limit, so that @hubspot/api-client works against it unchanged (DESIGN.md §2, "local CRM sandbox").
 */
export function createHubSpotSandbox(
  store: HubSpotSandboxStore,
  limits: RateLimitOptions = { max: 110, windowMs: 10_000 },
  options: { installPortalId?: string; faults?: () => FaultOptions | undefined } = {},
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '5mb' }));
  app.use(express.urlencoded({ extended: false }));

  app.use(oauthRoutes(store, () => options.installPortalId));

  const crm = express.Router();
  crm.use((req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const portal = token && store.portalForAccessToken(token);
    if (!portal)
      return hubspotError(
        res,
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found.',
      );
    res.locals.portal = portal;
    res.locals.privateApp = store.isPrivateAppToken(token);
    res.locals.store = store;
    next();
  });
  crm.use(rateLimit(limits));
  crm.use(dailyLimit(limits.now));
  crm.use(injectFaults(options.faults ?? (() => undefined)));
  // Before the generic object routes, which serve deals and companies.
  crm.use(taskRoutes());
  crm.use(objectRoutes());
  crm.use(writeRoutes());
  app.use('/crm', crm);

  app.use((_req, res) => hubspotError(res, 404, 'OBJECT_NOT_FOUND', 'Resource not found'));
  app.use(((error, _req, res, _next) => {
    const status = (error as { status?: number }).status;
    if (status && status < 500)
      return hubspotError(res, status, 'VALIDATION_ERROR', 'Invalid input JSON');
    hubspotError(res, 500, 'INTERNAL_ERROR', 'internal error');
  }) as express.ErrorRequestHandler);
  return app;
}
