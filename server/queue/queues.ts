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

/** The crm-sync queue: one job per tenant at a time (the job id is the tenant), no secrets in the payload. */
export class CrmSyncQueue {
  readonly queue: Queue<CrmSyncJob>;

  constructor(settings: QueueSettings) {
    this.queue = new Queue<CrmSyncJob>(QUEUE_NAMES.crmSync, {
      connection: connectionOf(settings),
      prefix: settings.prefix,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    });
  }

  static jobId(tenantId: string): string {
    return `crm-sync-${tenantId}`;
  }

  /** Adding while the tenant's sync is still waiting is a no-op: the waiting job will read the newest data. */
  async enqueue(tenantId: string): Promise<string> {
    const job = await this.queue.add(
      'sync-tenant',
      { tenantId },
      { jobId: CrmSyncQueue.jobId(tenantId) },
    );
    return job.id!;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
