import { Queue } from 'bullmq';
import type { Logger } from 'pino';

import type { Database } from '../../db/database';
import { sweepRegistrations } from '../../registrations/registration-use-cases';
import { type SlaTaskDeps, sweepSlaTasks } from '../../registrations/sla-tasks';
import { connectionOf, type QueueSettings } from '../queues';
import { startWorker } from './start-worker';

export const REGISTRATION_SWEEP = 'registration-expiry';
const EVERY_MS = 10 * 60 * 1000;

/** Schedules the sweep every ten minutes (one schedule, however many replicas ask) and works it. */
export async function startRegistrationSweep(
  settings: QueueSettings,
  deps: { db: Database; logger: Logger; now?: () => number; slaTasks?: Omit<SlaTaskDeps, 'db'> },
) {
  const queue = new Queue(REGISTRATION_SWEEP, {
    connection: connectionOf(settings),
    prefix: settings.prefix,
  });
  const schedule = () =>
    queue.upsertJobScheduler(
      'sweep',
      { every: EVERY_MS },
      { name: 'sweep', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  await schedule();
  const worker = startWorker(
    REGISTRATION_SWEEP,
    settings,
    async () => {
      const now = (deps.now ?? Date.now)();
      const result = await sweepRegistrations(deps.db, now);
      if (result.converted + result.expired > 0) deps.logger.info(result, 'registrations swept');
      // After the sweep: a registration it converted or expired has its task completed at once.
      const tasks = deps.slaTasks
        ? await sweepSlaTasks({ db: deps.db, ...deps.slaTasks }, now)
        : undefined;
      if (
        tasks &&
        tasks.created + tasks.recovered + tasks.completed + tasks.removed + tasks.failed > 0
      )
        deps.logger.info(tasks, 'registration SLA tasks swept');
      return { ...result, tasks };
    },
    deps.logger,
    1,
  );
  return {
    queue,
    worker,
    /** Schedules the sweep again if Redis lost its schedule (the recovery sweep asks). */
    ensureScheduled: async () => {
      if (!(await queue.getJobScheduler('sweep'))) await schedule();
    },
    close: async () => (await worker.close(), await queue.close()),
  };
}
