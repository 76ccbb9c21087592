import { type Job, type Processor, Worker } from 'bullmq';
import type { Logger } from 'pino';

import { connectionOf, type QueueSettings } from '../queues';

/** A worker that logs its errors and failures; close() drains the jobs in hand (SIGTERM). */
export function startWorker<Data>(
  name: string,
  settings: QueueSettings,
  processor: Processor<Data>,
  logger: Logger,
  concurrency = 2,
): Worker<Data> {
  const worker = new Worker<Data>(name, processor, {
    connection: connectionOf(settings),
    prefix: settings.prefix,
    concurrency,
    ...(settings.lockDurationMs
      ? { lockDuration: settings.lockDurationMs, stalledInterval: settings.lockDurationMs / 2 }
      : {}),
  });
  worker.on('error', (error) => logger.error({ err: error, queue: name }, 'worker error'));
  worker.on('failed', (job: Job<Data> | undefined, error) =>
    logger.warn(
      { queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: error },
      'job failed',
    ),
  );
  return worker;
}
