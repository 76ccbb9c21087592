import { Router } from 'express';

import { recordAudit } from '../../db/audit';
import type { Queryable } from '../../db/database';
import type { CrmSyncQueue } from '../../queue/queues';
import { actorOf, callerOf } from '../auth/authenticate';

export function syncRoutes(db: Queryable, crmSync: CrmSyncQueue): Router {
  const router = Router();
  router.post('/sync', async (req, res) => {
    const caller = callerOf(req);
    const jobId = await crmSync.sync(caller.tenantId);
    await recordAudit(db, {
      tenantId: caller.tenantId,
      actor: actorOf(caller),
      action: 'crm_sync.requested',
      subjectType: 'tenant',
      subjectId: caller.tenantId,
    });
    res.status(202).json({ jobId });
  });
  return router;
}
