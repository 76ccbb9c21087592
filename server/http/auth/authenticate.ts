import type { Request, RequestHandler } from 'express';

import { tenantForApiKey } from '../../db/api-keys';
import type { Queryable } from '../../db/database';
import { findTenantByPortalId } from '../../db/tenants';
import { HttpError, unauthorized } from '../errors';
import { verifyHubSpotV3 } from './hubspot-signature';

export interface Caller {
  tenantId: string;
  via: 'api_key' | 'hubspot';
  /** The HubSpot user behind a card call, when HubSpot says who it is. */
  userId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
    rawBody?: Buffer;
  }
}

export interface AuthOptions {
  db: Queryable;
  hubspotClientSecret: string;
  /** The URL HubSpot calls us at; the signed URL is rebuilt from it behind proxies. */
  publicUrl?: string;
  now: () => number;
}

/** Admin API keys (Bearer) or HubSpot signature v3; the tenant always comes from the verified credential. */
export function authenticate(options: AuthOptions): RequestHandler {
  return async (req, _res, next) => {
    try {
      req.caller = await identify(req, options);
      next();
    } catch (error) {
      next(error);
    }
  };
}

async function identify(req: Request, options: AuthOptions): Promise<Caller> {
  const authorization = req.get('authorization');
  if (authorization) {
    const [scheme, key] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !key)
      throw unauthorized('Use "Authorization: Bearer <api key>"');
    const tenantId = await tenantForApiKey(options.db, key);
    if (!tenantId) throw unauthorized('The API key is unknown or revoked');
    return { tenantId, via: 'api_key' };
  }
  const signature = req.get('x-hubspot-signature-v3');
  if (!signature) throw unauthorized('Send an API key or a HubSpot-signed request');
  const base = options.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
  const check = verifyHubSpotV3(
    {
      method: req.method,
      url: `${base}${req.originalUrl}`,
      rawBody: req.rawBody?.toString('utf8') ?? '',
      timestamp: req.get('x-hubspot-request-timestamp'),
      signature,
    },
    options.hubspotClientSecret,
    options.now(),
  );
  if (!check.ok)
    throw new HttpError(
      401,
      `AUTH.SIGNATURE_${check.reason.toUpperCase()}`,
      `The HubSpot signature is ${check.reason === 'stale' ? 'too old' : check.reason === 'missing' ? 'incomplete' : 'not valid'}`,
    );
  const portalId = typeof req.query.portalId === 'string' ? req.query.portalId : undefined;
  if (!portalId || !/^\d{1,18}$/.test(portalId))
    throw unauthorized('The signed request names no portalId');
  const tenant = await findTenantByPortalId(options.db, portalId);
  if (!tenant)
    throw new HttpError(
      403,
      'AUTH.PORTAL_NOT_INSTALLED',
      `PartnerLens is not installed in portal ${portalId}`,
    );
  const userId = typeof req.query.userId === 'string' ? req.query.userId : undefined;
  return { tenantId: tenant.id, via: 'hubspot', ...(userId ? { userId } : {}) };
}

export function callerOf(req: Request): Caller {
  if (!req.caller) throw new Error('authenticate() must run before this route');
  return req.caller;
}

/** Who to name in audit events for this caller. */
export const actorOf = (caller: Caller) =>
  caller.userId ? `hubspot-user:${caller.userId}` : caller.via;
