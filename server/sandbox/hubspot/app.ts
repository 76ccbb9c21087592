import { randomUUID } from 'node:crypto';

import express, { type Express } from 'express';
import { z } from 'zod';

import { hubspotError } from './errors';
import { objectRoutes } from './object-routes';
import { rateLimit, type RateLimitOptions } from './rate-limit';
import type { HubSpotSandboxStore } from './store';

const tokenRequest = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('refresh_token'),
    client_id: z.string(),
    client_secret: z.string(),
    refresh_token: z.string(),
  }),
]);

/**
 * The subset of HubSpot's API that PartnerLens uses, with HubSpot's paths, shapes, errors and rate
 * limit, so that @hubspot/api-client works against it unchanged (DESIGN.md §2, "local CRM sandbox").
 */
export function createHubSpotSandbox(
  store: HubSpotSandboxStore,
  limits: RateLimitOptions = { max: 110, windowMs: 10_000 },
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '5mb' }));
  app.use(express.urlencoded({ extended: false }));

  app.post('/oauth/v1/token', (req, res) => {
    const parsed = tokenRequest.safeParse(req.body);
    if (!parsed.success)
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        'missing or unknown grant_type or its parameters',
      );
    const { client_id, client_secret, refresh_token } = parsed.data;
    if (client_id !== store.app.clientId || client_secret !== store.app.clientSecret) {
      return res.status(400).json({
        status: 'BAD_CLIENT_ID',
        message: 'missing or invalid client credentials',
        correlationId: randomUUID(),
      });
    }
    const issued = store.exchangeRefreshToken(refresh_token);
    if (!issued)
      return res.status(400).json({
        status: 'BAD_REFRESH_TOKEN',
        message: 'missing or unknown refresh token',
        correlationId: randomUUID(),
      });
    res.json({
      token_type: 'bearer',
      refresh_token,
      access_token: issued.accessToken,
      expires_in: issued.expiresIn,
    });
  });

  app.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const info = store.accessTokenInfo(req.params.token);
    if (!info)
      return hubspotError(res, 404, 'OBJECT_NOT_FOUND', 'The access token is unknown or expired');
    res.json({
      token: req.params.token,
      hub_id: Number(info.portalId),
      app_id: 1,
      expires_in: info.expiresIn,
      token_type: 'access',
      scopes: ['oauth', 'crm.objects.deals.read', 'crm.objects.companies.read'],
    });
  });

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
    next();
  });
  crm.use(rateLimit(limits));
  crm.use(objectRoutes());
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
