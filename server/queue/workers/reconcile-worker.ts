import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';

import type { Database } from '../../db/database';
import { reconcileTenant } from '../../partners/reconcile-tenant';
import { QUEUE_NAMES, type QueueSettings, type ReconcileJob } from '../queues';
import { startWorker } from './start-worker';

const jobData = z.object({
  tenantId: z.uuid(),
  changedKeys: z.array(z.string().min(3).max(300)).max(10_000).optional(),
});

/**
 * Reconciles a tenant's partner records, whole or only around the records that changed; then
 * `onReconciled` follows (attributions may have moved between partners).
 */
export function startReconcileWorker(
  settings: QueueSettings,
  deps: { db: Database; logger: Logger; onReconciled?: (tenantId: string) => Promise<unknown> },
) {
  return startWorker<ReconcileJob>(
    QUEUE_NAMES.reconcile,
    settings,
    async (job) => {
      const data = jobData.safeParse(job.data);
      if (!data.success)
        throw new UnrecoverableError('reconcile job without a valid tenantId or record keys');
      const result = await reconcileTenant(deps.db, data.data.tenantId, {
        changedKeys: data.data.changedKeys,
      });
      deps.logger.info({ tenantId: data.data.tenantId, ...result }, 'reconcile finished');
      await deps.onReconciled?.(data.data.tenantId);
      return result;
    },
    deps.logger,
    1,
  );
}
