import type { Client } from '@hubspot/api-client';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { type CrmAdapter, CrmAuthError } from '../port';
import { hubspotAccessToken, type HubSpotApp, hubspotClient } from './credentials';
import { DailyBudget } from './daily-budget';
import { limiterForPortal } from './rate-limiter';
import { readPortal, rereadRecords } from './sync';
import { attachWithLabel } from './write-back';

/** HubSpot behind the CRM port: a tenant's portal through @hubspot/api-client. */
export function hubspotAdapter(deps: {
  db: Queryable;
  box: CryptoBox;
  hubspot: HubSpotApp;
  now: () => number;
}): CrmAdapter {
  return {
    crm: 'hubspot',
    async connect(tenantId) {
      // Known from this connection's answers only: the first call of a sync is its fresh look.
      const budget = new DailyBudget();
      const open = async (refresh: boolean) => {
        const { token, portalId } = await hubspotAccessToken(
          deps.db,
          deps.box,
          deps.hubspot,
          tenantId,
          deps.now(),
          { refresh },
        );
        // One limiter per portal in this process: the sync and the webhook re-reads share it.
        return hubspotClient(deps.hubspot, token, limiterForPortal(portalId ?? tenantId), budget);
      };
      let client = await open(false);
      // A 401 on a token not yet expired: it was revoked (an uninstall) or rotated. A refresh tells
      // which: refused, it is a CrmAuthError (the caller disconnects); granted, the call is tried
      // once more on the new token.
      const refreshed = async (error: unknown) => {
        if (!isUnauthorized(error)) throw error;
        client = await open(true);
      };
      const once = async <T>(call: (c: Client) => Promise<T>): Promise<T> => {
        try {
          return await call(client);
        } catch (error) {
          await refreshed(error);
          try {
            return await call(client);
          } catch (again) {
            if (isUnauthorized(again))
              throw new CrmAuthError('HubSpot refuses even a freshly refreshed access token');
            throw again;
          }
        }
      };
      return {
        crm: 'hubspot',
        async *read() {
          try {
            return yield* readPortal(client);
          } catch (error) {
            // The sync job runs again (with backoff) on the refreshed token.
            await refreshed(error);
            throw error;
          }
        },
        reread: (ids) => once((c) => rereadRecords(c, ids)),
        attachPartner: (link) => once((c) => attachWithLabel(c, link)),
        usage: () => budget.usage(),
        budgetSpent: () => budget.spent(),
      };
    },
  };
}

const isUnauthorized = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 401;
