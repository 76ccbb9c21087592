import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import type { CrmAdapter } from '../port';
import { hubspotAccessToken, type HubSpotApp, hubspotClient } from './credentials';
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
      const { token, portalId } = await hubspotAccessToken(
        deps.db,
        deps.box,
        deps.hubspot,
        tenantId,
        deps.now(),
      );
      // One limiter per portal in this process: the sync and the webhook re-reads share it.
      const client = hubspotClient(deps.hubspot, token, limiterForPortal(portalId ?? tenantId));
      return {
        crm: 'hubspot',
        read: () => readPortal(client),
        reread: (ids) => rereadRecords(client, ids),
        attachPartner: (link) => attachWithLabel(client, link),
        usage: () => undefined,
      };
    },
  };
}
