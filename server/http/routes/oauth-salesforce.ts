import { type Response, Router } from 'express';
import type { Logger } from 'pino';

import { checkOAuthCallback, issueOAuthState } from '../../crm/oauth-state';
import {
  exchangeSalesforceCode,
  type SalesforceApp,
  salesforceOAuth,
  storeSalesforceTokens,
} from '../../crm/salesforce/credentials';
import { recordAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import { createTenant, findTenantBySalesforceOrgId, linkSalesforceOrg } from '../../db/tenants';
import type { CryptoBox } from '../../lib/crypto-box';
import type { CrmSyncQueue } from '../../queue/queues';
import { publicRoute } from '../access';
import { installPage } from '../install-page';

export interface SalesforceInstallSettings {
  app: SalesforceApp;
  /** Where Salesforce sends the admin back: this service's /oauth/salesforce/callback. */
  redirectUri: () => string;
}

/** api: the REST API; refresh_token: offline access, so syncs run without the admin. */
export const SALESFORCE_SCOPES = ['api', 'refresh_token'] as const;

/**
 * Connecting a Salesforce org: to its consent with a sealed, expiring, single-use state, and back:
 * the code exchanged through jsforce, the org learnt from the identity URL, the tenant created or
 * re-linked by org, tokens sealed, the first sync queued, and a page saying what happened. A
 * failure says what went wrong and writes nothing.
 */
export function salesforceInstallRoutes(deps: {
  db: Database;
  box: CryptoBox;
  install: SalesforceInstallSettings;
  crmSync: CrmSyncQueue;
  now: () => number;
  logger: Logger;
}): Router {
  const router = Router();
  const page = (res: Response, status: number, content: Parameters<typeof installPage>[0]) =>
    res.status(status).type('html').send(installPage(content));
  const failed = (res: Response, status: number, title: string, why: string) =>
    page(res, status, {
      ok: false,
      title,
      paragraphs: [why, 'Nothing was connected or changed.'],
      next: ['Start again from /oauth/salesforce/install, signed in to the org as an admin.'],
    });

  router.get(
    '/oauth/salesforce/install',
    publicRoute("the start of a browser's connect redirect"),
    async (_req, res) => {
      const state = await issueOAuthState(deps.db, deps.box, 'salesforce', deps.now());
      const url = salesforceOAuth(deps.install.app, deps.install.redirectUri()).getAuthorizationUrl(
        {
          scope: SALESFORCE_SCOPES.join(' '),
          state,
        },
      );
      res.redirect(302, url);
    },
  );

  router.get(
    '/oauth/salesforce/callback',
    publicRoute("Salesforce's OAuth redirect, bound to a stored state"),
    async (req, res) => {
      const callback = await checkOAuthCallback(
        deps.db,
        deps.box,
        req.query,
        'salesforce',
        deps.now(),
      );
      if (!callback.ok)
        return failed(
          res,
          400,
          {
            not_ours: 'This is not a connection Salesforce sent back',
            state: 'This connection link cannot be used',
            refused: 'The org was not connected',
          }[callback.stage],
          callback.why,
        );
      let tokens;
      try {
        tokens = await exchangeSalesforceCode(
          deps.install.app,
          callback.code,
          deps.install.redirectUri(),
        );
      } catch (error) {
        deps.logger.warn({ err: error }, 'Salesforce connect: the code exchange failed');
        return failed(
          res,
          502,
          'PartnerLens could not finish connecting the org',
          'Salesforce did not accept the code, or did not say which org it is.',
        );
      }
      const { tenant, reconnected } = await deps.db.transaction(async (tx) => {
        const existing = await findTenantBySalesforceOrgId(tx, tokens.orgId);
        const tenant =
          existing ?? (await createTenant(tx, { name: `Salesforce org ${tokens.orgId}` }));
        if (!existing) await linkSalesforceOrg(tx, tenant.id, tokens.orgId);
        await storeSalesforceTokens(tx, deps.box, tenant.id, tokens);
        await recordAudit(tx, {
          tenantId: tenant.id,
          actor: 'salesforce-install',
          action: existing ? 'tenant.reinstalled' : 'tenant.installed',
          subjectType: 'tenant',
          subjectId: tenant.id,
          details: { crm: 'salesforce', orgId: tokens.orgId },
        });
        return { tenant, reconnected: Boolean(existing) };
      });
      let queued = true;
      await deps.crmSync.sync(tenant.id, { crm: 'salesforce' }).catch((error: unknown) => {
        queued = false;
        deps.logger.warn({ err: error }, 'Salesforce connect: the first sync was not queued');
      });
      page(res, 200, {
        ok: true,
        title: reconnected
          ? 'The Salesforce org is connected again'
          : 'The Salesforce org is connected',
        paragraphs: [
          `Salesforce org ${tokens.orgId} is connected${reconnected ? ' again; its data in PartnerLens was kept' : ''}.`,
          queued
            ? 'Its accounts, opportunities and partners are being read now: a few thousand opportunities take under a minute; changes then arrive live.'
            : 'Its first sync starts with the next scheduled one.',
        ],
        next: [
          'Deploy the PartnerLens package and put the card on the Opportunity page (README: Installing into Salesforce).',
          'Check how the org’s partner roles read as PartnerLens roles (docs/salesforce.md: role mapping).',
          'Watch sync health: GET /api/v1/sync/health.',
        ],
      });
    },
  );
  return router;
}
