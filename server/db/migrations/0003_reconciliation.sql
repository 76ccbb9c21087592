-- The partner program's own records: one source of partner records beside the CRMs (DESIGN.md §3).
create table program_partners (
  tenant_id uuid not null references tenants (id) on delete cascade,
  external_id text not null,
  name text not null,
  domain text,
  country text,
  type text check (type in ('reseller', 'distributor', 'system_integrator', 'isv', 'technology', 'msp', 'referral')),
  tier text not null,
  status text not null default 'active' check (status in ('active', 'inactive')),
  partner_manager text,
  regions text[] not null default '{}',
  verticals text[] not null default '{}',
  certifications text[] not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (tenant_id, external_id)
);

-- Golden partners may come from CRM records alone: their type is unknown until a person sets it.
alter table partners add column country text;
alter table partners alter column type drop not null;

-- Records that match clusters which cannot be merged: a partner manager decides.
create table merge_candidates (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  record_key text not null,
  candidates jsonb not null,
  status text not null default 'open' check (status in ('open', 'merged', 'kept_apart', 'superseded')),
  decision jsonb,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index merge_candidates_open on merge_candidates (tenant_id, record_key) where status = 'open';

-- What partner managers decided about two records ('source:external_id', left < right); reconcile obeys.
create table reconcile_decisions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  left_record text not null,
  right_record text not null,
  decision text not null check (decision in ('merge', 'keep_apart')),
  decided_by text not null,
  decided_at timestamptz not null default now(),
  primary key (tenant_id, left_record, right_record),
  check (left_record < right_record)
);
