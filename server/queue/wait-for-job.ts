import { QueueEvents } from 'bullmq';

import { connectionOf, type QueueSettings } from './queues';

/** Listens before the job is added, so a job that finishes at once is not missed. */
export async function jobCompletion(
  settings: QueueSettings,
  queueName: string,
  jobId: string,
  timeoutMs: number,
) {
  const events = new QueueEvents(queueName, {
    connection: connectionOf(settings),
    prefix: settings.prefix,
  });
  await events.waitUntilReady();
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`job ${jobId} did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
    events.on('completed', (event) => {
      if (event.jobId !== jobId) return;
      clearTimeout(timer);
      resolve();
    });
    events.on('failed', (event) => {
      if (event.jobId !== jobId) return;
      clearTimeout(timer);
      reject(new Error(event.failedReason));
    });
  }).finally(() => events.close());
  // Callers may await it later; keep an early failure from being reported as unhandled.
  done.catch(() => undefined);
  return done;
}
