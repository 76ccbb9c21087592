import { Router } from 'express';
import type { Logger } from 'pino';

import {
  exchangeHubSpotCode,
  type HubSpotApp,
  storeHubSpotRefreshToken,
} from '../../crm/hubspot/credentials';
import { checkOAuthCallback, issueOAuthState } from '../../crm/oauth-state';
import { recordAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import { createTenant, findTenantByPortalId } from '../../db/tenants';
import type { CryptoBox } from '../../lib/crypto-box';
import type { CrmSyncQueue } from '../../queue/queues';
import { publicRoute } from '../access';
import { installPage } from '../install-page';

export interface HubSpotInstallSettings {
  app: HubSpotApp;
  /** HubSpot's consent screen (the local HubSpot's in development). */
  authorizeUrl: string;
  /** Where HubSpot sends the admin back: this service's /oauth/hubspot/callback. */
  redirectUri: () => string;
  /** The scopes the app declares (app-hsmeta.json). */
  scopes: readonly string[];
}

/**
 * The marketplace install: to HubSpot's consent with a sealed, expiring, single-use state, and
 * back: the code exchanged, the portal learnt, the tenant created or re-linked (a re-install keeps
 * its data), tokens sealed, the first sync queued, and a page saying what happened. A failure
 * says what went wrong and writes nothing.
 */
export function hubspotInstallRoutes(deps: {
  db: Database;
  box: CryptoBox;
  install: HubSpotInstallSettings;
  crmSync: CrmSyncQueue;
  now: () => number;
  logger: Logger;
}): Router {
  const router = Router();
  const page = (
    res: import('express').Response,
    status: number,
    content: Parameters<typeof installPage>[0],
  ) => res.status(status).type('html').send(installPage(content));
  const failed = (res: import('express').Response, status: number, title: string, why: string) =>
    page(res, status, {
      ok: false,
      title,
      paragraphs: [why, 'Nothing was installed or changed.'],
      next: ['Start the install again from the HubSpot marketplace (or /oauth/hubspot/install).'],
    });

  router.get(
    '/oauth/hubspot/install',
    publicRoute("the start of a browser's install redirect"),
    async (_req, res) => {
      const state = await issueOAuthState(deps.db, deps.box, 'hubspot', deps.now());
      const url = new URL(deps.install.authorizeUrl);
      url.searchParams.set('client_id', deps.install.app.clientId);
      url.searchParams.set('redirect_uri', deps.install.redirectUri());
      url.searchParams.set('scope', deps.install.scopes.join(' '));
      url.searchParams.set('state', state);
      res.redirect(302, url.toString());
    },
  );

  router.get(
    '/oauth/hubspot/callback',
    publicRoute("HubSpot's OAuth redirect, bound to a stored state"),
    async (req, res) => {
      const callback = await checkOAuthCallback(
        deps.db,
        deps.box,
        req.query,
        'hubspot',
        deps.now(),
      );
      if (!callback.ok)
        return failed(
          res,
          400,
          {
            not_ours: 'This is not an install HubSpot sent back',
            state: 'This install link cannot be used',
            refused: 'PartnerLens was not installed',
          }[callback.stage],
          callback.why,
        );
      let tokens;
      try {
        tokens = await exchangeHubSpotCode(
          deps.install.app,
          callback.code,
          deps.install.redirectUri(),
        );
      } catch (error) {
        deps.logger.warn({ err: error }, 'HubSpot install: the code exchange failed');
        return failed(
          res,
          502,
          'PartnerLens could not finish the install',
          'HubSpot did not accept the install’s code.',
        );
      }
      const portalId = tokens.portalId;
      if (!portalId)
        return failed(
          res,
          502,
          'PartnerLens could not finish the install',
          'HubSpot did not say which portal it is.',
        );
      const { tenant, reinstalled, syncing } = await deps.db.transaction(async (tx) => {
        // Two callbacks for one new portal (a double click, a retried redirect) take turns here:
        // the second finds the tenant the first created and is a re-install, not a unique violation.
        await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `hubspot-install:${portalId}`,
        ]);
        const existing = await findTenantByPortalId(tx, portalId);
        const [connection] = existing
          ? await tx.query<{ first_sync_pending: boolean }>(
              // (A first sync that failed wrote its error: a re-install then asks for one again.)
              `select status = 'connected' and last_sync_at is null and last_error is null
                        and updated_at > now() - interval '10 minutes' as first_sync_pending
                 from crm_credentials where tenant_id = $1 and provider = 'hubspot'`,
              [existing.id],
            )
          : [];
        const tenant =
          existing ??
          (await createTenant(tx, {
            name: `HubSpot portal ${portalId}`,
            hubspotPortalId: portalId,
          }));
        await storeHubSpotRefreshToken(tx, deps.box, tenant.id, tokens.refreshToken, portalId, {
          token: tokens.accessToken,
          expiresAt: new Date(deps.now() + tokens.expiresIn * 1000),
        });
        await recordAudit(tx, {
          tenantId: tenant.id,
          actor: 'hubspot-install',
          action: existing ? 'tenant.reinstalled' : 'tenant.installed',
          subjectType: 'tenant',
          subjectId: tenant.id,
          details: { crm: 'hubspot', portalId },
        });
        // Connected minutes ago and never synced: the install it raced queued its first sync.
        const syncing = connection?.first_sync_pending === true;
        return { tenant, reinstalled: Boolean(existing), syncing };
      });
      let queued = true;
      if (!syncing)
        await deps.crmSync.sync(tenant.id, { crm: 'hubspot' }).catch((error: unknown) => {
          queued = false;
          deps.logger.warn({ err: error }, 'HubSpot install: the first sync was not queued');
        });
      page(res, 200, {
        ok: true,
        title: reinstalled ? 'PartnerLens is installed again' : 'PartnerLens is installed',
        paragraphs: [
          `HubSpot portal ${portalId} is connected${reinstalled ? ' again; its data in PartnerLens was kept' : ''}.`,
          queued
            ? 'Its companies and deals are being read now: the first sync takes a minute for a few thousand deals.'
            : 'Its first sync starts with the next scheduled one.',
        ],
        next: [
          'Open any deal in HubSpot: the PartnerLens card shows its partners, conflicts and co-sell suggestions.',
          'Set up the program (protection windows, rates, auto-approval) in HubSpot, on PartnerLens’s settings page.',
          'Import your partner program and partners’ account lists there too, and watch sync health.',
        ],
      });
    },
  );
  return router;
}
