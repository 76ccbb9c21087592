import { Router } from 'express';
import type { Logger } from 'pino';

import { recordChanges } from '../../crm/changes';
import { decodeHubSpotNotifications } from '../../crm/hubspot/notifications';
import type { Queryable } from '../../db/database';
import { findTenantByPortalId } from '../../db/tenants';
import type { CrmChangesQueue } from '../../queue/queues';
import { publicRoute } from '../access';
import { type AuthOptions, requireHubSpotSignature } from '../auth/authenticate';
import { HttpError } from '../errors';

/**
 * HubSpot's webhooks: verified (signature v3), their events kept in Postgres once each, then
 * acknowledged at once; a worker re-reads the records they name. A portal PartnerLens does not
 * know, or one disconnected, is acknowledged and ignored (HubSpot would only send it again).
 */
export function webhookRoutes(
  deps: Pick<
    AuthOptions,
    'hubspotClientSecret' | 'hubspotPreviousClientSecret' | 'publicUrl' | 'now'
  > & {
    db: Queryable;
    changes?: CrmChangesQueue;
    logger: Logger;
  },
): Router {
  const router = Router();
  router.post(
    '/webhooks/hubspot',
    publicRoute('HubSpot signs its webhooks (signature v3), checked in the route'),
    async (req, res) => {
      requireHubSpotSignature(req, deps);
      const decoded = decodeHubSpotNotifications(req.body);
      if (!decoded.ok)
        throw new HttpError(
          400,
          'WEBHOOK.INVALID',
          'A HubSpot webhook delivery is a JSON array of at most 1,000 events',
        );
      const byPortal = new Map<string, typeof decoded.notices>();
      for (const notice of decoded.notices)
        byPortal.set(notice.externalId, [...(byPortal.get(notice.externalId) ?? []), notice]);
      let fresh = 0;
      for (const [portalId, notices] of byPortal) {
        const tenant = await findTenantByPortalId(deps.db, portalId);
        if (!tenant) continue;
        const [connection] = await deps.db.query<{ status: string }>(
          `select status from crm_credentials where tenant_id = $1 and provider = 'hubspot'`,
          [tenant.id],
        );
        if (!connection || connection.status === 'disconnected') continue;
        const added = await recordChanges(deps.db, tenant.id, 'hubspot', notices);
        fresh += added;
        // Kept in Postgres already: a queue that does not answer now is caught up by the sweep.
        if (added > 0)
          await deps.changes
            ?.process(tenant.id, 'hubspot')
            .catch((error: unknown) =>
              deps.logger.warn({ err: error }, 'crm-changes job not enqueued'),
            );
      }
      if (decoded.skipped > 0)
        deps.logger.warn(
          { skipped: decoded.skipped },
          "webhook events not in HubSpot's shape were skipped",
        );
      res.json({ received: decoded.notices.length, new: fresh, skipped: decoded.skipped });
    },
  );
  return router;
}
