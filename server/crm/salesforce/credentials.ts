// 'jsforce/lib' is the package's own entry without its ambient 'faye' typings, which would clash with
// the local Salesforce's (sandbox/salesforce/faye.d.ts) when server code is compiled before it.
import jsforce, { type Connection } from 'jsforce/lib';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { CrmAuthError } from '../port';

export interface SalesforceApp {
  clientId: string;
  clientSecret: string;
  /** login.salesforce.com (test.salesforce.com for sandboxes; the local Salesforce in development). */
  loginUrl: string;
  /** The REST API version PartnerLens speaks, "64.0". */
  apiVersion: string;
}

export interface SalesforceTokens {
  accessToken: string;
  refreshToken: string;
  instanceUrl: string;
  orgId: string;
  userId: string;
}

export const sealContext = (tenantId: string, column: string) => `${tenantId}:salesforce:${column}`;

export const salesforceOAuth = (app: SalesforceApp, redirectUri?: string) =>
  new jsforce.OAuth2({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    loginUrl: app.loginUrl,
    ...(redirectUri ? { redirectUri } : {}),
  });

/**
 * An install's code for the org's tokens; the org and user come from the identity URL the token
 * answer names (jsforce reads it into userInfo). A refused code is a CrmAuthError.
 */
export async function exchangeSalesforceCode(
  app: SalesforceApp,
  code: string,
  redirectUri: string,
): Promise<SalesforceTokens> {
  const conn = new jsforce.Connection({
    oauth2: salesforceOAuth(app, redirectUri),
    version: app.apiVersion,
  });
  let user;
  try {
    user = await conn.authorize(code);
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'invalid_grant' || name === 'invalid_client' || name === 'invalid_client_id')
      throw new CrmAuthError(`Salesforce refused the install code (${name})`);
    throw error;
  }
  if (!conn.refreshToken || !conn.accessToken || !conn.instanceUrl)
    throw new Error('Salesforce’s token answer has no refresh token or instance URL');
  if (!/^00D[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/.test(user.organizationId))
    throw new Error('Salesforce’s identity URL names no organisation');
  return {
    accessToken: conn.accessToken,
    refreshToken: conn.refreshToken,
    instanceUrl: conn.instanceUrl,
    orgId: user.organizationId,
    userId: user.id,
  };
}

/** Connects (or re-connects) the tenant's org: its tokens sealed, the connection live again. */
export async function storeSalesforceTokens(
  db: Queryable,
  box: CryptoBox,
  tenantId: string,
  tokens: Pick<SalesforceTokens, 'refreshToken' | 'instanceUrl' | 'orgId'> & {
    accessToken?: string;
  },
): Promise<void> {
  await db.query(
    `insert into crm_credentials (tenant_id, provider, refresh_token_enc, access_token_enc, external_id, instance_url)
     values ($1, 'salesforce', $2, $3, $4, $5)
     on conflict (tenant_id, provider) do update
       set refresh_token_enc = excluded.refresh_token_enc, access_token_enc = excluded.access_token_enc,
           access_token_expires_at = null, external_id = excluded.external_id,
           instance_url = excluded.instance_url, disconnected_at = null,
           status = 'connected', status_reason = null, updated_at = now()`,
    [
      tenantId,
      box.seal(tokens.refreshToken, sealContext(tenantId, 'refresh_token')),
      tokens.accessToken
        ? box.seal(tokens.accessToken, sealContext(tenantId, 'access_token'))
        : null,
      tokens.orgId,
      tokens.instanceUrl,
    ],
  );
}

/** A tenant's org through jsforce, and whether Salesforce has refused its refresh token since. */
export interface OrgSession {
  conn: Connection;
  orgId: string;
  /** Set when a refresh was answered invalid_grant: the grant is revoked (or expired). */
  readonly revoked: { reason: string } | undefined;
  /** The usage the last sync stored, until an answer of this session says more. */
  storedUsage: { used: number; limit: number } | undefined;
}

interface CredentialRow {
  refresh_token_enc: string | null;
  access_token_enc: string | null;
  external_id: string | null;
  instance_url: string | null;
  api_used: number | null;
  api_limit: number | null;
}

/**
 * The tenant's org as a jsforce connection on its stored tokens. On INVALID_SESSION_ID jsforce
 * refreshes through `refreshFn`, and the new access token is sealed back; a refresh Salesforce
 * refuses marks the session revoked (the caller turns the failure into a CrmAuthError).
 */
export async function openOrgSession(
  db: Queryable,
  box: CryptoBox,
  app: SalesforceApp,
  tenantId: string,
): Promise<OrgSession> {
  const [row] = await db.query<CredentialRow>(
    `select refresh_token_enc, access_token_enc, external_id, instance_url, api_used, api_limit
       from crm_credentials where tenant_id = $1 and provider = 'salesforce' and status <> 'disconnected'`,
    [tenantId],
  );
  if (!row?.refresh_token_enc || !row.instance_url || !row.external_id)
    throw new CrmAuthError(`Tenant ${tenantId} has no Salesforce connection`);
  const refreshToken = box.open(row.refresh_token_enc, sealContext(tenantId, 'refresh_token'));
  const oauth2 = salesforceOAuth(app);
  const state: { revoked: { reason: string } | undefined } = { revoked: undefined };
  const conn = new jsforce.Connection({
    oauth2,
    instanceUrl: row.instance_url,
    accessToken: row.access_token_enc
      ? box.open(row.access_token_enc, sealContext(tenantId, 'access_token'))
      : 'none',
    version: app.apiVersion,
    refreshFn: (_conn, callback) => {
      oauth2.refreshToken(refreshToken).then(
        (answer) => callback(null, answer.access_token, answer),
        (error: Error & { name?: string }) => {
          if (error.name === 'invalid_grant')
            state.revoked = {
              reason: `Salesforce refused the org's refresh token: ${error.message}`,
            };
          callback(error);
        },
      );
    },
  });
  conn.on('refresh', (accessToken: string) => {
    void db
      .query(
        `update crm_credentials set access_token_enc = $2, updated_at = now()
          where tenant_id = $1 and provider = 'salesforce'`,
        [tenantId, box.seal(accessToken, sealContext(tenantId, 'access_token'))],
      )
      .catch(() => undefined);
  });
  return {
    conn,
    orgId: row.external_id,
    get revoked() {
      return state.revoked;
    },
    storedUsage:
      row.api_used !== null && row.api_limit !== null
        ? { used: row.api_used, limit: row.api_limit }
        : undefined,
  };
}
