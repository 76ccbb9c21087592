-- The tenant's program (DESIGN.md §7): one validated JSON document, versioned.
create table programs (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  document jsonb not null,
  version integer not null,
  updated_by text not null,
  updated_at timestamptz not null default now()
);

-- Deal registrations (DESIGN.md §4). A pending registration holds its company until decided;
-- an approved one for [window_start, window_end).
create table registrations (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null,
  partner_id uuid not null,
  company_name text not null,
  company_domain text,
  amount text,
  currency text,
  submitted_at timestamptz not null,
  status text not null check (status in ('pending', 'approved', 'rejected', 'converted', 'expired')),
  verdict text not null check (verdict in ('approved', 'review', 'rejected')),
  conflicts jsonb not null default '[]',
  matched_account_crm_id text,
  account_match jsonb not null default '[]',
  holder_registration_id uuid,
  window_start timestamptz,
  window_end timestamptz,
  extensions integer not null default 0,
  rejection_reason text,
  converted_deal_crm_id text,
  decided_by text,
  decided_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, partner_id) references partners (tenant_id, id),
  check (status <> 'rejected' or rejection_reason is not null)
);
create index registrations_queue on registrations (tenant_id, status, submitted_at, id);
create index registrations_account on registrations (tenant_id, matched_account_crm_id);
create index registrations_partner on registrations (tenant_id, partner_id, status);

-- Every transition: who, when, why (DESIGN.md §4).
create table registration_decisions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- Several transitions can share one transaction's timestamp; this keeps their order.
  seq bigint generated always as identity,
  registration_id uuid not null,
  action text not null check (action in ('submitted', 'approved', 'rejected', 'extended', 'expired', 'converted')),
  actor text not null,
  reason text,
  conflicts jsonb,
  at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, registration_id) references registrations (tenant_id, id) on delete cascade
);
