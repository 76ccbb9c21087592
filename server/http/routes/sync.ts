import { Router } from 'express';

import type { CrmSyncQueue } from '../../queue/queues';
import { callerOf } from '../auth/authenticate';

export function syncRoutes(crmSync: CrmSyncQueue): Router {
  const router = Router();
  router.post('/sync', async (req, res) => {
    const jobId = await crmSync.enqueue(callerOf(req).tenantId);
    res.status(202).json({ jobId });
  });
  return router;
}
