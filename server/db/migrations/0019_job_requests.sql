-- Postgres's own record of the jobs asked for (DESIGN.md §2: Redis holds only queues). A request
-- is written before its BullMQ job and deleted when a job that started after it has finished, for
-- good or not; the workers' recovery sweep gives a request whose job Redis no longer has (flushed,
-- restarted without its data) a job again. One row per queue and deduplication id: asking again
-- bumps its version, so a job that started before the newer request does not settle it.
create table job_requests (
  queue text not null,
  dedup_id text not null,
  tenant_id uuid not null references tenants (id) on delete cascade,
  data jsonb not null,
  version integer not null default 1,
  requested_at timestamptz not null default now(),
  primary key (queue, dedup_id)
);
create index job_requests_requested on job_requests (requested_at);
