import type { Request, RequestHandler } from 'express';

import { accessForApiKey, type ApiKeyRole } from '../../db/api-keys';
import type { Queryable } from '../../db/database';
import { calloutSecretsFor } from '../../db/salesforce-callout-secrets';
import { findTenantByPortalId } from '../../db/tenants';
import type { CryptoBox } from '../../lib/crypto-box';
import { salesforceOrgId } from '../../lib/salesforce-id';
import { HttpError, unauthorized } from '../errors';
import { type SignatureCheck, verifyHubSpotV3 } from './hubspot-signature';
import { SALESFORCE_HEADERS, verifySalesforceRequest } from './salesforce-signature';

export interface Caller {
  tenantId: string;
  via: 'api_key' | 'hubspot' | 'salesforce';
  /** What the caller may do: its key's role, or for a signed CRM call CRM_CALLER_ROLE. */
  role: ApiKeyRole;
  /** The one partner a partner key acts for. */
  partnerId?: string;
  /** The CRM user behind a card call, when the CRM says who it is. */
  userId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
    rawBody?: Buffer;
  }
}

/**
 * The rights of a signed CRM call (HubSpot signature v3, a Salesforce callout): the CRM decides
 * which of its users see the app's cards and screens, and those are the partner team's tools —
 * the deal card, attach and decline on it, registration triage and merge decisions. Never the
 * tenant admin's: the program, refunds, payouts, commission approval or a sync (docs/reliability.md).
 */
export const CRM_CALLER_ROLE: ApiKeyRole = 'admin';

export interface PreviousSecret {
  secret: string;
  /** Without it, until it is taken out of the configuration. */
  validUntil?: number;
}

/** The client secrets that verify a HubSpot signature at `now`: the current one first. */
export const hubspotSecretsAt = (
  options: Pick<AuthOptions, 'hubspotClientSecret' | 'hubspotPreviousClientSecret'>,
  now: number,
): string[] => {
  const previous = options.hubspotPreviousClientSecret;
  return previous && (previous.validUntil === undefined || now < previous.validUntil)
    ? [options.hubspotClientSecret, previous.secret]
    : [options.hubspotClientSecret];
};

export interface AuthOptions {
  db: Queryable;
  hubspotClientSecret: string;
  /** The secret a rotation replaced: it still verifies HubSpot's signatures until `validUntil` (ms). */
  hubspotPreviousClientSecret?: PreviousSecret;
  /** The URL HubSpot calls us at; the signed URL is rebuilt from it behind proxies. */
  publicUrl?: string;
  /** Opens the Salesforce orgs' signing secrets; without it, Salesforce callouts are refused. */
  box?: CryptoBox;
  now: () => number;
}

/**
 * Admin API keys (Bearer), HubSpot signature v3, or a Salesforce callout signed with its org's
 * secret; the tenant always comes from the verified credential.
 */
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
    const access = await accessForApiKey(options.db, key);
    if (!access) throw unauthorized('The API key is unknown or revoked');
    return access.role === 'partner'
      ? { tenantId: access.tenantId, via: 'api_key', role: 'partner', partnerId: access.partnerId }
      : { tenantId: access.tenantId, via: 'api_key', role: access.role };
  }
  if (req.get(SALESFORCE_HEADERS.signature) !== undefined) return identifySalesforce(req, options);
  const signature = req.get('x-hubspot-signature-v3');
  if (!signature) throw unauthorized('Send an API key or a HubSpot-signed request');
  const base = options.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
  const now = options.now();
  const check = verifyHubSpotV3(
    {
      method: req.method,
      url: `${base}${req.originalUrl}`,
      rawBody: req.rawBody?.toString('utf8') ?? '',
      timestamp: req.get('x-hubspot-request-timestamp'),
      signature,
    },
    hubspotSecretsAt(options, now),
    now,
  );
  if (!check.ok) throw signatureError('HubSpot', check);
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
  const [connection] = await options.db.query<{ status: string }>(
    `select status from crm_credentials where tenant_id = $1 and provider = 'hubspot'`,
    [tenant.id],
  );
  if (connection?.status === 'disconnected')
    throw new HttpError(
      403,
      'AUTH.APP_UNINSTALLED',
      `PartnerLens was uninstalled from portal ${portalId}: install it again to see partners here (its HubSpot records are kept for 90 days; commissions and registrations for good)`,
    );
  const userId = typeof req.query.userId === 'string' ? req.query.userId : undefined;
  return {
    tenantId: tenant.id,
    via: 'hubspot',
    role: CRM_CALLER_ROLE,
    ...(userId ? { userId } : {}),
  };
}

const signatureError = (crm: string, check: SignatureCheck & { ok: false }) =>
  new HttpError(
    401,
    `AUTH.SIGNATURE_${check.reason.toUpperCase()}`,
    `The ${crm} signature is ${check.reason === 'stale' ? 'too old' : check.reason === 'missing' ? 'incomplete' : 'not valid'}`,
  );

/** The same shape as signature v3: the tenant is the one the signed org id belongs to. */
async function identifySalesforce(req: Request, options: AuthOptions): Promise<Caller> {
  const orgId = salesforceOrgId(req.get(SALESFORCE_HEADERS.orgId) ?? '');
  if (!orgId) throw unauthorized('The Salesforce callout names no org id');
  const userId = req.get(SALESFORCE_HEADERS.userId) ?? '';
  if (userId !== '' && !/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(userId))
    throw unauthorized('The Salesforce user id is not a user id');
  if (!options.box) throw unauthorized('This service takes no Salesforce callouts');
  const now = options.now();
  const known = await calloutSecretsFor(options.db, options.box, orgId, now);
  if (!known)
    throw new HttpError(
      403,
      'AUTH.ORG_NOT_CONNECTED',
      `PartnerLens has no signing secret for Salesforce org ${orgId}`,
    );
  const check = verifySalesforceRequest(
    {
      method: req.method,
      path: req.originalUrl,
      rawBody: req.rawBody?.toString('utf8') ?? '',
      timestamp: req.get(SALESFORCE_HEADERS.timestamp),
      orgId,
      userId,
      signature: req.get(SALESFORCE_HEADERS.signature),
    },
    known.secrets,
    now,
  );
  if (!check.ok) throw signatureError('Salesforce', check);
  return {
    tenantId: known.tenantId,
    via: 'salesforce',
    role: CRM_CALLER_ROLE,
    ...(userId ? { userId } : {}),
  };
}

/**
 * Checks a request's HubSpot signature v3 (card calls and webhooks alike): over the URL HubSpot
 * called (rebuilt from PUBLIC_URL behind a proxy), the exact body bytes and the timestamp.
 */
export function requireHubSpotSignature(
  req: Request,
  options: Pick<
    AuthOptions,
    'hubspotClientSecret' | 'hubspotPreviousClientSecret' | 'publicUrl' | 'now'
  >,
): void {
  const base = options.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
  const now = options.now();
  const check = verifyHubSpotV3(
    {
      method: req.method,
      url: `${base}${req.originalUrl}`,
      rawBody: req.rawBody?.toString('utf8') ?? '',
      timestamp: req.get('x-hubspot-request-timestamp'),
      signature: req.get('x-hubspot-signature-v3'),
    },
    hubspotSecretsAt(options, now),
    now,
  );
  if (!check.ok)
    throw new HttpError(
      401,
      `AUTH.SIGNATURE_${check.reason.toUpperCase()}`,
      `The HubSpot signature is ${check.reason === 'stale' ? 'too old' : check.reason === 'missing' ? 'incomplete' : 'not valid'}`,
    );
}

export function callerOf(req: Request): Caller {
  if (!req.caller) throw new Error('authenticate() must run before this route');
  return req.caller;
}

/** Who to name in audit events for this caller. */
export const actorOf = (caller: Caller) =>
  caller.userId ? `${caller.via}-user:${caller.userId}` : caller.via;
