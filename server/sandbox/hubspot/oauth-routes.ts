import { randomUUID } from 'node:crypto';

import { Router } from 'express';
import { z } from 'zod';

import { hubspotError } from './errors';
import type { HubSpotSandboxStore } from './store';

const SCOPES = [
  'oauth',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.companies.read',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
];

const authorizeQuery = z.object({
  client_id: z.string(),
  redirect_uri: z.url(),
  scope: z.string().optional(),
  state: z.string().optional(),
  portal_id: z.string().regex(/^\d+$/).optional(),
  /** The sandbox's way to try a denied consent. */
  deny: z.enum(['1', 'true']).optional(),
});

const tokenRequest = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('refresh_token'),
    client_id: z.string(),
    client_secret: z.string(),
    refresh_token: z.string(),
  }),
  z.object({
    grant_type: z.literal('authorization_code'),
    client_id: z.string(),
    client_secret: z.string(),
    redirect_uri: z.string(),
    code: z.string(),
  }),
]);

/**
 * HubSpot's OAuth: the authorize (consent) step, the dated token endpoint (2026-03, and its v3
 * alias) with RFC 6749 errors, and the legacy v1 endpoints @hubspot/api-client still calls.
 */
export function oauthRoutes(store: HubSpotSandboxStore, defaultPortal: () => string | undefined) {
  const router = Router();

  // The consent screen grants at once in development: back to the app with a code for the portal.
  router.get(['/oauth/authorize', '/oauth/:accountId/authorize'], (req, res) => {
    const query = authorizeQuery.safeParse(req.query);
    if (!query.success || query.data.client_id !== store.app.clientId)
      return hubspotError(res, 400, 'BAD_CLIENT_ID', 'Unknown client_id or bad redirect_uri');
    const back = new URL(query.data.redirect_uri);
    if (query.data.state) back.searchParams.set('state', query.data.state);
    const portalId =
      query.data.portal_id ?? (req.params.accountId as string | undefined) ?? defaultPortal();
    if (query.data.deny || !portalId || !store.hasPortal(portalId)) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user did not grant access');
      return res.redirect(302, back.toString());
    }
    back.searchParams.set('code', store.authorizationCode(portalId, query.data.redirect_uri));
    res.redirect(302, back.toString());
  });

  router.post(['/oauth/2026-03/token', '/oauth/v3/token'], (req, res) => {
    const parsed = tokenRequest.safeParse(req.body);
    if (!parsed.success)
      return res.status(400).json({
        error: 'invalid_request',
        error_description: 'missing or unknown grant_type or its parameters',
      });
    const body = parsed.data;
    if (body.client_id !== store.app.clientId || body.client_secret !== store.app.clientSecret)
      return res
        .status(401)
        .json({ error: 'invalid_client', error_description: 'bad client credentials' });
    if (body.grant_type === 'authorization_code') {
      const granted = store.exchangeCode(body.code, body.redirect_uri);
      if (!granted)
        return res.status(400).json({
          error: 'invalid_grant',
          error_description: 'the code is unknown, spent, expired or for another redirect_uri',
        });
      return res.json({
        token_type: 'bearer',
        access_token: granted.accessToken,
        refresh_token: granted.refreshToken,
        expires_in: granted.expiresIn,
        hub_id: Number(granted.portalId),
        scopes: SCOPES,
        user_id: 1,
      });
    }
    const issued = store.exchangeRefreshToken(body.refresh_token);
    if (!issued)
      return res.status(400).json({
        error: 'invalid_grant',
        error_description: 'the refresh token is unknown or revoked',
        status: 'BAD_REFRESH_TOKEN',
      });
    res.json({
      token_type: 'bearer',
      access_token: issued.accessToken,
      refresh_token: body.refresh_token,
      expires_in: issued.expiresIn,
      hub_id: Number(store.accessTokenInfo(issued.accessToken)!.portalId),
      scopes: SCOPES,
      user_id: 1,
    });
  });

  // Legacy, removed by HubSpot on 2027-02-16; @hubspot/api-client 13 still calls it.
  router.post('/oauth/v1/token', (req, res) => {
    const parsed = tokenRequest.safeParse(req.body);
    if (!parsed.success || parsed.data.grant_type !== 'refresh_token')
      return hubspotError(
        res,
        400,
        'VALIDATION_ERROR',
        'missing or unknown grant_type or its parameters',
      );
    const { client_id, client_secret, refresh_token } = parsed.data;
    if (client_id !== store.app.clientId || client_secret !== store.app.clientSecret)
      return res.status(400).json({
        status: 'BAD_CLIENT_ID',
        message: 'missing or invalid client credentials',
        correlationId: randomUUID(),
      });
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

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const info = store.accessTokenInfo(req.params.token);
    if (!info)
      return hubspotError(res, 404, 'OBJECT_NOT_FOUND', 'The access token is unknown or expired');
    res.json({
      token: req.params.token,
      hub_id: Number(info.portalId),
      app_id: 1,
      expires_in: info.expiresIn,
      token_type: 'access',
      scopes: SCOPES,
    });
  });

  return router;
}
