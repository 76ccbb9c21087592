import type { Queryable } from '../db/database';

/** A job asked for and not yet settled, as Postgres keeps it (migration 0019). */
export interface JobRequest {
  queue: string;
  dedupId: string;
  data: Record<string, unknown> & { tenantId: string };
}

/** Writes (or renews) the request before its job goes to Redis. */
export async function recordJobRequest(db: Queryable, request: JobRequest): Promise<void> {
  await db.query(
    `insert into job_requests (queue, dedup_id, tenant_id, data) values ($1, $2, $3, $4)
     on conflict (queue, dedup_id) do update
       set data = excluded.data, version = job_requests.version + 1, requested_at = now()`,
    [request.queue, request.dedupId, request.data.tenantId, JSON.stringify(request.data)],
  );
}

/** The version a job starting now covers (undefined: nothing asked for it in Postgres). */
export async function requestVersion(
  db: Queryable,
  queue: string,
  dedupId: string,
): Promise<number | undefined> {
  const [row] = await db.query<{ version: number }>(
    'select version from job_requests where queue = $1 and dedup_id = $2',
    [queue, dedupId],
  );
  return row?.version;
}

/** The job that covered `version` has finished: the request is settled unless asked for again since. */
export async function settleJobRequest(
  db: Queryable,
  queue: string,
  dedupId: string,
  version: number,
): Promise<void> {
  await db.query('delete from job_requests where queue = $1 and dedup_id = $2 and version = $3', [
    queue,
    dedupId,
    version,
  ]);
}

/** Requests older than `olderThanMs`, oldest first: their job may have been lost with Redis. */
export async function pendingJobRequests(
  db: Queryable,
  olderThanMs: number,
  limit = 1000,
): Promise<JobRequest[]> {
  const rows = await db.query<{ queue: string; dedup_id: string; data: JobRequest['data'] }>(
    `select queue, dedup_id, data from job_requests
      where requested_at < now() - make_interval(secs => $1)
      order by requested_at limit $2`,
    [olderThanMs / 1000, limit],
  );
  return rows.map((row) => ({ queue: row.queue, dedupId: row.dedup_id, data: row.data }));
}
