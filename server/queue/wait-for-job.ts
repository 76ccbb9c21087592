import { QueueEvents } from 'bullmq';

import { connectionOf, type QueueSettings } from './queues';

/**
 * Adds a job through `add` and waits until it completes or fails for good. It listens before the
 * job exists, so a job that finishes at once is not missed.
 */
export async function addAndWait(
  settings: QueueSettings,
  queueName: string,
  add: () => Promise<string>,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<void> {
  const events = new QueueEvents(queueName, {
    connection: connectionOf(settings),
    prefix: settings.prefix,
  });
  await events.waitUntilReady();
  const finished = new Map<string, string | undefined>();
  let settle: ((jobId: string) => void) | undefined;
  events.on('completed', ({ jobId }) => (finished.set(jobId, undefined), settle?.(jobId)));
  events.on(
    'failed',
    ({ jobId, failedReason }) => (finished.set(jobId, failedReason ?? 'failed'), settle?.(jobId)),
  );
  try {
    const jobId = await add();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`job ${jobId} did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      abort?.addEventListener('abort', () => (clearTimeout(timer), reject(abort.reason)), {
        once: true,
      });
      settle = (id) => {
        if (id !== jobId) return;
        clearTimeout(timer);
        const failure = finished.get(id);
        if (failure === undefined) resolve();
        else reject(new Error(failure));
      };
      if (finished.has(jobId)) settle(jobId);
    });
  } finally {
    await events.close();
  }
}
