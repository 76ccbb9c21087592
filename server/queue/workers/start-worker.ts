import { type Job, type Processor, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';

import type { Queryable } from '../../db/database';
import { requestVersion, settleJobRequest } from '../job-requests';
import { connectionOf, type QueueSettings } from '../queues';

/** A worker that logs its errors and failures; close() drains the jobs in hand (SIGTERM). */
export function startWorker<Data>(
  name: string,
  settings: QueueSettings,
  processor: Processor<Data>,
  logger: Logger,
  concurrency = 2,
): Worker<Data> {
  const worker = new Worker<Data>(
    name,
    settings.jobRequests ? settlingRequests(settings.jobRequests, name, processor) : processor,
    {
      connection: connectionOf(settings),
      prefix: settings.prefix,
      concurrency,
      ...(settings.lockDurationMs
        ? { lockDuration: settings.lockDurationMs, stalledInterval: settings.lockDurationMs / 2 }
        : {}),
    },
  );
  worker.on('error', (error) => logger.error({ err: error, queue: name }, 'worker error'));
  worker.on('failed', (job: Job<Data> | undefined, error) =>
    logger.warn(
      { queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: error },
      'job failed',
    ),
  );
  return worker;
}

/**
 * Settles the job's request in Postgres once the job has done its work, or was refused for good:
 * the request covered is the one seen as the job started, so one asked for meanwhile stays for
 * the job after it.
 */
function settlingRequests<Data>(
  db: Queryable,
  name: string,
  processor: Processor<Data>,
): Processor<Data> {
  return async (job, token, signal) => {
    const dedupId = job.opts.deduplication?.id;
    const version = dedupId ? await requestVersion(db, name, dedupId) : undefined;
    const settle = () =>
      dedupId && version !== undefined
        ? settleJobRequest(db, name, dedupId, version)
        : Promise.resolve();
    try {
      const result: unknown = await processor(job, token, signal);
      await settle();
      return result;
    } catch (error) {
      // Input that never succeeds is settled; anything else (Postgres or the CRM away longer than
      // the retries) stays, and the recovery sweep gives it a job again later.
      if (error instanceof UnrecoverableError) await settle();
      throw error;
    }
  };
}
