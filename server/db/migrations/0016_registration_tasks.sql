-- The CRM task that asks a partner's manager to decide a registration (issue 14): one per
-- registration, ever. The row is claimed before the CRM is called (the primary key makes two
-- sweeps, or a restart, create one task), then carries the task's CRM id; a decision completes it.
create table registration_tasks (
  tenant_id uuid not null references tenants (id) on delete cascade,
  registration_id uuid not null,
  crm text not null check (crm in ('hubspot', 'salesforce')),
  status text not null check (status in ('creating', 'open', 'completed')),
  crm_task_id text,
  owner_id text,
  claimed_at timestamptz not null,
  completed_at timestamptz,
  primary key (tenant_id, registration_id),
  foreign key (tenant_id, registration_id) references registrations (tenant_id, id) on delete cascade,
  check (status = 'creating' or crm_task_id is not null)
);
create index registration_tasks_open on registration_tasks (tenant_id, status) where status = 'open';
