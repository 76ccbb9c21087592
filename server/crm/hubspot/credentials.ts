import { Client } from '@hubspot/api-client';
import { z } from 'zod';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { CrmAuthError } from '../port';

export interface HubSpotApp {
  clientId: string;
  clientSecret: string;
  apiBase: string;
}

// Refresh a little before HubSpot would reject the token, so a long sync does not straddle expiry.
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

const tokenAnswer = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
});

const sealContext = (tenantId: string, column: string) => `${tenantId}:hubspot:${column}`;

/** Connects (or re-connects) the tenant's portal: its refresh token, sealed; the connection is live again. */
export async function storeHubSpotRefreshToken(
  db: Queryable,
  box: CryptoBox,
  tenantId: string,
  refreshToken: string,
  portalId?: string,
): Promise<void> {
  await db.query(
    `insert into crm_credentials (tenant_id, provider, refresh_token_enc, external_id) values ($1, 'hubspot', $2, $3)
     on conflict (tenant_id, provider) do update
       set refresh_token_enc = excluded.refresh_token_enc, access_token_enc = null, access_token_expires_at = null,
           external_id = coalesce(excluded.external_id, crm_credentials.external_id),
           status = 'connected', status_reason = null, updated_at = now()`,
    [tenantId, box.seal(refreshToken, sealContext(tenantId, 'refresh_token')), portalId ?? null],
  );
}

interface CredentialRow {
  refresh_token_enc: string;
  access_token_enc: string | null;
  access_token_expires_at: Date | null;
}

/** A valid access token for the tenant's portal, refreshed through HubSpot's OAuth endpoint when due. */
export async function hubspotAccessToken(
  db: Queryable,
  box: CryptoBox,
  app: HubSpotApp,
  tenantId: string,
  now: number,
): Promise<string> {
  const [row] = await db.query<CredentialRow>(
    `select refresh_token_enc, access_token_enc, access_token_expires_at
       from crm_credentials where tenant_id = $1 and provider = 'hubspot' and status <> 'disconnected'`,
    [tenantId],
  );
  if (!row) throw new CrmAuthError(`Tenant ${tenantId} has no HubSpot connection`);
  if (
    row.access_token_enc &&
    row.access_token_expires_at &&
    row.access_token_expires_at.getTime() - REFRESH_MARGIN_MS > now
  ) {
    return box.open(row.access_token_enc, sealContext(tenantId, 'access_token'));
  }
  const refreshToken = box.open(row.refresh_token_enc, sealContext(tenantId, 'refresh_token'));
  const oauth = new Client({ basePath: app.apiBase.replace(/\/$/, '') });
  let answer: unknown;
  try {
    answer = await oauth.oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      app.clientId,
      app.clientSecret,
      refreshToken,
    );
  } catch (error) {
    const status = (error as { code?: number }).code;
    if (status === 400 || status === 401 || status === 403)
      throw new CrmAuthError(`HubSpot refused the tenant's refresh token (${status})`);
    throw error;
  }
  const tokens = tokenAnswer.safeParse(answer);
  if (!tokens.success)
    throw new Error(
      `HubSpot's token answer is not usable: ${tokens.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  await db.query(
    `update crm_credentials
        set access_token_enc = $2, access_token_expires_at = $3, refresh_token_enc = $4, updated_at = now()
      where tenant_id = $1 and provider = 'hubspot'`,
    [
      tenantId,
      box.seal(tokens.data.accessToken, sealContext(tenantId, 'access_token')),
      new Date(now + tokens.data.expiresIn * 1000),
      box.seal(tokens.data.refreshToken, sealContext(tenantId, 'refresh_token')),
    ],
  );
  return tokens.data.accessToken;
}

export function hubspotClient(app: HubSpotApp, accessToken: string): Client {
  // 429s with HubSpot's policy name and 5xx are retried by the client itself.
  return new Client({
    accessToken,
    basePath: app.apiBase.replace(/\/$/, ''),
    numberOfApiCallRetries: 4,
  });
}
