import { Client } from '@hubspot/api-client';
import { z } from 'zod';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { CrmAuthError } from '../port';
import type { DailyBudget } from './daily-budget';
import { bindLimiter, type PortalLimiter } from './rate-limiter';

export interface HubSpotApp {
  clientId: string;
  clientSecret: string;
  apiBase: string;
}

// Refresh a little before HubSpot would reject the token, so a long sync does not straddle expiry.
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * HubSpot's current token endpoint. @hubspot/api-client 13 (and 14) still calls /oauth/v1/token,
 * which HubSpot removes on 2027-02-16, so tokens are asked for here with plain fetch.
 */
const TOKEN_PATH = '/oauth/2026-03/token';

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive(),
  hub_id: z.number().int().positive().optional(),
});
const tokenError = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  status: z.string().optional(),
});

export interface HubSpotTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  /** The portal (hub id) the tokens are for. */
  portalId: string | undefined;
}

export const sealContext = (tenantId: string, column: string) => `${tenantId}:hubspot:${column}`;

/** A form-encoded call to HubSpot's token endpoint; a refused grant is a CrmAuthError. */
async function requestTokens(
  app: HubSpotApp,
  form: Record<string, string>,
  previousRefreshToken?: string,
): Promise<HubSpotTokens> {
  const response = await fetch(`${app.apiBase.replace(/\/$/, '')}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      ...form,
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = tokenError.safeParse(body);
    const code = error.success ? (error.data.error ?? error.data.status) : undefined;
    if (response.status >= 500)
      throw new Error(`HubSpot's token endpoint answered ${response.status}`);
    // A refresh token HubSpot no longer knows: the app was uninstalled from the portal.
    const uninstalled = code === 'invalid_grant' || code === 'BAD_REFRESH_TOKEN';
    throw new CrmAuthError(
      `HubSpot refused the ${form.grant_type === 'refresh_token' ? "tenant's refresh token" : 'install code'} (${response.status}${code ? ` ${code}` : ''})`,
      uninstalled && form.grant_type === 'refresh_token',
    );
  }
  const tokens = tokenAnswer.safeParse(body);
  if (!tokens.success)
    throw new Error(
      `HubSpot's token answer is not usable: ${tokens.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  const refreshToken = tokens.data.refresh_token ?? previousRefreshToken;
  if (!refreshToken) throw new Error("HubSpot's token answer has no refresh token");
  return {
    accessToken: tokens.data.access_token,
    refreshToken,
    expiresIn: tokens.data.expires_in,
    portalId: tokens.data.hub_id === undefined ? undefined : String(tokens.data.hub_id),
  };
}

/** An install's code for the portal's tokens (and the portal's id). */
export function exchangeHubSpotCode(
  app: HubSpotApp,
  code: string,
  redirectUri: string,
): Promise<HubSpotTokens> {
  return requestTokens(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
}

/** Connects (or re-connects) the tenant's portal: its tokens, sealed; the connection is live again. */
export async function storeHubSpotRefreshToken(
  db: Queryable,
  box: CryptoBox,
  tenantId: string,
  refreshToken: string,
  portalId?: string,
  access?: { token: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    `insert into crm_credentials (tenant_id, provider, refresh_token_enc, external_id, access_token_enc, access_token_expires_at)
     values ($1, 'hubspot', $2, $3, $4, $5)
     on conflict (tenant_id, provider) do update
       set refresh_token_enc = excluded.refresh_token_enc, access_token_enc = excluded.access_token_enc,
           access_token_expires_at = excluded.access_token_expires_at,
           external_id = coalesce(excluded.external_id, crm_credentials.external_id),
           status = 'connected', status_reason = null, updated_at = now()`,
    [
      tenantId,
      box.seal(refreshToken, sealContext(tenantId, 'refresh_token')),
      portalId ?? null,
      access ? box.seal(access.token, sealContext(tenantId, 'access_token')) : null,
      access?.expiresAt ?? null,
    ],
  );
}

interface CredentialRow {
  refresh_token_enc: string | null;
  access_token_enc: string | null;
  access_token_expires_at: Date | null;
  external_id: string | null;
}

/** A valid access token for the tenant's portal (and the portal), refreshed when due. */
export async function hubspotAccessToken(
  db: Queryable,
  box: CryptoBox,
  app: HubSpotApp,
  tenantId: string,
  now: number,
  options: { refresh?: boolean } = {},
): Promise<{ token: string; portalId: string | null }> {
  const [row] = await db.query<CredentialRow>(
    `select refresh_token_enc, access_token_enc, access_token_expires_at, external_id
       from crm_credentials where tenant_id = $1 and provider = 'hubspot' and status <> 'disconnected'`,
    [tenantId],
  );
  if (!row?.refresh_token_enc)
    throw new CrmAuthError(`Tenant ${tenantId} has no HubSpot connection`);
  if (
    !options.refresh &&
    row.access_token_enc &&
    row.access_token_expires_at &&
    row.access_token_expires_at.getTime() - REFRESH_MARGIN_MS > now
  ) {
    return {
      token: box.open(row.access_token_enc, sealContext(tenantId, 'access_token')),
      portalId: row.external_id,
    };
  }
  const refreshToken = box.open(row.refresh_token_enc, sealContext(tenantId, 'refresh_token'));
  const tokens = await requestTokens(
    app,
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    refreshToken,
  );
  await db.query(
    `update crm_credentials
        set access_token_enc = $2, access_token_expires_at = $3, refresh_token_enc = $4,
            external_id = coalesce($5, external_id), updated_at = now()
      where tenant_id = $1 and provider = 'hubspot'`,
    [
      tenantId,
      box.seal(tokens.accessToken, sealContext(tenantId, 'access_token')),
      new Date(now + tokens.expiresIn * 1000),
      box.seal(tokens.refreshToken, sealContext(tenantId, 'refresh_token')),
      tokens.portalId ?? null,
    ],
  );
  return { token: tokens.accessToken, portalId: tokens.portalId ?? row.external_id };
}

/**
 * The official client on the tenant's token, tied to the portal's limiter (and the connection's
 * daily budget): withRetries takes a turn of it before each call and follows the rate-limit
 * headers of every answer, through call-time middleware.
 * (@hubspot/api-client 13.5 ignores the `middleware` option: its generated APIs apply only
 * call-time middleware, so the limiter cannot live in the client.) The client's own retries are
 * off: it waits ten seconds per attempt after a 429.
 */
export function hubspotClient(
  app: HubSpotApp,
  accessToken: string,
  limiter?: PortalLimiter,
  budget?: DailyBudget,
): Client {
  const client = new Client({
    accessToken,
    basePath: app.apiBase.replace(/\/$/, ''),
    numberOfApiCallRetries: 0,
  });
  return bindLimiter(client, limiter, budget);
}
