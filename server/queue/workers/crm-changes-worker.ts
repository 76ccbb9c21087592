import { Queue, UnrecoverableError } from 'bullmq';
import { z } from 'zod';

import { type ChangesResult, processChanges, tenantsWithStaleChanges } from '../../crm/changes';
import { disconnectCrm, markConnection } from '../../crm/connections';
import { CRM_KINDS, CrmAuthError, CrmBudgetError, type CrmKind } from '../../crm/port';
import { purgeExpiredMirrors } from '../../crm/retention';
import type { SyncDependencies } from '../../crm/sync';
import { connectionOf, type CrmChangesQueue, QUEUE_NAMES, type QueueSettings } from '../queues';
import { startWorker } from './start-worker';

const jobData = z.object({ tenantId: z.uuid(), crm: z.enum(CRM_KINDS) });
const SWEEP = 'crm-changes-sweep';
const SWEEP_EVERY_MS = 30_000;
/** Notices older than this without a job were lost with Redis (or a worker): they get one. */
const STALE_MS = 20_000;

/**
 * Works the change notices a CRM sent (webhooks): re-reads the records, writes the mirror, then
 * `onChanged` (reconcile, ledger) follows. A sweep every 30 s gives notices whose job went
 * missing (Redis lost, a worker killed before it enqueued) a job again: nothing waits for ever;
 * it also purges the mirrors of CRMs disconnected longer than their retention (retention.ts).
 */
export async function startCrmChangesWorker(
  settings: QueueSettings,
  deps: SyncDependencies & {
    queue: CrmChangesQueue;
    onChanged?: (tenantId: string, crm: CrmKind, changed: ChangesResult) => Promise<unknown>;
    now?: () => number;
  },
) {
  const worker = startWorker<{ tenantId: string; crm: CrmKind }>(
    QUEUE_NAMES.crmChanges,
    settings,
    async (job) => {
      const data = jobData.safeParse(job.data);
      if (!data.success) throw new UnrecoverableError('crm-changes job without a tenant and CRM');
      const { tenantId, crm } = data.data;
      try {
        const changed = await processChanges(deps, tenantId, crm, (batch) =>
          batch.accounts.length + batch.deals.length > 0
            ? (deps.onChanged?.(tenantId, crm, batch) ?? Promise.resolve())
            : Promise.resolve(),
        );
        return { accounts: changed.accounts.length, deals: changed.deals.length };
      } catch (error) {
        // Short of the daily budget: its notices wait, kept, until a sync or a later job (a new
        // webhook, or the sweep's look every 15 minutes) finds the budget again and resumes it.
        if (error instanceof CrmBudgetError) {
          await markConnection(deps.db, tenantId, crm, {
            status: 'paused',
            reason: error.message,
            ...(error.usage ? { usage: error.usage } : {}),
          });
          throw new UnrecoverableError(error.message);
        }
        if (!(error instanceof CrmAuthError)) throw error;
        if (error.uninstalled) await disconnectCrm(deps.db, tenantId, crm, error.message);
        else
          await markConnection(deps.db, tenantId, crm, { status: 'broken', reason: error.message });
        throw new UnrecoverableError(error.message);
      }
    },
    deps.logger,
  );
  const sweepQueue = new Queue(SWEEP, {
    connection: connectionOf(settings),
    prefix: settings.prefix,
  });
  const schedule = () =>
    sweepQueue.upsertJobScheduler(
      'sweep',
      { every: SWEEP_EVERY_MS },
      { name: 'sweep', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  await schedule();
  const sweeper = startWorker(
    SWEEP,
    settings,
    async () => {
      const stale = await tenantsWithStaleChanges(deps.db, STALE_MS);
      for (const { tenantId, crm } of stale) await deps.queue.process(tenantId, crm);
      // The same housekeeping round lets go of mirrors kept past their retention.
      const purged = await purgeExpiredMirrors(deps.db, (deps.now ?? Date.now)());
      for (const mirror of purged)
        deps.logger.info(mirror, 'CRM mirror purged: disconnected longer than its retention');
      return { requeued: stale.length, purged: purged.length };
    },
    deps.logger,
    1,
  );
  return {
    /** Schedules the sweep again if Redis lost its schedule (the recovery sweep asks). */
    ensureScheduled: async () => {
      if (!(await sweepQueue.getJobScheduler('sweep'))) await schedule();
    },
    close: async () => {
      await Promise.all([worker.close(), sweeper.close()]);
      await sweepQueue.close();
    },
  };
}
