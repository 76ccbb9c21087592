import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';

import { recomputeStaleDeals } from '../../commissions/recompute-deals';
import type { Database } from '../../db/database';
import { refreshPartnerPerformance } from '../../partners/performance';
import { type CommissionsJob, QUEUE_NAMES, type QueueSettings } from '../queues';
import { startWorker } from './start-worker';

const jobData = z.object({ tenantId: z.uuid() });

/**
 * Brings a tenant's ledger, then its partners' performance, in line with its deals: only deals whose fingerprint changed (won,
 * reopened, amount or partners changed, refunded, program changed) are recomputed, a batch per
 * transaction, so a killed worker resumes where the last committed batch ended.
 */
export function startCommissionsWorker(
  settings: QueueSettings,
  deps: { db: Database; logger: Logger; batchSize?: number },
) {
  return startWorker<CommissionsJob>(
    QUEUE_NAMES.commissions,
    settings,
    async (job) => {
      const data = jobData.safeParse(job.data);
      if (!data.success) throw new UnrecoverableError('commissions job without a valid tenantId');
      const result = await recomputeStaleDeals(deps.db, data.data.tenantId, {
        batchSize: deps.batchSize,
      });
      deps.logger.info({ tenantId: data.data.tenantId, ...result }, 'commissions recomputed');
      // Partner performance follows the same deal changes (DESIGN.md §5: kept up to date, not per request).
      const performance = await refreshPartnerPerformance(deps.db, data.data.tenantId, Date.now());
      deps.logger.info(
        { tenantId: data.data.tenantId, ...performance },
        'partner performance refreshed',
      );
      return { ...result, performance };
    },
    deps.logger,
    1,
  );
}
