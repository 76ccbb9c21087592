-- Every row carries tenant_id; every query is scoped by it (DESIGN.md §2).

create table tenants (
  id uuid primary key,
  name text not null,
  hubspot_portal_id bigint unique,
  created_at timestamptz not null default now()
);

-- OAuth tokens, encrypted at rest (AES-256-GCM, server/lib/crypto-box.ts).
create table crm_credentials (
  tenant_id uuid not null references tenants (id) on delete cascade,
  provider text not null check (provider in ('hubspot', 'salesforce')),
  refresh_token_enc text not null,
  access_token_enc text,
  access_token_expires_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, provider)
);

create table api_keys (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null,
  key_prefix text not null,
  key_hash text not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_keys_tenant on api_keys (tenant_id);

create table partners (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null,
  name text not null,
  domain text,
  type text not null check (type in ('reseller', 'distributor', 'system_integrator', 'isv', 'technology', 'msp', 'referral')),
  tier text not null,
  status text not null default 'active' check (status in ('active', 'inactive')),
  partner_manager text,
  regions text[] not null default '{}',
  verticals text[] not null default '{}',
  certifications text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

-- One partner, many records in the sources it appears in (CRM companies, program imports).
create table partner_links (
  tenant_id uuid not null,
  partner_id uuid not null,
  source text not null check (source in ('hubspot', 'salesforce', 'program')),
  external_id text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, source, external_id),
  foreign key (tenant_id, partner_id) references partners (tenant_id, id) on delete cascade
);

create table accounts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  crm_id text not null,
  name text not null,
  domain text,
  country text,
  industry text,
  company_type text,
  crm_updated_at timestamptz,
  synced_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, crm_id)
);

create table deals (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  crm_id text not null,
  name text not null,
  amount numeric(20, 4),
  currency text,
  stage text not null check (stage in ('open', 'won', 'lost')),
  crm_stage text,
  pipeline text,
  account_crm_id text,
  crm_created_at timestamptz,
  closed_at timestamptz,
  crm_updated_at timestamptz,
  synced_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, crm_id)
);
create index deals_account on deals (tenant_id, account_crm_id);

-- The deal→company associations as the CRM has them, labels included, before they are read as roles.
create table deal_companies (
  tenant_id uuid not null references tenants (id) on delete cascade,
  deal_crm_id text not null,
  company_crm_id text not null,
  label text not null,
  primary key (tenant_id, deal_crm_id, company_crm_id, label)
);
create index deal_companies_company on deal_companies (tenant_id, company_crm_id);

create table deal_partners (
  tenant_id uuid not null,
  deal_id uuid not null,
  partner_id uuid not null,
  role text not null check (role in ('sourced', 'influenced', 'reseller', 'referral')),
  share_pct numeric(5, 2) not null check (share_pct > 0 and share_pct <= 100),
  origin text not null check (origin in ('crm', 'manual')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, deal_id, partner_id, role),
  foreign key (tenant_id, deal_id) references deals (tenant_id, id) on delete cascade,
  foreign key (tenant_id, partner_id) references partners (tenant_id, id) on delete cascade
);

create table audit_events (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  subject_type text not null,
  subject_id text not null,
  details jsonb not null default '{}'
);
create index audit_events_tenant_at on audit_events (tenant_id, at);
