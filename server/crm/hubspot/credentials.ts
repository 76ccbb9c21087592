import { Client } from '@hubspot/api-client';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';

export interface HubSpotApp {
  clientId: string;
  clientSecret: string;
  apiBase: string;
}

// Refresh a little before HubSpot would reject the token, so a long sync does not straddle expiry.
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export async function storeHubSpotRefreshToken(
  db: Queryable,
  box: CryptoBox,
  tenantId: string,
  refreshToken: string,
): Promise<void> {
  await db.query(
    `insert into crm_credentials (tenant_id, provider, refresh_token_enc) values ($1, 'hubspot', $2)
     on conflict (tenant_id, provider) do update
       set refresh_token_enc = excluded.refresh_token_enc, access_token_enc = null, access_token_expires_at = null, updated_at = now()`,
    [tenantId, box.seal(refreshToken)],
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
       from crm_credentials where tenant_id = $1 and provider = 'hubspot'`,
    [tenantId],
  );
  if (!row) throw new Error(`Tenant ${tenantId} has no HubSpot connection`);
  if (
    row.access_token_enc &&
    row.access_token_expires_at &&
    row.access_token_expires_at.getTime() - REFRESH_MARGIN_MS > now
  ) {
    return box.open(row.access_token_enc);
  }
  const oauth = new Client({ basePath: app.apiBase });
  const tokens = await oauth.oauth.tokensApi.create(
    'refresh_token',
    undefined,
    undefined,
    app.clientId,
    app.clientSecret,
    box.open(row.refresh_token_enc),
  );
  await db.query(
    `update crm_credentials
        set access_token_enc = $2, access_token_expires_at = $3, refresh_token_enc = $4, updated_at = now()
      where tenant_id = $1 and provider = 'hubspot'`,
    [
      tenantId,
      box.seal(tokens.accessToken),
      new Date(now + tokens.expiresIn * 1000),
      box.seal(tokens.refreshToken),
    ],
  );
  return tokens.accessToken;
}

export function hubspotClient(app: HubSpotApp, accessToken: string): Client {
  // 429s with HubSpot's policy name and 5xx are retried by the client itself.
  return new Client({
    accessToken,
    basePath: app.apiBase.replace(/\/$/, ''),
    numberOfApiCallRetries: 4,
  });
}
