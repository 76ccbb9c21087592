import { createHash } from 'node:crypto';

import { Queue } from 'bullmq';

import type { Queryable } from '../db/database';
import { type JobRequest, recordJobRequest } from './job-requests';

export interface QueueSettings {
  redisUrl: string;
  /** Key prefix; tests use a random one. Redis Cluster would need a hash tag here ({partnerlens}). */
  prefix: string;
  /**
   * How long a worker's hold on a job lasts without renewal (BullMQ's lockDuration; 30 s by
   * default). A worker that dies holding a job gives it back after this; tests shorten it.
   */
  lockDurationMs?: number;
  /**
   * Where each request is written before its job goes to Redis, and settled when the job is done
   * (job_requests), so that a job Redis loses is given again by the recovery sweep. Without it
   * (unit tests of one worker), jobs live in Redis only.
   */
  jobRequests?: Queryable;
}

/** BullMQ's states of a job that is still to be done or being done. */
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export const QUEUE_NAMES = {
  crmSync: 'crm-sync',
  crmChanges: 'crm-changes',
  reconcile: 'reconcile',
  commissions: 'commissions',
} as const;

export interface CrmSyncJob {
  tenantId: string;
  /** One CRM of the tenant's; absent: each it has connected. */
  crm?: 'hubspot' | 'salesforce';
  /** Read everything again, not only what changed since the last sync. */
  full?: boolean;
}

export interface ReconcileJob {
  tenantId: string;
  /** Only these partner records changed ("source:external id"); absent: the whole tenant. */
  changedKeys?: string[];
}

export const connectionOf = (settings: QueueSettings) => ({ url: settings.redisUrl });

/**
 * A queue of per-tenant jobs. Jobs with the same deduplication key (by default the tenant) do not
 * pile up: asking while one waits adds nothing, asking while one runs queues exactly one more to
 * run after it, and a failed job never blocks the next. No secrets or PII in payloads.
 */
export class TenantQueue<Job extends { tenantId: string }> {
  // Untyped inside: BullMQ's name/data generics do not narrow for a generic Job; enqueue takes Job.
  readonly queue: Queue;

  constructor(
    readonly name: (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES],
    private readonly settings: QueueSettings,
  ) {
    this.queue = new Queue(name, {
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

  /** Answers the id of the job that will do the work (an existing one when deduplicated). */
  async enqueue(data: Job, dedupKey = data.tenantId): Promise<string> {
    const dedupId = `${this.name}-${dedupKey}`;
    if (this.settings.jobRequests)
      await recordJobRequest(this.settings.jobRequests, { queue: this.name, dedupId, data });
    return this.add(data, dedupId);
  }

  /**
   * Gives a request kept in Postgres its job again when Redis has none for it waiting or running
   * (lost with a flush or a restart); answers whether it did.
   */
  async requeue(request: JobRequest): Promise<boolean> {
    const jobId = await this.queue.getDeduplicationJobId(request.dedupId);
    if (jobId && LIVE_STATES.has(await this.queue.getJobState(jobId))) return false;
    await this.add(request.data as Job, request.dedupId);
    return true;
  }

  private async add(data: Job, dedupId: string): Promise<string> {
    // Queue.add's name/data generics do not narrow for a generic Job; the payload is Job.
    const add = this.queue.add.bind(this.queue) as (
      name: string,
      data: Job,
      options: object,
    ) => Promise<{ id?: string }>;
    const job = await add(this.name, data, {
      deduplication: { id: dedupId, keepLastIfActive: true },
    });
    return job.id!;
  }

  /** A job of this tenant's, as far as the queue still remembers it (the last 1,000 of each end). */
  async jobOf(tenantId: string, id: string): Promise<JobView | undefined> {
    const job = await this.queue.getJob(id);
    if (!job || (job.data as Job).tenantId !== tenantId) return undefined;
    const at = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);
    return {
      id,
      queue: this.name,
      state: await job.getState(),
      attempts: job.attemptsMade,
      queuedAt: at(job.timestamp),
      startedAt: at(job.processedOn),
      finishedAt: at(job.finishedOn),
      failedReason: job.failedReason || null,
    };
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface JobView {
  id: string;
  queue: string;
  /** BullMQ's: waiting, delayed, active, completed, failed (or unknown once removed). */
  state: string;
  attempts: number;
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  failedReason: string | null;
}

export class CrmSyncQueue extends TenantQueue<CrmSyncJob> {
  constructor(settings: QueueSettings) {
    super(QUEUE_NAMES.crmSync, settings);
  }

  /** A full sync, or (`incremental`) only what changed since the last one; one of each waits per tenant and CRM. */
  sync(
    tenantId: string,
    options: { crm?: CrmSyncJob['crm']; incremental?: boolean } = {},
  ): Promise<string> {
    const job: CrmSyncJob = {
      tenantId,
      ...(options.crm ? { crm: options.crm } : {}),
      ...(options.incremental ? {} : { full: true }),
    };
    return this.enqueue(
      job,
      [tenantId, options.crm ?? 'all', options.incremental ? 'changes' : 'full'].join('-'),
    );
  }
}

export class ReconcileQueue extends TenantQueue<ReconcileJob> {
  constructor(settings: QueueSettings) {
    super(QUEUE_NAMES.reconcile, settings);
  }

  /** The whole tenant, or only some records (deduplicated per set of records). */
  reconcile(tenantId: string, changedKeys?: string[]): Promise<string> {
    if (!changedKeys) return this.enqueue({ tenantId });
    const keys = [...new Set(changedKeys)].sort();
    return this.enqueue(
      { tenantId, changedKeys: keys },
      `${tenantId}-${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16)}`,
    );
  }
}

export interface CommissionsJob {
  tenantId: string;
}

/** Brings the tenant's ledger in line with its deals (won, reopened, changed); idempotent. */
export class CommissionsQueue extends TenantQueue<CommissionsJob> {
  constructor(settings: QueueSettings) {
    super(QUEUE_NAMES.commissions, settings);
  }

  recompute(tenantId: string): Promise<string> {
    return this.enqueue({ tenantId });
  }
}

export interface CrmChangesJob {
  tenantId: string;
  crm: 'hubspot' | 'salesforce';
}

/** Re-reads what a tenant's CRM said changed (its notices wait in Postgres); one waits per CRM. */
export class CrmChangesQueue extends TenantQueue<CrmChangesJob> {
  constructor(settings: QueueSettings) {
    super(QUEUE_NAMES.crmChanges, settings);
  }

  process(tenantId: string, crm: CrmChangesJob['crm']): Promise<string> {
    return this.enqueue({ tenantId, crm }, `${tenantId}-${crm}`);
  }
}
