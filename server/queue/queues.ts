import { Queue } from 'bullmq';

export interface QueueSettings {
  redisUrl: string;
  /** Key prefix; tests use a random one. Redis Cluster would need a hash tag here ({partnerlens}). */
  prefix: string;
}

export const QUEUE_NAMES = { crmSync: 'crm-sync' } as const;

export interface CrmSyncJob {
  tenantId: string;
}

export const connectionOf = (settings: QueueSettings) => ({ url: settings.redisUrl });

/**
 * The crm-sync queue. One sync per tenant: its deduplication id is the tenant's, so asking while one
 * waits adds nothing, asking while one runs queues exactly one more to run after it, and a failed
 * sync never blocks the next. No secrets or PII in the payload.
 */
export class CrmSyncQueue {
  readonly queue: Queue<CrmSyncJob>;

  constructor(settings: QueueSettings) {
    this.queue = new Queue<CrmSyncJob>(QUEUE_NAMES.crmSync, {
      connection: connectionOf(settings),
      prefix: settings.prefix,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: 1000,
        removeOnFail: 1000,
      },
    });
  }

  static deduplicationId(tenantId: string): string {
    return `crm-sync-${tenantId}`;
  }

  /** Answers the id of the job that will sync the tenant (an existing one when deduplicated). */
  async enqueue(tenantId: string): Promise<string> {
    const job = await this.queue.add(
      'sync-tenant',
      { tenantId },
      { deduplication: { id: CrmSyncQueue.deduplicationId(tenantId), keepLastIfActive: true } },
    );
    return job.id!;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
