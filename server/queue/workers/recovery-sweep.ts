import type { Logger } from 'pino';

import type { Queryable } from '../../db/database';
import { pendingJobRequests } from '../job-requests';
import type { TenantQueue } from '../queues';

export interface RecoverySweep {
  /** One round, at once (the timer runs them too). */
  run(): Promise<{ requeued: number }>;
  close(): Promise<void>;
}

/**
 * What keeps losing Redis from losing work (DESIGN.md §2): on a timer of the process's own, not a
 * Redis schedule (which a flush takes away too), it schedules the periodic sweeps again if their
 * schedules are gone, and gives each request Postgres holds without a job in Redis a job again.
 * Every worker process runs it; the jobs' deduplication makes the replicas' rounds add one job.
 */
export function startRecoverySweep(deps: {
  db: Queryable;
  queues: ReadonlyArray<TenantQueue<{ tenantId: string }>>;
  schedules: ReadonlyArray<() => Promise<unknown>>;
  logger: Logger;
  everyMs: number;
}): RecoverySweep {
  const byName = new Map(deps.queues.map((queue) => [queue.name as string, queue]));
  let round: Promise<{ requeued: number }> | undefined;
  const once = async () => {
    for (const ensure of deps.schedules) await ensure();
    let requeued = 0;
    // A request younger than a round may still be on its way to Redis (written, not yet added).
    for (const request of await pendingJobRequests(deps.db, deps.everyMs)) {
      const queue = byName.get(request.queue);
      if (queue && (await queue.requeue(request))) requeued += 1;
    }
    if (requeued > 0) deps.logger.warn({ requeued }, 'jobs lost from Redis given again');
    return { requeued };
  };
  const run = () => {
    round ??= once().finally(() => (round = undefined));
    return round;
  };
  const timer = setInterval(() => {
    run().catch((error: unknown) => deps.logger.warn({ err: error }, 'recovery sweep failed'));
  }, deps.everyMs);
  return {
    run,
    close: async () => {
      clearInterval(timer);
      await round?.catch(() => undefined);
    },
  };
}
