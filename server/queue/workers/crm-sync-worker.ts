import { UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';

import { CrmAuthError } from '../../crm/hubspot/credentials';
import { type SyncDependencies, syncHubSpotTenant } from '../../crm/hubspot/sync';
import { connectionOf, type CrmSyncJob, QUEUE_NAMES, type QueueSettings } from '../queues';

const jobData = z.object({ tenantId: z.uuid() });

export function startCrmSyncWorker(
  settings: QueueSettings,
  deps: SyncDependencies,
): Worker<CrmSyncJob> {
  const worker = new Worker<CrmSyncJob>(
    QUEUE_NAMES.crmSync,
    async (job) => {
      const data = jobData.safeParse(job.data);
      if (!data.success) throw new UnrecoverableError('crm-sync job without a valid tenantId');
      try {
        return await syncHubSpotTenant(deps, data.data.tenantId);
      } catch (error) {
        if (error instanceof CrmAuthError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    { connection: connectionOf(settings), prefix: settings.prefix, concurrency: 2 },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'crm-sync worker error'));
  worker.on('failed', (job, error) =>
    deps.logger.warn(
      { jobId: job?.id, attempts: job?.attemptsMade, err: error },
      'crm-sync job failed',
    ),
  );
  return worker;
}
