import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';

import { CrmAuthError } from '../../crm/hubspot/credentials';
import { type SyncDependencies, syncHubSpotTenant } from '../../crm/hubspot/sync';
import { type CrmSyncJob, QUEUE_NAMES, type QueueSettings } from '../queues';
import { startWorker } from './start-worker';

const jobData = z.object({ tenantId: z.uuid() });

/** Syncs a tenant's CRM into the mirror; then `onSynced` (the partner reconcile) follows. */
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
        const result = await syncHubSpotTenant(deps, data.data.tenantId);
        await deps.onSynced?.(data.data.tenantId);
        return result;
      } catch (error) {
        if (error instanceof CrmAuthError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    deps.logger,
  );
}
