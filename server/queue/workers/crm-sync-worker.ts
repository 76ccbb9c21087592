import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';

import { CRM_KINDS, CrmAuthError, CrmBudgetError } from '../../crm/port';
import { CrmSyncIncomplete, type SyncDependencies, syncTenant } from '../../crm/sync';
import { type CrmSyncJob, QUEUE_NAMES, type QueueSettings } from '../queues';
import { startWorker } from './start-worker';

const jobData = z.object({
  tenantId: z.uuid(),
  crm: z.enum(CRM_KINDS).optional(),
  full: z.boolean().optional(),
});

/** Syncs a tenant's CRMs into the mirror; then `onSynced` (the partner reconcile) follows. */
export function startCrmSyncWorker(
  settings: QueueSettings,
  deps: SyncDependencies & { onSynced?: (tenantId: string) => Promise<unknown> },
) {
  return startWorker<CrmSyncJob>(
    QUEUE_NAMES.crmSync,
    settings,
    async (job) => {
      const data = jobData.safeParse(job.data);
      if (!data.success) throw new UnrecoverableError('crm-sync job without a valid tenantId');
      try {
        const result = await syncTenant(deps, data.data.tenantId, {
          crm: data.data.crm,
          full: data.data.full ?? false,
        });
        await deps.onSynced?.(data.data.tenantId);
        return result;
      } catch (error) {
        // What the other CRMs brought is reconciled all the same.
        if (error instanceof CrmSyncIncomplete && error.synced.length > 0)
          await deps.onSynced?.(data.data.tenantId);
        // The connection is marked broken (sync health shows it): retrying cannot mend it.
        if (error instanceof CrmAuthError) throw new UnrecoverableError(error.message);
        // Paused short of the CRM's daily budget: the next scheduled catch-up resumes, not a retry now.
        if (error instanceof CrmBudgetError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    deps.logger,
  );
}
