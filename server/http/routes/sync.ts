import { Router } from 'express';
import { z } from 'zod';

import { syncHealth } from '../../crm/connections';
import { recordAudit } from '../../db/audit';
import type { Queryable } from '../../db/database';
import type { CrmSyncQueue } from '../../queue/queues';
import { allow, READERS } from '../access';
import { actorOf, callerOf } from '../auth/authenticate';
import { HttpError, notFound } from '../errors';

const jobId = z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/);

export function syncRoutes(db: Queryable, crmSync: CrmSyncQueue, now: () => number): Router {
  const router = Router();

  /** Asks for a full sync of the tenant's CRM; answers the job to follow. */
  router.post('/sync', allow(), async (req, res) => {
    const caller = callerOf(req);
    const connections = await db.query<{ status: string }>(
      'select status from crm_credentials where tenant_id = $1',
      [caller.tenantId],
    );
    if (connections.length === 0)
      throw new HttpError(
        409,
        'SYNC.NOT_CONNECTED',
        'No CRM is connected to this tenant: install PartnerLens in HubSpot or Salesforce first',
      );
    if (connections.every((connection) => connection.status === 'disconnected'))
      throw new HttpError(
        409,
        'SYNC.DISCONNECTED',
        'PartnerLens was uninstalled from this tenant’s CRM: install it again to resume syncing (its CRM records are kept for 90 days; commissions and registrations for good)',
      );
    const id = await crmSync.sync(caller.tenantId);
    await recordAudit(db, {
      tenantId: caller.tenantId,
      actor: actorOf(caller),
      action: 'crm_sync.requested',
      subjectType: 'tenant',
      subjectId: caller.tenantId,
    });
    res
      .status(202)
      .location(`/api/v1/sync/jobs/${encodeURIComponent(id)}`)
      .json({
        jobId: id,
        statusUrl: `/api/v1/sync/jobs/${encodeURIComponent(id)}`,
      });
  });

  /** Each connected CRM: last full sync, last event, lag, error state, API budget used. */
  router.get('/sync/health', allow(...READERS), async (req, res) => {
    res.json({ crms: await syncHealth(db, callerOf(req).tenantId, now()) });
  });

  router.get('/sync/jobs/:jobId', allow(...READERS), async (req, res) => {
    const id = jobId.safeParse(req.params.jobId);
    const job = id.success ? await crmSync.jobOf(callerOf(req).tenantId, id.data) : undefined;
    if (!job)
      throw notFound('SYNC.JOB_NOT_FOUND', 'No such sync job (finished jobs are kept for a while)');
    res.json(job);
  });

  return router;
}
