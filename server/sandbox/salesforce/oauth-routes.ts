import { createHmac } from 'node:crypto';

import { type Response, Router } from 'express';
import { z } from 'zod';

import { formatDateTime } from './field-values';
import type { SalesforceSandboxStore } from './store';

const tokenRequest = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('authorization_code'),
    code: z.string().min(1),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
    redirect_uri: z.string().optional(),
    code_verifier: z.string().optional(),
  }),
  z.object({
    grant_type: z.literal('refresh_token'),
    refresh_token: z.string().min(1),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
  }),
]);

const authorizeQuery = z.object({
  response_type: z.string(),
  client_id: z.string(),
  redirect_uri: z.string().url(),
  state: z.string().optional(),
  scope: z.string().optional(),
  code_challenge: z.string().optional(),
  org: z.string().optional(),
});

/** RFC 6749 error answer, as Salesforce's token endpoint words it. */
const oauthError = (res: Response, error: string, description: string, status = 400) =>
  res.status(status).json({ error, error_description: description });

/** Salesforce's OAuth 2.0 web-server flow, refresh and revoke, and the identity URL. */
export function oauthRoutes(store: SalesforceSandboxStore): Router {
  const router = Router();
  const app = store.app;
  const identityUrl = (orgId: string, userId: string) => `${store.baseUrl}/id/${orgId}/${userId}`;
  const redirectAllowed = (uri: string) => !app.redirectUris || app.redirectUris.includes(uri);

  // The consent page: the sandbox's user approves at once, so the browser step is one redirect.
  router.get('/services/oauth2/authorize', (req, res) => {
    const query = authorizeQuery.safeParse(req.query);
    if (!query.success)
      return res
        .status(400)
        .type('text/plain')
        .send('error=invalid_request&error_description=missing required parameters');
    const { client_id, redirect_uri, state, code_challenge } = query.data;
    if (client_id !== app.clientId)
      return res
        .status(400)
        .type('text/plain')
        .send('error=invalid_client_id&error_description=client identifier invalid');
    if (!redirectAllowed(redirect_uri))
      return res
        .status(400)
        .type('text/plain')
        .send(
          'error=redirect_uri_mismatch&error_description=redirect_uri must match configuration',
        );
    const target = new URL(redirect_uri);
    if (state !== undefined) target.searchParams.set('state', state);
    const org = query.data.org ? store.org(query.data.org) : store.orgs[0];
    if (query.data.response_type !== 'code' || !org) {
      target.searchParams.set('error', org ? 'unsupported_response_type' : 'access_denied');
      target.searchParams.set(
        'error_description',
        org ? 'response type not supported' : 'no such org',
      );
      return res.redirect(302, target.toString());
    }
    target.searchParams.set('code', store.issueCode(org.orgId, redirect_uri, code_challenge));
    res.redirect(302, target.toString());
  });

  router.post('/services/oauth2/token', (req, res) => {
    const parsed = tokenRequest.safeParse(req.body ?? {});
    if (!parsed.success) {
      const grant = (req.body as { grant_type?: unknown } | undefined)?.grant_type;
      return grant === 'authorization_code' || grant === 'refresh_token'
        ? oauthError(res, 'invalid_request', 'missing required parameters')
        : oauthError(res, 'unsupported_grant_type', 'grant type not supported');
    }
    const body = parsed.data;
    if (body.client_id !== app.clientId)
      return oauthError(res, 'invalid_client_id', 'client identifier invalid');
    if (body.client_secret !== app.clientSecret)
      return oauthError(res, 'invalid_client', 'invalid client credentials');
    const issued =
      body.grant_type === 'authorization_code'
        ? store.redeemCode(body.code, body.redirect_uri, body.code_verifier)
        : store.refresh(body.refresh_token);
    if (!issued)
      return body.grant_type === 'authorization_code'
        ? oauthError(res, 'invalid_grant', 'invalid authorization code')
        : oauthError(res, 'invalid_grant', 'expired access/refresh token');
    const id = identityUrl(issued.orgId, issued.userId);
    const issuedAt = String(store.now());
    res.set('Cache-Control', 'no-cache, no-store').json({
      access_token: issued.accessToken,
      // Salesforce does not rotate refresh tokens: a refresh answers without one.
      ...('refreshToken' in issued ? { refresh_token: issued.refreshToken } : {}),
      signature: createHmac('sha256', app.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'refresh_token api id',
      instance_url: store.baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    });
  });

  router.all('/services/oauth2/revoke', (req, res) => {
    const value = (req.body as { token?: unknown } | undefined)?.token ?? req.query.token;
    if (typeof value !== 'string' || !store.revoke(value))
      return oauthError(res, 'invalid_token', 'invalid token');
    res.status(200).end();
  });

  router.get('/id/:orgId/:userId', (req, res) => {
    const bearer = /^(?:Bearer|OAuth) (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const tokenValue =
      bearer ?? (typeof req.query.oauth_token === 'string' ? req.query.oauth_token : '');
    const session = store.session(tokenValue);
    const { orgId, userId } = req.params;
    if (!session.ok || session.org.orgId !== orgId)
      return res.status(403).type('text/plain').send('Bad_OAuth_Token');
    const user = session.org.live('User', userId);
    if (!user) return res.status(404).type('text/plain').send('Bad_Id');
    const base = store.baseUrl;
    res.json({
      id: identityUrl(orgId, String(user.Id)),
      asserted_user: user.Id === session.userId,
      user_id: user.Id,
      organization_id: orgId,
      username: user.Username,
      nick_name: String(user.Username).split('@')[0],
      display_name: user.Name,
      email: user.Email,
      email_verified: true,
      first_name: user.FirstName,
      last_name: user.LastName,
      timezone: 'America/Los_Angeles',
      active: user.IsActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28_800_000,
      last_modified_date: formatDateTime(Number(user.LastModifiedDate)),
      is_app_installed: true,
      urls: {
        rest: `${base}/services/data/v{version}/`,
        sobjects: `${base}/services/data/v{version}/sobjects/`,
        query: `${base}/services/data/v{version}/query/`,
        recent: `${base}/services/data/v{version}/recent/`,
        profile: `${base}/${String(user.Id)}`,
        custom_domain: base,
      },
    });
  });

  return router;
}
