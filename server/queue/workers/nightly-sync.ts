import { Queue } from 'bullmq';
import type { Logger } from 'pino';

import type { CrmKind } from '../../crm/port';
import type { Queryable } from '../../db/database';
import { connectionOf, type CrmSyncQueue, type QueueSettings } from '../queues';
import { startWorker } from './start-worker';

export const NIGHTLY_SYNC = 'crm-nightly-sync';
/** 03:00 UTC: the catch-up behind webhooks and change events (DESIGN.md §2), once a night. */
export const NIGHTLY_PATTERN = '0 3 * * *';

/**
 * Asks a full sync of every CRM connection that can still be read: connected, or paused short of
 * its daily budget (a new day's budget resumes it). Broken and disconnected ones wait for the admin.
 */
export async function askNightlySyncs(db: Queryable, crmSync: CrmSyncQueue): Promise<number> {
  const connections = await db.query<{ tenant_id: string; provider: CrmKind }>(
    `select tenant_id, provider from crm_credentials
      where status in ('connected', 'paused') order by tenant_id, provider`,
  );
  for (const row of connections) await crmSync.sync(row.tenant_id, { crm: row.provider });
  return connections.length;
}

/** One schedule however many replicas start it; the recovery sweep puts it back if Redis lost it. */
export async function startNightlySync(
  settings: QueueSettings,
  deps: { db: Queryable; crmSync: CrmSyncQueue; logger: Logger },
) {
  const queue = new Queue(NIGHTLY_SYNC, {
    connection: connectionOf(settings),
    prefix: settings.prefix,
  });
  const schedule = () =>
    queue.upsertJobScheduler(
      'nightly',
      { pattern: NIGHTLY_PATTERN, tz: 'UTC' },
      { name: 'nightly', data: {}, opts: { removeOnComplete: 30, removeOnFail: 30 } },
    );
  await schedule();
  const worker = startWorker(
    NIGHTLY_SYNC,
    settings,
    async () => {
      const asked = await askNightlySyncs(deps.db, deps.crmSync);
      deps.logger.info({ asked }, 'nightly full syncs asked');
      return { asked };
    },
    deps.logger,
    1,
  );
  return {
    queue,
    ensureScheduled: async () => {
      if (!(await queue.getJobScheduler('nightly'))) await schedule();
    },
    close: async () => (await worker.close(), await queue.close()),
  };
}
